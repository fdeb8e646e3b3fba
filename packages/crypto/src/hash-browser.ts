import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes } from '@pujiang/types';
import { sm3 } from 'sm-crypto-v2';
import { assertHashAlgorithm, type HashAlgorithm } from './hash-algorithms.js';

/**
 * `hash` without Node (the package's `#hash` import under the `browser` condition):
 * SHA-256 from @noble/hashes, SM3 from sm-crypto-v2. Same results as the node:crypto
 * version (the hash tests run both on the standards' examples).
 */
export function hash(algorithm: HashAlgorithm, ...parts: readonly Uint8Array[]): Uint8Array {
  assertHashAlgorithm(algorithm);
  if (algorithm === 'sha256') {
    const h = sha256.create();
    for (const part of parts) h.update(part);
    return h.digest();
  }
  // sm-crypto-v2 hashes one input and answers in hex.
  return hexToBytes(sm3(parts.length === 1 ? parts[0]! : concatBytes(...parts)));
}
