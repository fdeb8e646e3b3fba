import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
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

/**
 * Ed25519 (RFC 8032) through node:crypto (OpenSSL). The verification rule is pinned to
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
    requirePublicKeyLength('ed25519', publicKey, 32);
    const key = importPublicKey(publicKey);
    if (key === null) throw invalidPublicKey('ed25519', 'not a canonical encoding of a point of large order');
    if (signature.length !== 64) return false;
    if (!isCanonicalScalar(signature.subarray(32)) || !isCanonicalPointEncoding(signature.subarray(0, 32)))
      return false;
    return verify(null, message, key, signature);
  },
};
