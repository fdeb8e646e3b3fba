import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode } from '@pujiang/codec';
import { generateKeyPair } from '@pujiang/crypto';
import { isPujiangError } from '@pujiang/types';
import fc from 'fast-check';
import {
  checkDocument,
  DocumentParts,
  didKeyOfChainKey,
  didMethodOf,
  didOf,
  fromJwk,
  fromMultibase,
  parsePujiangDid,
  partsFromDocument,
  renderDocument,
  singleKeyDocument,
  toJwk,
  toMultibase,
} from '../src/index.js';

const code = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(isPujiangError(error), String(error));
    return error.code;
  }
};

describe('did:pujiang syntax', () => {
  it('derives a fixed-width id from the creating transaction and parses it back', () => {
    const hash = new Uint8Array(32).fill(7);
    const did = didOf('city-main', hash);
    const parsed = parsePujiangDid(did);
    assert.equal(parsed?.namespace, 'city-main');
    assert.equal(parsed?.uniqueId.length, 22);
    // A hash starting with zero bytes still gives 22 characters (padded with the zero digit, '1').
    assert.equal(parsePujiangDid(didOf('c', new Uint8Array(32)))?.uniqueId, '1'.repeat(22));
    for (const bad of [
      'did:pujiang:city',
      'did:pujiang::x',
      `did:web:${parsed?.uniqueId}`,
      'did:pujiang:a b:x',
      `${did}0`,
    ])
      assert.equal(parsePujiangDid(bad), undefined, bad);
    assert.equal(didMethodOf('did:key:z6Mk'), 'key');
    assert.equal(didMethodOf('not a did'), undefined);
  });
});

describe('verification method keys', () => {
  it('reads the did:key specification examples with the right key types (multicodec prefixes)', () => {
    const examples: [string, string][] = [
      ['z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', 'Ed25519'],
      ['zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169', 'P-256'],
      ['zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', 'secp256k1'],
      ['z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F', 'X25519'],
    ];
    for (const [multibase, algorithm] of examples) {
      const key = fromMultibase(multibase);
      assert.equal(key.algorithm, algorithm);
      assert.equal(toMultibase(key), multibase);
      assert.deepEqual(fromJwk(toJwk(key)), key);
    }
  });

  it('turns every chain suite that has a multicodec into a DID key, and refuses the hybrids', () => {
    for (const suite of ['ed25519', 'sm2', 'secp256k1', 'ml-dsa-44', 'ml-dsa-65'] as const) {
      const key = didKeyOfChainKey(generateKeyPair(suite).publicKey);
      assert.ok(key, suite);
      assert.deepEqual(fromMultibase(toMultibase(key)), key);
      assert.deepEqual(fromJwk(toJwk(key)), key);
    }
    const sm2 = didKeyOfChainKey(generateKeyPair('sm2').publicKey)!;
    assert.equal(sm2.bytes.length, 33);
    assert.ok(toMultibase(sm2).startsWith('z'));
    assert.equal(toJwk(sm2).crv, 'SM2');
    assert.equal(didKeyOfChainKey(generateKeyPair('sm2+ml-dsa-65').publicKey), undefined);
  });

  it('refuses malformed keys with DID_BAD_KEY, never a crash', () => {
    const good = toMultibase(didKeyOfChainKey(generateKeyPair('sm2').publicKey)!);
    for (const bad of [
      '',
      'x',
      'zz',
      `${good}1`,
      'z6Mk',
      'zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2164',
    ])
      assert.equal(
        code(() => fromMultibase(bad)),
        'DID_BAD_KEY',
        bad,
      );
    for (const bad of [
      null,
      [],
      { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' },
      { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' },
      { kty: 'RSA' },
    ])
      assert.equal(
        code(() => fromJwk(bad)),
        'DID_BAD_KEY',
        JSON.stringify(bad),
      );
    const jwk = toJwk(fromMultibase('zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169'));
    assert.equal(
      code(() => fromJwk({ ...jwk, d: 'secret' })),
      'DID_BAD_KEY',
    );
    assert.equal(
      code(() => fromJwk({ ...jwk, y: jwk.x })),
      'DID_BAD_KEY',
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const c = code(() => fromMultibase(`z${text}`));
        return c === undefined || c === 'DID_BAD_KEY';
      }),
    );
  });
});

