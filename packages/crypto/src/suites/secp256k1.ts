import { secp256k1 as curve } from '@noble/curves/secp256k1.js';
import { bytesKey } from '#platform';
import {
  invalidPublicKey,
  invalidSecretKey,
  requirePublicKeyLength,
  requireSecretKeyLength,
} from './checks.js';
import type { SignatureSuite } from './suite.js';

type Point = InstanceType<typeof curve.Point>;
const parsedKeys = new Map<string, Point | null>();

function parsePublicKey(publicKey: Uint8Array): Point | null {
  const id = bytesKey(publicKey);
  let point = parsedKeys.get(id);
  if (point === undefined) {
    try {
      point = curve.Point.fromBytes(publicKey);
    } catch {
      point = null;
    }
    if (parsedKeys.size >= 4096) parsedKeys.clear();
    parsedKeys.set(id, point);
  }
  return point;
}

/**
 * ECDSA over secp256k1 (@noble/curves) on SHA-256 of the message, RFC 6979 nonces,
 * 64-byte compact r || s, and only low-S signatures accepted (no malleability).
 * Public keys are 33-byte compressed points.
 */
export const secp256k1: SignatureSuite = {
  id: 'secp256k1',
  code: 3,
  publicKeyLength: 33,
  secretKeyLength: 32,
  signatureLength: 64,
  generateSecretKey: () => curve.utils.randomSecretKey(),
  publicKeyFromSecretKey(secretKey) {
    requireSecretKeyLength('secp256k1', secretKey, 32);
    if (!curve.utils.isValidSecretKey(secretKey))
      throw invalidSecretKey('secp256k1', 'scalar outside [1, n-1]');
    return curve.getPublicKey(secretKey, true);
  },
  sign(secretKey, message) {
    requireSecretKeyLength('secp256k1', secretKey, 32);
    if (!curve.utils.isValidSecretKey(secretKey))
      throw invalidSecretKey('secp256k1', 'scalar outside [1, n-1]');
    return curve.sign(message, secretKey, { prehash: true, lowS: true, format: 'compact' });
  },
  verify(publicKey, message, signature) {
    requirePublicKeyLength('secp256k1', publicKey, 33);
    if (parsePublicKey(publicKey) === null)
      throw invalidPublicKey('secp256k1', 'not a compressed curve point');
    if (signature.length !== 64) return false;
    try {
      return curve.verify(signature, message, publicKey, { prehash: true, lowS: true, format: 'compact' });
    } catch {
      return false;
    }
  },
};
