import { CryptoError } from './errors.js';

/** The hash a chain chooses at genesis: SM3 (GB/T 32905, government chains) or SHA-256. */
export type HashAlgorithm = 'sm3' | 'sha256';
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sm3', 'sha256'];
export const HASH_LENGTH = 32;

export function assertHashAlgorithm(value: unknown): asserts value is HashAlgorithm {
  if (value !== 'sm3' && value !== 'sha256') {
    throw new CryptoError(
      'CRYPTO_UNKNOWN_HASH',
      `unknown hash algorithm ${String(value)}; use sm3 or sha256`,
      {
        algorithm: String(value),
      },
    );
  }
}
