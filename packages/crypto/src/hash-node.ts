import { createHash, hash as oneShot } from 'node:crypto';
import { assertHashAlgorithm, type HashAlgorithm } from './hash-algorithms.js';

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
