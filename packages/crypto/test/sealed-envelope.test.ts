import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import {
  envelopeMissing,
  generateEphemeralKeyPair,
  MAX_SEALED_RECIPIENTS,
  openEnvelope,
  sealEnvelope,
  x25519PublicKey,
} from '../src/index.js';

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
const ENTRY = 8 + 48;
const HEADER = 38;

describe('sealed envelopes (X25519 to several recipients, AES-256-GCM or SM4-GCM)', () => {
  it('x25519PublicKey matches RFC 7748 section 6.1', () => {
    const alice = hexToBytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    assert.equal(
      bytesToHex(x25519PublicKey(alice)),
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );
  });

  for (const aead of ['aes-256-gcm', 'sm4-gcm'] as const)
    it(`${aead}: every recipient opens it, and only they`, () => {
      const keys = Array.from({ length: 3 }, () => generateEphemeralKeyPair());
      const outsider = generateEphemeralKeyPair();
      const context = utf8ToBytes('request 1');
      const plain = utf8ToBytes('{"subject":"did:example:1","purpose":"tax audit"}');
      const envelope = sealEnvelope(
        keys.map((k) => k.publicKey),
        plain,
        { aead, context },
      );
      for (const k of keys) assert.deepEqual(openEnvelope(k.secretKey, envelope, { context }), plain);
      assert.throws(
        () => openEnvelope(outsider.secretKey, envelope, { context }),
        code('CRYPTO_NOT_RECIPIENT'),
      );
      assert.throws(
        () => openEnvelope(keys[0]!.secretKey, envelope, { context: utf8ToBytes('request 2') }),
        code('CRYPTO_DECRYPT_FAILED'),
      );
    });

  it('names no recipient: entries carry no public key or hash of one, and are sorted', () => {
    const keys = Array.from({ length: 4 }, () => generateEphemeralKeyPair());
    const envelope = sealEnvelope(
      keys.map((k) => k.publicKey),
      utf8ToBytes('x'),
    );
    const text = bytesToHex(envelope);
    for (const k of keys) assert.ok(!text.includes(bytesToHex(k.publicKey).slice(0, 16)));
    const ids = Array.from({ length: 4 }, (_, i) =>
      bytesToHex(envelope.subarray(HEADER + i * ENTRY, HEADER + i * ENTRY + 8)),
    );
    assert.deepEqual(ids, [...ids].sort());
    // Sealed twice to the same keys, nothing links the two envelopes' entries.
    const again = sealEnvelope(
      keys.map((k) => k.publicKey),
      utf8ToBytes('x'),
    );
    for (const id of ids) assert.ok(!bytesToHex(again).includes(id));
  });

  it('a recipient checks whom it is sealed to: a listed key with a wrap that does not open is missing', () => {
    const [steward, auditor, subject] = Array.from({ length: 3 }, () => generateEphemeralKeyPair());
    const all = [steward!, auditor!, subject!].map((k) => k.publicKey);
    const full = sealEnvelope(all, utf8ToBytes('terms'));
    assert.deepEqual(envelopeMissing(steward!.secretKey, full, all), []);
    // Sealed without the auditor: the steward sees it.
    const partial = sealEnvelope([steward!.publicKey, subject!.publicKey], utf8ToBytes('terms'));
    assert.deepEqual(envelopeMissing(steward!.secretKey, partial, all), [1]);
    // A sender that garbles the auditor's entry (keeping the count) is caught too, by the header's AEAD or the check.
    for (let i = 0; i < 3; i++) {
      const at = HEADER + i * ENTRY + 8;
      const copy = full.slice();
      copy[at] ^= 1;
      try {
        const missing = envelopeMissing(steward!.secretKey, copy, all);
        assert.equal(missing.length, 1);
      } catch (error) {
        assert.ok(
          ['CRYPTO_DECRYPT_FAILED', 'CRYPTO_NOT_RECIPIENT'].includes((error as { code: string }).code),
        );
      }
    }
  });

  it('a decoy entry cannot shadow a recipient: ids must be distinct and sorted', () => {
    const [a, b] = [generateEphemeralKeyPair(), generateEphemeralKeyPair()];
    const envelope = sealEnvelope([a!.publicKey, b!.publicKey], utf8ToBytes('x'));
    // The second entry's id copied over the first: a duplicate; the two swapped: unsorted.
    const duplicate = envelope.slice();
    duplicate.set(envelope.subarray(HEADER + ENTRY, HEADER + ENTRY + 8), HEADER);
    const swapped = envelope.slice();
    swapped.set(envelope.subarray(HEADER + ENTRY, HEADER + 2 * ENTRY), HEADER);
    swapped.set(envelope.subarray(HEADER, HEADER + ENTRY), HEADER + ENTRY);
    for (const bad of [duplicate, swapped]) {
      assert.throws(() => openEnvelope(a!.secretKey, bad), code('CRYPTO_INVALID_INPUT'));
      assert.throws(() => envelopeMissing(a!.secretKey, bad, [b!.publicKey]), code('CRYPTO_INVALID_INPUT'));
    }
  });

  it('any changed byte fails to open (header, wrapped keys, nonce or ciphertext)', () => {
    const k = generateEphemeralKeyPair();
    const other = generateEphemeralKeyPair();
    const envelope = sealEnvelope([k.publicKey, other.publicKey], utf8ToBytes('record'));
    for (let i = 0; i < envelope.length; i++) {
      const bad = envelope.slice();
      bad[i]! ^= 0x01;
      assert.throws(
        () => openEnvelope(k.secretKey, bad),
        (e: unknown) =>
          [
            'CRYPTO_DECRYPT_FAILED',
            'CRYPTO_INVALID_INPUT',
            'CRYPTO_INVALID_PUBLIC_KEY',
            'CRYPTO_NOT_RECIPIENT',
          ].includes((e as { code: string }).code),
        `byte ${i}`,
      );
    }
  });

  it('a recipient cannot be dropped: removing an entry breaks the payload for the rest', () => {
    const a = generateEphemeralKeyPair();
    const b = generateEphemeralKeyPair();
    const envelope = sealEnvelope([a.publicKey, b.publicKey], utf8ToBytes('x'));
    for (const drop of [0, 1]) {
      const keep = 1 - drop;
      const cut = new Uint8Array(envelope.length - ENTRY);
      cut.set(envelope.subarray(0, HEADER));
      cut[37] = 1;
      cut.set(envelope.subarray(HEADER + keep * ENTRY, HEADER + (keep + 1) * ENTRY), HEADER);
      cut.set(envelope.subarray(HEADER + 2 * ENTRY), HEADER + ENTRY);
      for (const k of [a, b])
        assert.throws(
          () => openEnvelope(k.secretKey, cut),
          (e: unknown) =>
            ['CRYPTO_DECRYPT_FAILED', 'CRYPTO_NOT_RECIPIENT'].includes((e as { code: string }).code),
        );
    }
  });

  it('refuses bad recipient lists and malformed envelopes with typed errors', () => {
    const k = generateEphemeralKeyPair();
    assert.throws(() => sealEnvelope([], utf8ToBytes('x')), code('CRYPTO_INVALID_INPUT'));
    assert.throws(
      () => sealEnvelope([k.publicKey, k.publicKey], utf8ToBytes('x')),
      code('CRYPTO_INVALID_INPUT'),
    );
    const many = Array.from(
      { length: MAX_SEALED_RECIPIENTS + 1 },
      () => generateEphemeralKeyPair().publicKey,
    );
    assert.throws(() => sealEnvelope(many, utf8ToBytes('x')), code('CRYPTO_INVALID_INPUT'));
    assert.throws(
      () => sealEnvelope([new Uint8Array(31)], utf8ToBytes('x')),
      code('CRYPTO_INVALID_PUBLIC_KEY'),
    );
    for (const bad of [new Uint8Array(0), utf8ToBytes('PJS2'), new Uint8Array(200)])
      assert.throws(() => openEnvelope(k.secretKey, bad), code('CRYPTO_INVALID_INPUT'));
    const ok = sealEnvelope([k.publicKey], utf8ToBytes('x'));
    assert.throws(
      () => openEnvelope(k.secretKey, ok.subarray(0, ok.length - 20)),
      code('CRYPTO_INVALID_INPUT'),
    );
  });
});
