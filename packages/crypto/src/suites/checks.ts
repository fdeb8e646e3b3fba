import { bytesToHex } from '@pujiang/types';
import { CryptoError } from '../errors.js';
import type { SuiteId } from './suite.js';

export function requirePublicKeyLength(suite: SuiteId, key: Uint8Array, length: number): void {
  if (!(key instanceof Uint8Array) || key.length !== length) {
    throw new CryptoError('CRYPTO_INVALID_PUBLIC_KEY', `${suite} public key must be ${length} bytes`, {
      suite,
      expected: length,
      actual: key instanceof Uint8Array ? key.length : typeof key,
    });
  }
}

export function requireSecretKeyLength(suite: SuiteId, key: Uint8Array, length: number): void {
  if (!(key instanceof Uint8Array) || key.length !== length) {
    throw new CryptoError('CRYPTO_INVALID_SECRET_KEY', `${suite} secret key must be ${length} bytes`, {
      suite,
      expected: length,
      actual: key instanceof Uint8Array ? key.length : typeof key,
    });
  }
}

export function invalidPublicKey(suite: SuiteId, reason: string): CryptoError {
  return new CryptoError('CRYPTO_INVALID_PUBLIC_KEY', `${suite} public key is invalid: ${reason}`, { suite });
}

export function invalidSecretKey(suite: SuiteId, reason: string): CryptoError {
  return new CryptoError('CRYPTO_INVALID_SECRET_KEY', `${suite} secret key is invalid: ${reason}`, { suite });
}

/** Big-endian bytes to bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);
}
