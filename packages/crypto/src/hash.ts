import { createHash, hash as oneShot } from 'node:crypto';
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

/** Below this many bytes, one-shot hashing of a copied concatenation beats a streaming hash object. */
const ONE_SHOT_MAX = 4096;

/**
 * Hash of the concatenation of `parts`. Small inputs (tree nodes, keys, transactions) are
 * the hot path of execution: they go through Node's one-shot `crypto.hash`, which skips the
 * hash object; large ones stream without a copy. The digest is returned as a view, not copied.
 */
export function hash(algorithm: HashAlgorithm, ...parts: readonly Uint8Array[]): Uint8Array {
  assertHashAlgorithm(algorithm);
  let total = 0;
  for (const part of parts) total += part.length;
  let digest: Buffer;
  if (total <= ONE_SHOT_MAX) {
    let input: Uint8Array;
    if (parts.length === 1) input = parts[0]!;
    else {
      input = new Uint8Array(total);
      let offset = 0;
      for (const part of parts) {
        input.set(part, offset);
        offset += part.length;
      }
    }
    digest = oneShot(algorithm, input, 'buffer') as Buffer;
  } else {
    const h = createHash(algorithm);
    for (const part of parts) h.update(part);
    digest = h.digest();
  }
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}
