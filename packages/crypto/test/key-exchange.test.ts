import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { generateEphemeralKeyPair, hkdfSha256, x25519SharedSecret } from '../src/index.js';

describe('key exchange', () => {
  it('X25519: RFC 7748 section 6.1 (Alice and Bob)', () => {
    const alice = hexToBytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPublic = hexToBytes('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const bob = hexToBytes('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePublic = hexToBytes('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    assert.equal(bytesToHex(x25519SharedSecret(alice, bobPublic)), shared);
    assert.equal(bytesToHex(x25519SharedSecret(bob, alicePublic)), shared);
  });

  it('X25519: fresh pairs agree; small-order and malformed peer keys are typed errors', () => {
    const a = generateEphemeralKeyPair();
    const b = generateEphemeralKeyPair();
    assert.deepEqual(
      x25519SharedSecret(a.secretKey, b.publicKey),
      x25519SharedSecret(b.secretKey, a.publicKey),
    );
    for (const bad of [new Uint8Array(32), Uint8Array.of(1, ...new Uint8Array(31)), new Uint8Array(31)])
      assert.throws(() => x25519SharedSecret(a.secretKey, bad), { code: 'CRYPTO_INVALID_PUBLIC_KEY' });
  });

  it('HKDF-SHA256: RFC 5869 test case 1', () => {
    const okm = hkdfSha256(
      new Uint8Array(22).fill(0x0b),
      hexToBytes('000102030405060708090a0b0c'),
      hexToBytes('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    assert.equal(
      bytesToHex(okm),
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });
});