describe('DID documents', () => {
  const key = didKeyOfChainKey(generateKeyPair('ed25519').publicKey)!;
  const did = didOf('city-main', new Uint8Array(32).fill(1));

  it('refuses small-order X25519 key-agreement keys (nothing could be sealed to them)', () => {
    const x = (bytes: Uint8Array) => ({
      x: Buffer.from(bytes).toString('base64url'),
      kty: 'OKP',
      crv: 'X25519',
    });
    for (const point of [new Uint8Array(32), Uint8Array.from([1, ...new Array(31).fill(0)])])
      assert.equal(
        code(() => fromJwk(x(point))),
        'DID_BAD_KEY',
      );
    assert.equal(fromJwk(x(new Uint8Array(32).fill(9))).algorithm, 'X25519');
  });

  it('renders the same JSON from the same parts and reads it back into the same parts', () => {
    const parts = singleKeyDocument(key);
    parts.services.push({ fragment: 'api', type: 'LinkedDomains', endpoint: 'https://customs.example' });
    const doc = renderDocument(did, parts);
    assert.deepEqual(doc['@context'], [
      'https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1',
    ]);
    assert.equal(doc.verificationMethod?.[0]?.id, `${did}#key-1`);
    assert.equal(doc.verificationMethod?.[0]?.controller, did);
    assert.deepEqual(doc.capabilityInvocation, [`${did}#key-1`]);
    assert.deepEqual(partsFromDocument(JSON.parse(JSON.stringify(doc)), did), parts);
    assert.deepEqual(decode(DocumentParts, encode(DocumentParts, parts)), parts);
  });

  it('refuses each malformed document with a typed code', () => {
    const base = singleKeyDocument(key);
    const x25519 = fromMultibase('z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F');
    const agreementKey = {
      fragment: 'kx',
      type: 'Multikey' as const,
      controller: '',
      algorithm: x25519.algorithm,
      key: x25519.bytes,
    };
    const cases: [string, DocumentParts][] = [
      ['a relationship naming no method', { ...base, authentication: ['nope'] }],
      ['a fragment used twice', { ...base, methods: [...base.methods, ...base.methods] }],
      [
        'an X25519 key used to sign',
        { ...base, methods: [...base.methods, agreementKey], assertionMethod: ['kx'] },
      ],
      ['a signing key used for key agreement', { ...base, keyAgreement: ['key-1'] }],
      ['a controller that is not a DID', { ...base, controllers: ['customs'] }],
      [
        'an http service endpoint',
        { ...base, services: [{ fragment: 's', type: 'Api', endpoint: 'http://x.example' }] },
      ],
      [
        'a service endpoint with credentials',
        { ...base, services: [{ fragment: 's', type: 'Api', endpoint: 'https://u:p@x.example' }] },
      ],
      [
        'a malformed fragment',
        { ...base, services: [{ fragment: 'a b', type: 'Api', endpoint: 'https://x.example' }] },
      ],
    ];
    for (const [what, parts] of cases)
      assert.equal(
        code(() => checkDocument(parts)),
        'DID_BAD_DOCUMENT',
        what,
      );
    assert.equal(
      code(() => checkDocument({ ...base, methods: [{ ...base.methods[0]!, key: new Uint8Array(31) }] })),
      'DID_BAD_KEY',
    );
    assert.equal(
      code(() => partsFromDocument({ authentication: [{ id: '#k' }] }, did)),
      'DID_BAD_DOCUMENT',
    );
    assert.equal(
      code(() => partsFromDocument({ verificationMethod: [{ id: 'did:other:x#k', type: 'Multikey' }] }, did)),
      'DID_BAD_KEY',
    );
  });
});
