import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import { hash as browserHash } from '../src/hash-browser.js';
import { hash as nodeHash } from '../src/hash-node.js';
import { bytesKey as browserBytesKey, randomBytes as browserRandomBytes } from '../src/platform-browser.js';
import { ed25519 as browserEd25519 } from '../src/suites/ed25519-browser.js';
import { ed25519 as nodeEd25519 } from '../src/suites/ed25519-node.js';
import { SMALL_ORDER_ENCODINGS } from '../src/suites/ed25519-rules.js';
import { loadVectors } from './vectors.js';

/**
 * The `browser` condition's implementations (`#hash`, `#ed25519`, `#platform`) against the
 * node:crypto ones, run side by side under Node: same digests, same Ed25519 verdicts (and
 * the same throws) on the standards' vectors and on signatures built to tell the rules apart.
 */

describe('browser hash (noble SHA-256, sm-crypto-v2 SM3) = node:crypto hash', () => {
  const known: [string, Uint8Array, string][] = [
    ['sm3', utf8ToBytes('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
    [
      'sm3',
      utf8ToBytes('abcd'.repeat(16)),
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    ],
    ['sha256', utf8ToBytes('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha256', new Uint8Array(), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['sm3', new Uint8Array(), '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b'],
  ];
  for (const [algorithm, input, digest] of known) {
    it(`${algorithm} of ${input.length} bytes: the published digest`, () => {
      assert.equal(bytesToHex(browserHash(algorithm as 'sm3', input)), digest);
      assert.equal(bytesToHex(nodeHash(algorithm as 'sm3', input)), digest);
    });
  }

  it('hashes the concatenation of its parts, small and past the one-shot size, as node:crypto does', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sm3' as const, 'sha256' as const),
        fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 4 }),
        (algorithm, parts) => {
          assert.deepEqual(browserHash(algorithm, ...parts), nodeHash(algorithm, ...parts));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('hashes a subarray view by its own bytes', () => {
    const buffer = utf8ToBytes('xxabcxx');
    for (const algorithm of ['sm3', 'sha256'] as const)
      assert.deepEqual(
        browserHash(algorithm, buffer.subarray(2, 5)),
        nodeHash(algorithm, utf8ToBytes('abc')),
      );
  });

  it('refuses an unknown algorithm with the same typed error', () => {
    assert.throws(() => browserHash('md5' as never, new Uint8Array()), { code: 'CRYPTO_UNKNOWN_HASH' });
  });
});

describe('browser platform (Web Crypto)', () => {
  it('draws random bytes of any length, past the 65,536-byte getRandomValues quota too', () => {
    assert.equal(browserRandomBytes(32).length, 32);
    assert.notDeepEqual(browserRandomBytes(32), browserRandomBytes(32));
    const big = browserRandomBytes(70_000);
    assert.equal(big.length, 70_000);
    assert.ok(big.subarray(65_536).some((b) => b !== 0));
  });

  it('names byte strings by their bytes (one name per byte string, views included)', () => {
    const bytes = hexToBytes('00ff10');
    assert.equal(browserBytesKey(bytes), browserBytesKey(concatBytes(new Uint8Array(1), bytes).subarray(1)));
    assert.notEqual(browserBytesKey(bytes), browserBytesKey(hexToBytes('00ff11')));
  });
});

interface Ed25519Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

type Verdict = boolean | string;

/** What a suite says about a signature: its verdict, or the code it throws. */
function verdict(suite: typeof nodeEd25519, key: Uint8Array, message: Uint8Array, sig: Uint8Array): Verdict {
  try {
    return suite.verify(key, message, sig);
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

function sameVerdict(key: Uint8Array, message: Uint8Array, sig: Uint8Array, expected?: Verdict): void {
  const fromNode = verdict(nodeEd25519, key, message, sig);
  assert.equal(verdict(browserEd25519, key, message, sig), fromNode, 'browser and node:crypto disagree');
  if (expected !== undefined) assert.equal(fromNode, expected);
}

const { Point } = noble;
const L = Point.Fn.ORDER;
const le32 = (n: bigint) => numberToBytesLE(n, 32);
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array) =>
  Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, a, m))));

describe('browser Ed25519 (@noble/curves) = node:crypto Ed25519', () => {
  const rfc8032 = loadVectors<{ vectors: Ed25519Vector[] }>('ed25519-rfc8032.json').vectors;
  for (const v of rfc8032) {
    it(`${v.name}: same key, same deterministic signature, verifies`, () => {
      const sk = hexToBytes(v.secretKey);
      const msg = hexToBytes(v.message);
      assert.equal(bytesToHex(browserEd25519.publicKeyFromSecretKey(sk)), v.publicKey);
      assert.equal(bytesToHex(browserEd25519.sign(sk, msg)), v.signature);
      sameVerdict(hexToBytes(v.publicKey), msg, hexToBytes(v.signature), true);
    });
  }

  const v = rfc8032[1]!;
  const key = hexToBytes(v.publicKey);
  const message = hexToBytes(v.message);
  const signature = hexToBytes(v.signature);

  it('both refuse S + L, and any S >= L', () => {
    const s = bytesToNumberLE(signature.subarray(32));
    for (const bad of [s + L, L, (1n << 256n) - 1n])
      sameVerdict(key, message, concatBytes(signature.subarray(0, 32), le32(bad)), false);
  });

  it('both throw the same typed error for small-order, x = 0 with sign bit, and y >= p keys', () => {
    const refused = [
      ...SMALL_ORDER_ENCODINGS,
      `01${'00'.repeat(30)}80`,
      `ec${'ff'.repeat(31)}`,
      `ee${'ff'.repeat(30)}7f`,
    ];
    for (const hex of refused) sameVerdict(hexToBytes(hex), message, signature, 'CRYPTO_INVALID_PUBLIC_KEY');
  });

  it('both fail (without throwing) a canonical key that is not a curve point', () => {
    const offCurve = hexToBytes(`02${'00'.repeat(31)}`); // y = 2 has no x
    assert.throws(() => Point.fromBytes(offCurve));
    sameVerdict(offCurve, message, signature, false);
  });

  it('both fail a non-canonical or off-curve R, wrong lengths, and flipped bits', () => {
    const withR = (r: Uint8Array) => concatBytes(r, signature.subarray(32));
    sameVerdict(key, message, withR(hexToBytes(`ee${'ff'.repeat(30)}7f`)), false);
    sameVerdict(key, message, withR(hexToBytes(`02${'00'.repeat(31)}`)), false);
    sameVerdict(key, message, signature.subarray(0, 63), false);
    for (let bit = 0; bit < 512; bit += 7) {
      const s = signature.slice();
      s[bit >> 3]! ^= 1 << (bit & 7);
      sameVerdict(key, message, s);
    }
  });

  it('both check the cofactorless equation: a key or R with a torsion component (valid cofactored) fails', () => {
    const seed = hexToBytes(v.secretKey);
    const { scalar: a, point: A } = noble.utils.getExtendedPublicKey(seed);
    // T of order 8: A + T is a key of large order, not refused, whose signatures made with a
    // are valid under [8][S]B = [8]R + [8][k](A + T) but not under [S]B = R + [k](A + T)
    // unless 8 divides k.
    const T = Point.fromBytes(hexToBytes(SMALL_ORDER_ENCODINGS[4]!));
    assert.equal(T.multiplyUnsafe(4n).is0(), false);
    const mixedKey = A.add(T).toBytes();
    let cofactoredOnly = 0;
    for (let i = 0; i < 24; i++) {
      const m = utf8ToBytes(`mixed ${i}`);
      const r = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(seed, m))));
      const R = Point.BASE.multiply(r).toBytes();
      const k = challenge(R, mixedKey, m);
      const sig = concatBytes(R, le32(Point.Fn.create(r + k * a)));
      const cofactorless = k % 8n === 0n;
      assert.equal(noble.verify(sig, m, mixedKey, { zip215: false }), true);
      if (!cofactorless) cofactoredOnly++;
      sameVerdict(mixedKey, m, sig, cofactorless);

      // R + T with the honest key: never valid cofactorless.
      const mixedR = Point.fromBytes(R).add(T).toBytes();
      const k2 = challenge(mixedR, key, m);
      const sig2 = concatBytes(mixedR, le32(Point.Fn.create(r + k2 * a)));
      assert.equal(noble.verify(sig2, m, key, { zip215: false }), true);
      sameVerdict(key, m, sig2, false);
    }
    assert.ok(cofactoredOnly > 0, 'some signatures tell the two equations apart');
  });

  it('agree on random keys, messages and tampering', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array(),
        fc.nat(511),
        (sk, m, bit) => {
          const pk = browserEd25519.publicKeyFromSecretKey(sk);
          assert.deepEqual(pk, nodeEd25519.publicKeyFromSecretKey(sk));
          const sig = browserEd25519.sign(sk, m);
          assert.deepEqual(sig, nodeEd25519.sign(sk, m));
          sameVerdict(pk, m, sig, true);
          const tampered = sig.slice();
          tampered[bit >> 3]! ^= 1 << (bit & 7);
          sameVerdict(pk, m, tampered, false);
        },
      ),
      { numRuns: 100 },
    );
  });
});
