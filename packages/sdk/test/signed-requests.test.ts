import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sign, verify } from '@pujiang/crypto';
import { SIGNED_REQUEST } from '@pujiang/protocol';
import { httpbis } from 'http-message-signatures';
import { keyPairFromHex, requestSigner, signatureHeaders } from '../src/index.js';

/** RFC 9421 Appendix B.1.4's test-key-ed25519 (a published test key, from its JWK `d` and `x`). */
const RFC_KEY = keyPairFromHex(
  'ed25519',
  Buffer.from('n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU', 'base64url').toString('hex'),
);
const RFC_PUBLIC = Buffer.from('JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs', 'base64url');

/** RFC 9421 B.2.6: the test request, and the signature the RFC gives for it. */
const B26 = {
  method: 'POST',
  url: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-digest':
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'content-length': '18',
  } as Record<string, string>,
  input:
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
  signature:
    'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
};

describe('signed requests (RFC 9421)', () => {
  it("reproduces and verifies RFC 9421 B.2.6 (ed25519) with this SDK's signing and the chain's verification", async () => {
    assert.deepEqual(Buffer.from(RFC_KEY.publicKey.bytes), RFC_PUBLIC);
    const signed = await httpbis.signMessage(
      {
        name: 'sig-b26',
        fields: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
        params: ['created', 'keyid'],
        paramValues: { created: new Date(1618884473 * 1000), keyid: 'test-key-ed25519' },
        key: {
          id: 'test-key-ed25519',
          sign: async (data) => Buffer.from(sign(RFC_KEY.secretKey, data).bytes),
        },
      },
      { method: B26.method, url: B26.url, headers: { ...B26.headers } },
    );
    assert.equal(signed.headers['Signature-Input'], B26.input);
    assert.equal(signed.headers.Signature, B26.signature);
    const verified = await httpbis.verifyMessage(
      {
        notAfter: 1618884473 + 10,
        keyLookup: async () => ({
          verify: async (data, signature) =>
            verify(RFC_KEY.publicKey, data, { suite: 'ed25519', bytes: signature }),
        }),
      },
      {
        method: B26.method,
        url: B26.url,
        headers: { ...B26.headers, 'signature-input': B26.input, signature: B26.signature },
      },
    );
    assert.equal(verified, true);
  });

  it('signs what SIGNED_REQUEST names: method, authority, path, query, the body digest, created, nonce, keyid, alg', async () => {
    const signer = requestSigner(RFC_KEY, async () => 'sha256');
    const get = await signatureHeaders(signer, 'GET', 'http://node.example/v1/blocks/7?x=1', undefined);
    assert.match(
      get['signature-input'] ?? '',
      /^pujiang=\("@method" "@authority" "@path" "@query"\);created=\d+;nonce="[0-9a-f]{32}";keyid="[0-9a-f]{42}";alg="ed25519"$/,
    );
    assert.equal(get['content-digest'], undefined);
    const post = await signatureHeaders(signer, 'POST', 'http://node.example/v1/txs', '{"hello": "world"}');
    assert.match(post['signature-input'] ?? '', /"content-digest"\);/);
    // RFC 9530's example: {"hello": "world"} under sha-256.
    assert.equal(post['content-digest'], 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
    const again = await signatureHeaders(signer, 'GET', 'http://node.example/v1/blocks/7?x=1', undefined);
    assert.notEqual(again['signature-input'], get['signature-input']);
    assert.ok(SIGNED_REQUEST.params.every((p) => (get['signature-input'] ?? '').includes(`;${p}=`)));
  });
});
