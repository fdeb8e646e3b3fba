import { type HashAlgorithm, hash } from '@pujiang/crypto';
import { equalBytes } from '@pujiang/types';
import { bitAt, EMPTY_ROOT, internalHash, leafHash, type StateProof } from './tree.js';

export type ProofVerdict =
  | { readonly valid: true; readonly present: boolean }
  | { readonly valid: false; readonly reason: string };

/**
 * Checks a state proof with nothing but the root: that `key` holds `value` (or, with
 * `value` undefined, that `key` is absent). Needs no server and no tree; runs in a browser.
 */
export function verifyStateProof(
  algorithm: HashAlgorithm,
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | undefined,
  proof: StateProof,
): ProofVerdict {
  const path = hash(algorithm, key);
  const depth = proof.siblings.length;
  if (depth > 256) return { valid: false, reason: 'proof deeper than the key space' };
  let h: Uint8Array;
  const t = proof.terminal;
  if (t.kind === 'leaf') {
    // The leaf found must sit on the key's own path down to this depth.
    for (let d = 0; d < depth; d++) {
      if (bitAt(t.path, d) !== bitAt(path, d))
        return { valid: false, reason: 'the proof leaf is not on the key path' };
    }
    const own = equalBytes(t.path, path);
    if (value !== undefined) {
      if (!own) return { valid: false, reason: 'the key is not in the state' };
      if (!equalBytes(t.valueHash, hash(algorithm, value)))
        return { valid: false, reason: 'the value differs' };
    } else if (own) {
      return { valid: false, reason: 'the key is present' };
    }
    h = leafHash(algorithm, t.path, t.valueHash);
  } else {
    if (value !== undefined) return { valid: false, reason: 'the key is not in the state' };
    h = EMPTY_ROOT;
  }
  for (let d = depth - 1; d >= 0; d--) {
    const sibling = proof.siblings[d]!;
    if (!(sibling instanceof Uint8Array) || sibling.length !== 32)
      return { valid: false, reason: 'malformed sibling' };
    h = bitAt(path, d) === 1 ? internalHash(algorithm, sibling, h) : internalHash(algorithm, h, sibling);
  }
  if (!equalBytes(h, root)) return { valid: false, reason: 'the proof does not lead to the root' };
  return { valid: true, present: value !== undefined };
}
