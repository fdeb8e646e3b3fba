import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { concatBytes } from '@pujiang/types';
import { BoundedCache } from '../bounded-cache.js';
import { invalidPublicKey, requirePublicKeyLength, requireSecretKeyLength } from './checks.js';
import {
  ED25519_PKCS8_PREFIX,
  ED25519_SPKI_PREFIX,
  isCanonicalPointEncoding,
  isCanonicalScalar,
  isSmallOrderEncoding,
} from './ed25519-rules.js';
import type { SignatureSuite } from './suite.js';

const publicKeys = new BoundedCache<KeyObject | null>();
const secretKeys = new BoundedCache<KeyObject>(256);

function importPublicKey(publicKey: Uint8Array): KeyObject | null {
  return publicKeys.getOrCreate(publicKey, () => {
    if (!isCanonicalPointEncoding(publicKey) || isSmallOrderEncoding(publicKey)) return null;
    try {
      return createPublicKey({
        key: Buffer.from(concatBytes(ED25519_SPKI_PREFIX, publicKey)),
        format: 'der',
        type: 'spki',
      });
    } catch {
      return null;
    }
  });
}

function importSecretKey(seed: Uint8Array): KeyObject {
  return secretKeys.getOrCreate(seed, () =>
    createPrivateKey({
      key: Buffer.from(concatBytes(ED25519_PKCS8_PREFIX, seed)),
      format: 'der',
      type: 'pkcs8',
    }),
  );
}

interface Sodium {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/**
 * libsodium (the maintained `sodium-native` binding, prebuilt) verifies about 2.2x faster than
 * OpenSSL here. It is used when it loads, unless PUJIANG_ED25519=openssl; OpenSSL otherwise.
 */
function loadSodium(): Sodium | undefined {
  if (process.env.PUJIANG_ED25519 === 'openssl') return undefined;
  try {
    return createRequire(import.meta.url)('sodium-native') as Sodium;
  } catch {
    return undefined;
  }
}
const sodium = loadSodium();

/** Which library verifies Ed25519 signatures in this process (reported in /v1/status and bench records). */
export const ED25519_IMPLEMENTATION: 'libsodium' | 'openssl' = sodium ? 'libsodium' : 'openssl';

/** The equation check alone, by each library (the rule's pre-checks have passed). */
function opensslEquation(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, message, key, signature);
}

/**
 * libsodium refuses an R of small order, which the rule accepts when the equation holds (a
 * signer can make R the identity): those rare signatures go to OpenSSL, so both libraries
 * decide every input alike.
 */
function sodiumEquation(
  lib: Sodium,
  key: KeyObject,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) {
  if (isSmallOrderEncoding(signature.subarray(0, 32))) return opensslEquation(key, message, signature);
  return lib.crypto_sign_verify_detached(signature, message, publicKey);
}

/**
 * Verification by a named library, for tests that show both decide alike; undefined when that
 * library is not available in this process.
 */
export function ed25519VerifierOf(
  library: 'libsodium' | 'openssl',
): ((publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean) | undefined {
  const lib = library === 'libsodium' ? (sodium ?? loadSodiumAnyway()) : undefined;
  if (library === 'libsodium' && !lib) return undefined;
  return (publicKey, message, signature) =>
    checkedVerify(publicKey, signature, (key) =>
      lib
        ? sodiumEquation(lib, key, publicKey, message, signature)
        : opensslEquation(key, message, signature),
    );
}

function loadSodiumAnyway(): Sodium | undefined {
  try {
    return createRequire(import.meta.url)('sodium-native') as Sodium;
  } catch {
    return undefined;
  }
}

/** The rule's checks, then the equation by `equation`. */
function checkedVerify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  equation: (key: KeyObject) => boolean,
): boolean {
  requirePublicKeyLength('ed25519', publicKey, 32);
  const key = importPublicKey(publicKey);
  if (key === null) throw invalidPublicKey('ed25519', 'not a canonical encoding of a point of large order');
  if (signature.length !== 64) return false;
  if (!isCanonicalScalar(signature.subarray(32)) || !isCanonicalPointEncoding(signature.subarray(0, 32)))
    return false;
  return equation(key);
}

/**
 * Ed25519 (RFC 8032) through libsodium or node:crypto (OpenSSL). The verification rule is pinned to
 * strict RFC 8032, cofactorless: S must be < L, A and R must be canonical encodings of
 * curve points (y < p, no x = 0 with the sign bit), and [S]B = R + [k]A must hold exactly.
 * In addition, public keys of small order are refused. We check S and the encodings
 * ourselves before calling OpenSSL, so the rule does not depend on its version.
 */
export const ed25519: SignatureSuite = {
  id: 'ed25519',
  code: 1,
  publicKeyLength: 32,
  secretKeyLength: 32,
  signatureLength: 64,
  generateSecretKey: () => new Uint8Array(randomBytes(32)),
  publicKeyFromSecretKey(secretKey) {
    requireSecretKeyLength('ed25519', secretKey, 32);
    const spki = createPublicKey(importSecretKey(secretKey)).export({ type: 'spki', format: 'der' });
    return new Uint8Array(spki.subarray(spki.length - 32));
  },
  sign(secretKey, message) {
    requireSecretKeyLength('ed25519', secretKey, 32);
    return new Uint8Array(sign(null, message, importSecretKey(secretKey)));
  },
  verify(publicKey, message, signature) {
    return checkedVerify(publicKey, signature, (key) =>
      sodium
        ? sodiumEquation(sodium, key, publicKey, message, signature)
        : opensslEquation(key, message, signature),
    );
  },
};
