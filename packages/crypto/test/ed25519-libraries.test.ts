import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateKeyPair, sign } from '../src/index.js';
import { ED25519_IMPLEMENTATION, ed25519VerifierOf } from '../src/suites/ed25519-node.js';
import { loadVectors } from './vectors.js';

type Verdict = 'accept' | 'reject' | 'bad-key';
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

function verdict(
  library: 'libsodium' | 'openssl',
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Verdict {
  try {
    return ed25519VerifierOf(library)!(publicKey, message, signature) ? 'accept' : 'reject';
  } catch {
    return 'bad-key';
  }
}

const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const fromLe = (b: Uint8Array) => b.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);

/**
 * libsodium verifies Ed25519 about twice as fast as OpenSSL; it may replace it only if it
 * decides every input as our rule does (strict RFC 8032, cofactorless, S < L, canonical A and R,
 * no key of small order). The edge cases of "Taming the many EdDSAs" and malleations of real
 * signatures must get the same verdict from both, and the speccheck verdicts are pinned.
 */
describe('Ed25519: libsodium and OpenSSL decide alike', {
  skip: ed25519VerifierOf('libsodium') === undefined,
}, () => {
  it('the node uses libsodium when it loads', () => {
    assert.equal(ED25519_IMPLEMENTATION, process.env.PUJIANG_ED25519 === 'openssl' ? 'openssl' : 'libsodium');
  });

  it('the ed25519-speccheck cases: the same verdict from both, as our rule pins it', () => {
    const { cases } = loadVectors<{ cases: { message: string; pub_key: string; signature: string }[] }>(
      'ed25519-speccheck.json',
    );
    const verdicts = cases.map((c) => {
      const args = [hex(c.pub_key), hex(c.message), hex(c.signature)] as const;
      const sodium = verdict('libsodium', ...args);
      assert.equal(sodium, verdict('openssl', ...args));
      return sodium;
    });
    // 0-1 small-order keys (refused as keys); 2 a small-order R whose equation holds (the rule
    // accepts it: libsodium alone would not, so such signatures are checked by OpenSSL);
    // 3 a valid signature; 4-7 mixed-order or non-canonical cases the cofactorless equation
    // fails; 8-9 a non-canonical R.
    assert.deepEqual(verdicts, [
      'bad-key',
      'bad-key',
      'accept',
      'accept',
      'reject',
      'reject',
      'reject',
      'reject',
      'reject',
      'reject',
    ]);
  });

  it('real signatures and every malleation of them get the same verdict', () => {
    for (let i = 0; i < 200; i++) {
      const key = generateKeyPair('ed25519');
      const message = randomBytes(i % 64);
      const signature = sign(key.secretKey, message).bytes;
      const pk = key.publicKey.bytes;
      const s = fromLe(signature.subarray(32));
      const variants: Uint8Array[] = [
        signature,
        Uint8Array.from([...signature.subarray(0, 32), ...toLe(s + L)]), // S + L: non-canonical
        Uint8Array.from([...signature.subarray(0, 31), signature[31]! ^ 0x80, ...signature.subarray(32)]), // R sign bit
        Uint8Array.from(signature.map((b, j) => (j === i % 64 ? b ^ 1 : b))), // one bit
        signature.subarray(0, 63),
      ];
      for (const v of variants)
        assert.equal(verdict('libsodium', pk, message, v), verdict('openssl', pk, message, v));
      assert.equal(verdict('libsodium', pk, message, signature), 'accept');
      assert.equal(verdict('libsodium', pk, randomBytes(8), signature), 'reject');
    }
  });
});
