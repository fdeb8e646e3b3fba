import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { concatBytes } from '@pujiang/types';
import { BoundedCache } from '../bounded-cache.js';
import { invalidPublicKey, requirePublicKeyLength, requireSecretKeyLength } from './checks.js';
import type { SignatureSuite } from './suite.js';

export const ED25519_SPKI_PREFIX = Uint8Array.from(Buffer.from('302a300506032b6570032100', 'hex'));
export const ED25519_PKCS8_PREFIX = Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex'));

/** Group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L_LE = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');

/** True when the little-endian 32-byte scalar is < L (RFC 8032 section 5.1.7 step 1). */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L_LE[i]!) return true;
    if (s[i]! > L_LE[i]!) return false;
  }
  return false; // equal to L
}

/** True when a point encoding has y < p = 2^255 - 19 (RFC 8032 section 5.1.3 step 1). */
export function isCanonicalPointEncoding(p: Uint8Array): boolean {
  if ((p[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (p[i] !== 0xff) return true;
  return p[0]! < 0xed;
}

const publicKeys = new BoundedCache<KeyObject | null>();
const secretKeys = new BoundedCache<KeyObject>(256);

function importPublicKey(publicKey: Uint8Array): KeyObject | null {
  return publicKeys.getOrCreate(publicKey, () => {
    if (!isCanonicalPointEncoding(publicKey)) return null;
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
 * strict RFC 8032, cofactorless: S must be < L, A and R must be canonical encodings
 * (y < p) of curve points, and [S]B = R + [k]A must hold exactly. We check S and the
 * encodings ourselves before calling OpenSSL, so the rule does not depend on its version.
 * Small-order keys are not refused (RFC 8032 does not refuse them).
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
    if (key === null) throw invalidPublicKey('ed25519', 'not a canonical curve point encoding');
    if (signature.length !== 64) return false;
    if (!isCanonicalScalar(signature.subarray(32)) || !isCanonicalPointEncoding(signature.subarray(0, 32)))
      return false;
    return verify(null, message, key, signature);
  },
};
