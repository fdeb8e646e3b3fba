import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 as nobleEd25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { CryptoError, generateKeyPair, getSuite, SUITE_IDS, sign, verify } from '../src/index.js';
import { isCanonicalScalar, SMALL_ORDER_ENCODINGS } from '../src/suites/ed25519.js';
import { loadVectors } from './vectors.js';

interface Ed25519Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

const ed = getSuite('ed25519');
const rfc8032 = loadVectors<{ vectors: Ed25519Vector[] }>('ed25519-rfc8032.json').vectors;

describe('Ed25519 (RFC 8032 section 7.1)', () => {
  it('has the five published vectors', () => assert.equal(rfc8032.length, 5));
  for (const v of rfc8032) {
    it(`${v.name}: derives the key, signs deterministically, verifies`, () => {
      const sk = hexToBytes(v.secretKey);
      const msg = hexToBytes(v.message);
      assert.equal(bytesToHex(ed.publicKeyFromSecretKey(sk)), v.publicKey);
      assert.equal(bytesToHex(ed.sign(sk, msg)), v.signature);
      assert.equal(ed.verify(hexToBytes(v.publicKey), msg, hexToBytes(v.signature)), true);
    });
  }

  it('pinned rule: a non-canonical S (S + L) is rejected', () => {
    const v = rfc8032[0]!;
    const sig = hexToBytes(v.signature);
    // S is little-endian; add L = 2^252 + 27742317777372353535851937790883648493.
    let s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`);
    s += (1n << 252n) + 27742317777372353535851937790883648493n;
    const sPlusL = Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse();
    const malleated = new Uint8Array([...sig.subarray(0, 32), ...sPlusL]);
    assert.equal(ed.verify(hexToBytes(v.publicKey), hexToBytes(v.message), malleated), false);
  });

  it('pinned rule: the scalar check refuses exactly S >= L', () => {
    const le = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse();
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    assert.equal(isCanonicalScalar(le(0n)), true);
    assert.equal(isCanonicalScalar(le(L - 1n)), true);
    assert.equal(isCanonicalScalar(le(L)), false);
    assert.equal(isCanonicalScalar(le(L + 1n)), false);
    assert.equal(isCanonicalScalar(le((1n << 256n) - 1n)), false);
  });

  it('pinned rule: the small-order list is exactly the 8 points of small order (checked with noble)', () => {
    assert.equal(new Set(SMALL_ORDER_ENCODINGS).size, 8);
    for (const hex of SMALL_ORDER_ENCODINGS) {
      assert.equal(nobleEd25519.Point.fromBytes(hexToBytes(hex)).isSmallOrder(), true, hex);
      assert.throws(() => ed.verify(hexToBytes(hex), new Uint8Array(), new Uint8Array(64)), {
        code: 'CRYPTO_INVALID_PUBLIC_KEY',
      });
    }
  });

  it('pinned rule: the identity key with R = identity and S = 0 (valid under the bare equation) is refused', () => {
    const identity = hexToBytes(`01${'00'.repeat(31)}`);
    const forged = new Uint8Array(64);
    forged.set(identity, 0);
    assert.throws(() => ed.verify(identity, utf8ToBytes('anything'), forged), {
      code: 'CRYPTO_INVALID_PUBLIC_KEY',
    });
  });

  it('pinned rule: x = 0 with the sign bit set is not a valid encoding (RFC 8032 5.1.3 step 4)', () => {
    for (const hex of [`01${'00'.repeat(30)}80`, `ec${'ff'.repeat(31)}`]) {
      assert.throws(() => ed.verify(hexToBytes(hex), new Uint8Array(), new Uint8Array(64)), {
        code: 'CRYPTO_INVALID_PUBLIC_KEY',
      });
    }
  });

  it('pinned rule: a non-canonical point encoding (y >= p) for A is refused as a bad key', () => {
    const nonCanonical = hexToBytes(`ee${'ff'.repeat(30)}7f`); // y = p + 1
    assert.throws(() => ed.verify(nonCanonical, new Uint8Array(), new Uint8Array(64)), {
      code: 'CRYPTO_INVALID_PUBLIC_KEY',
    });
  });
});

describe('every suite', () => {
  const message = utf8ToBytes('Pujiang: one message, seven suites');
  for (const id of SUITE_IDS) {
    describe(id, () => {
      const suite = getSuite(id);
      const kp = generateKeyPair(id);
      const sig = sign(kp.secretKey, message);

      it('produces keys and signatures of the declared lengths', () => {
        assert.equal(kp.publicKey.bytes.length, suite.publicKeyLength);
        assert.equal(kp.secretKey.bytes.length, suite.secretKeyLength);
        assert.equal(sig.bytes.length, suite.signatureLength);
        assert.equal(sig.suite, id);
      });

      it('verifies its own signature', () => {
        assert.equal(verify(kp.publicKey, message, sig), true);
      });

      it('fails with one flipped bit in the message, the signature, or the key', () => {
        for (const at of [0, message.length - 1]) {
          const m = message.slice();
          m[at]! ^= 1;
          assert.equal(verify(kp.publicKey, m, sig), false, `message bit ${at}`);
        }
        for (const at of [0, 31, 33, sig.bytes.length - 1]) {
          const s = sig.bytes.slice();
          s[at]! ^= 1;
          assert.equal(verify(kp.publicKey, message, { suite: id, bytes: s }), false, `signature byte ${at}`);
        }
        for (const at of [1, kp.publicKey.bytes.length - 1]) {
          const k = kp.publicKey.bytes.slice();
          k[at]! ^= 1;
          // A flipped key is either another valid key (signature fails) or no key at all (typed error).
          try {
            assert.equal(verify({ suite: id, bytes: k }, message, sig), false, `key byte ${at}`);
          } catch (error) {
            assert.ok(
              error instanceof CryptoError && error.code === 'CRYPTO_INVALID_PUBLIC_KEY',
              String(error),
            );
          }
        }
      });

      it('fails for a signature presented as another suite', () => {
        for (const other of SUITE_IDS) {
          if (other === id) continue;
          assert.equal(verify(kp.publicKey, message, { suite: other, bytes: sig.bytes }), false);
        }
        // And the same bytes checked under another suite's key of matching shape do not verify.
        const otherKp = generateKeyPair(id === 'ed25519' ? 'sm2' : 'ed25519');
        assert.equal(verify(otherKp.publicKey, message, { suite: otherKp.suite, bytes: sig.bytes }), false);
      });

      it('gives false for a truncated or empty signature, a typed error for a malformed key', () => {
        assert.equal(suite.verify(kp.publicKey.bytes, message, sig.bytes.subarray(1)), false);
        assert.equal(suite.verify(kp.publicKey.bytes, message, new Uint8Array()), false);
        assert.throws(() => suite.verify(kp.publicKey.bytes.subarray(1), message, sig.bytes), {
          code: 'CRYPTO_INVALID_PUBLIC_KEY',
        });
        assert.throws(() => suite.sign(new Uint8Array(3), message), { code: 'CRYPTO_INVALID_SECRET_KEY' });
      });
    });
  }

  it('unknown suites are a typed error', () => {
    assert.throws(() => getSuite('rsa'), { code: 'CRYPTO_UNKNOWN_SUITE' });
    assert.throws(() => generateKeyPair('rsa' as never), { code: 'CRYPTO_UNKNOWN_SUITE' });
  });
});

describe('hybrid suites', () => {
  const message = utf8ToBytes('hybrid');
  for (const [id, classicalId, pqId] of [
    ['sm2+ml-dsa-65', 'sm2', 'ml-dsa-65'],
    ['ed25519+ml-dsa-44', 'ed25519', 'ml-dsa-44'],
  ] as const) {
    it(`${id}: both parts must verify, and a part cannot be stripped off and reused alone`, () => {
      const hybrid = getSuite(id);
      const classical = getSuite(classicalId);
      const pq = getSuite(pqId);
      const sk = hybrid.generateSecretKey();
      const pk = hybrid.publicKeyFromSecretKey(sk);
      const sig = hybrid.sign(sk, message);
      const cLen = classical.signatureLength;
      const cPk = pk.subarray(0, classical.publicKeyLength);
      const qPk = pk.subarray(classical.publicKeyLength);
      // Replace the classical part with a valid classical signature over the bare message.
      const cSk = sk.subarray(0, classical.secretKeyLength);
      const swapped = new Uint8Array(sig);
      swapped.set(classical.sign(cSk, message), 0);
      assert.equal(hybrid.verify(pk, message, swapped), false);
      // Break only the post-quantum part.
      const brokenPq = sig.slice();
      brokenPq[cLen + 10]! ^= 1;
      assert.equal(hybrid.verify(pk, message, brokenPq), false);
      // Stripped parts do not verify as standalone signatures over the message.
      assert.equal(classical.verify(cPk, message, sig.subarray(0, cLen)), false);
      assert.equal(pq.verify(qPk, message, sig.subarray(cLen)), false);
      assert.equal(hybrid.verify(pk, message, sig), true);
    });
  }
});
