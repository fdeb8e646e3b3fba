import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { randomBytes } from '#platform';
import { BoundedCache } from '../bounded-cache.js';
import { invalidPublicKey, requirePublicKeyLength, requireSecretKeyLength } from './checks.js';
import { isCanonicalPointEncoding, isCanonicalScalar, isSmallOrderEncoding } from './ed25519-rules.js';
import type { SignatureSuite } from './suite.js';

type EdPoint = ReturnType<typeof noble.Point.fromBytes>;
const { Point } = noble;

/**
 * A key the rule refuses makes `verify` throw; a canonical encoding that is not a curve
 * point only fails verification. That is what the node:crypto suite does (OpenSSL imports
 * any 32 bytes and fails them at verification).
 */
const publicKeys = new BoundedCache<EdPoint | 'refused' | 'not-a-point'>();

function importPublicKey(publicKey: Uint8Array): EdPoint | 'refused' | 'not-a-point' {
  return publicKeys.getOrCreate(publicKey, () => {
    if (!isCanonicalPointEncoding(publicKey) || isSmallOrderEncoding(publicKey)) return 'refused';
    try {
      return Point.fromBytes(publicKey, false);
    } catch {
      return 'not-a-point';
    }
  });
}

/**
 * Ed25519 (RFC 8032) through @noble/curves, for the `browser` condition (the package's
 * `#ed25519` import). Same rule as the node:crypto suite: S < L, canonical encodings of A
 * and R, no key of small order, and the cofactorless equation [S]B = R + [k]A. noble's own
 * `verify` checks the cofactored equation, which accepts more when A or R has a torsion
 * component, so the equation is checked here on noble's points; the tests compare both
 * suites on such signatures.
 */
export const ed25519: SignatureSuite = {
  id: 'ed25519',
  code: 1,
  publicKeyLength: 32,
  secretKeyLength: 32,
  signatureLength: 64,
  generateSecretKey: () => randomBytes(32),
  publicKeyFromSecretKey(secretKey) {
    requireSecretKeyLength('ed25519', secretKey, 32);
    return noble.getPublicKey(secretKey);
  },
  sign(secretKey, message) {
    requireSecretKeyLength('ed25519', secretKey, 32);
    return noble.sign(message, secretKey);
  },
  verify(publicKey, message, signature) {
    requirePublicKeyLength('ed25519', publicKey, 32);
    const a = importPublicKey(publicKey);
    if (a === 'refused')
      throw invalidPublicKey('ed25519', 'not a canonical encoding of a point of large order');
    if (signature.length !== 64 || a === 'not-a-point') return false;
    const rBytes = signature.subarray(0, 32);
    const sBytes = signature.subarray(32);
    if (!isCanonicalScalar(sBytes) || !isCanonicalPointEncoding(rBytes)) return false;
    let r: EdPoint;
    try {
      r = Point.fromBytes(rBytes, false);
    } catch {
      return false;
    }
    // k = SHA-512(R || A || M) mod L (RFC 8032 section 5.1.7 step 2).
    const k = Point.Fn.create(
      bytesToNumberLE(sha512.create().update(rBytes).update(publicKey).update(message).digest()),
    );
    const s = bytesToNumberLE(sBytes);
    return Point.BASE.multiplyUnsafe(s).equals(r.add(a.multiplyUnsafe(k)));
  },
};
