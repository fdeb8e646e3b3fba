import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import {
  getSuite,
  signatureFromDer,
  signatureToDer,
  sm2MessageDigest,
  sm2UserHash,
  sm2VerifyDigest,
} from '../src/index.js';
import { sm2SignWithNonceForTests } from '../src/suites/sm2.js';

/** GM/T 0003.5 (GB/T 32918.5) Annex A: signature example on the SM2 recommended curve. */
const V = {
  d: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  publicKey:
    '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  id: '1234567812345678',
  message: 'message digest',
  za: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  x1: 0x04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73n,
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};
const sm2 = getSuite('sm2');
const message = utf8ToBytes(V.message);
const publicKey = hexToBytes(V.publicKey);
const signature = hexToBytes(V.r + V.s);

describe('SM2 standard example (GM/T 0003.5 Annex A)', () => {
  it('derives the public key from d', () => {
    assert.equal(bytesToHex(sm2.publicKeyFromSecretKey(hexToBytes(V.d))), V.publicKey);
  });
  it('computes Z_A and e', () => {
    assert.equal(bytesToHex(sm2UserHash(publicKey, V.id)), V.za);
    assert.equal(bytesToHex(sm2MessageDigest(publicKey, message, V.id)), V.e);
  });
  it('signing with the fixed k reproduces r and s', () => {
    assert.equal(
      bytesToHex(sm2SignWithNonceForTests(hexToBytes(V.d), message, { k: V.k, x1: V.x1 }, V.id)),
      V.r + V.s,
    );
  });
  it('verifies the published signature', () => {
    assert.equal(sm2.verify(publicKey, message, signature), true);
    assert.equal(sm2.verify(publicKey, message, signature, { sm2UserId: V.id }), true);
  });
  it('fails with another user ID (Z_A is really hashed in)', () => {
    assert.equal(sm2.verify(publicKey, message, signature, { sm2UserId: 'ALICE123@YAHOO.COM' }), false);
  });
  it('fails when r or s is out of [1, n-1], even if congruent', () => {
    const n = hexToBytes('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
    const zero = new Uint8Array(32);
    assert.equal(sm2.verify(publicKey, message, new Uint8Array([...zero, ...signature.subarray(32)])), false);
    assert.equal(sm2.verify(publicKey, message, new Uint8Array([...signature.subarray(0, 32), ...n])), false);
  });
  it('converts between DER and r||s strictly', () => {
    const derSig = signatureToDer(signature);
    assert.deepEqual(signatureFromDer(derSig), signature);
    assert.throws(() => signatureFromDer(new Uint8Array([...derSig, 0])), {
      code: 'CRYPTO_INVALID_SIGNATURE_ENCODING',
    });
    // r encoded as 00 01: not minimal DER.
    assert.throws(() => signatureFromDer(hexToBytes('300702020001020101')), {
      code: 'CRYPTO_INVALID_SIGNATURE_ENCODING',
    });
    // r negative.
    assert.throws(() => signatureFromDer(hexToBytes('3006020180020101')), {
      code: 'CRYPTO_INVALID_SIGNATURE_ENCODING',
    });
  });
  it('refuses the secret keys 0 and n-1', () => {
    assert.throws(() => sm2.sign(new Uint8Array(32), message), { code: 'CRYPTO_INVALID_SECRET_KEY' });
    const nMinus1 = hexToBytes('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122');
    assert.throws(() => sm2.sign(nMinus1, message), { code: 'CRYPTO_INVALID_SECRET_KEY' });
  });
  it('refuses a public key that is not on the curve', () => {
    const off = publicKey.slice();
    off[64]! ^= 1;
    assert.throws(() => sm2.verify(off, message, signature), { code: 'CRYPTO_INVALID_PUBLIC_KEY' });
  });
});

describe('sm2VerifyDigest: verification over a precomputed e (GM/T 0003.5 Annex A)', () => {
  const e = hexToBytes(V.e);
  const flip = (bytes: Uint8Array, index: number): Uint8Array => {
    const copy = bytes.slice();
    copy[index]! ^= 1;
    return copy;
  };
  it('verifies the published e, r, s with the key as 04 || x || y and as x || y', () => {
    assert.equal(sm2VerifyDigest(publicKey, e, signature), true);
    assert.equal(sm2VerifyDigest(publicKey.subarray(1), e, signature), true);
  });
  it('agrees with the suite on a fresh key and message', () => {
    const secretKey = sm2.generateSecretKey();
    const key = sm2.publicKeyFromSecretKey(secretKey);
    const msg = utf8ToBytes('another message');
    const sig = sm2.sign(secretKey, msg);
    assert.equal(sm2VerifyDigest(key, sm2MessageDigest(key, msg), sig), true);
    assert.equal(sm2VerifyDigest(key, sm2MessageDigest(key, msg, 'other-id'), sig), false);
  });
  it('fails for a flipped bit in e, r or s, and for r or s out of [1, n-1]', () => {
    assert.equal(sm2VerifyDigest(publicKey, flip(e, 31), signature), false);
    assert.equal(sm2VerifyDigest(publicKey, e, flip(signature, 0)), false);
    assert.equal(sm2VerifyDigest(publicKey, e, flip(signature, 63)), false);
    const n = hexToBytes('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
    assert.equal(
      sm2VerifyDigest(publicKey, e, new Uint8Array([...new Uint8Array(32), ...signature.subarray(32)])),
      false,
    );
    assert.equal(sm2VerifyDigest(publicKey, e, new Uint8Array([...signature.subarray(0, 32), ...n])), false);
    assert.equal(sm2VerifyDigest(publicKey, e, signature.subarray(1)), false);
  });
  it('refuses a key off the curve, of another length or prefix, and a digest that is not 32 bytes', () => {
    const code = { code: 'CRYPTO_INVALID_PUBLIC_KEY' };
    assert.throws(() => sm2VerifyDigest(flip(publicKey, 64), e, signature), code);
    assert.throws(() => sm2VerifyDigest(flip(publicKey, 1), e, signature), code);
    assert.throws(() => sm2VerifyDigest(publicKey.subarray(2), e, signature), code);
    const compressedPrefix = publicKey.slice();
    compressedPrefix[0] = 0x02;
    assert.throws(() => sm2VerifyDigest(compressedPrefix, e, signature), code);
    assert.throws(() => sm2VerifyDigest(new Uint8Array(64), e, signature), code);
    assert.throws(() => sm2VerifyDigest(publicKey, e.subarray(1), signature), {
      code: 'CRYPTO_INVALID_INPUT',
    });
  });
  it('refuses coordinates not below p', () => {
    const p = 'fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff';
    for (const big of [p, 'f'.repeat(64)]) {
      const code = { code: 'CRYPTO_INVALID_PUBLIC_KEY' };
      assert.throws(
        () => sm2VerifyDigest(hexToBytes(`04${big}${V.publicKey.slice(66)}`), e, signature),
        code,
      );
      assert.throws(
        () => sm2VerifyDigest(hexToBytes(`04${V.publicKey.slice(2, 66)}${big}`), e, signature),
        code,
      );
    }
  });
});
