import { equalBytes } from '@pujiang/types';
import { CryptoError } from './errors.js';
import { HASH_LENGTH, type HashAlgorithm, hash } from './hash.js';

/**
 * Binary Merkle trees in the manner of RFC 6962 / RFC 9162: leaves are hashed as
 * H(0x00 || data) and inner nodes as H(0x01 || left || right), so a leaf can never be
 * passed off as an inner node. For n leaves the left subtree holds the largest power of
 * two below n; building level by level and carrying an unpaired last node up unchanged
 * gives exactly that tree. The empty tree's root is H("").
 */
const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

export interface MerkleProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes from the leaf up to the root. */
  readonly path: readonly Uint8Array[];
}

export function hashLeaf(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return hash(algorithm, LEAF_PREFIX, data);
}

export function hashChildren(algorithm: HashAlgorithm, left: Uint8Array, right: Uint8Array): Uint8Array {
  return hash(algorithm, NODE_PREFIX, left, right);
}

function nextLevel(algorithm: HashAlgorithm, level: readonly Uint8Array[]): Uint8Array[] {
  const up: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) up.push(hashChildren(algorithm, level[i]!, level[i + 1]!));
  if (level.length % 2 === 1) up.push(level[level.length - 1]!);
  return up;
}

/** Root over already-hashed leaves (use `hashLeaf` on each datum first). */
export function merkleRootOfLeafHashes(
  algorithm: HashAlgorithm,
  leafHashes: readonly Uint8Array[],
): Uint8Array {
  if (leafHashes.length === 0) return hash(algorithm);
  let level = leafHashes;
  while (level.length > 1) level = nextLevel(algorithm, level);
  return level[0]!;
}

export function merkleRoot(algorithm: HashAlgorithm, leaves: readonly Uint8Array[]): Uint8Array {
  return merkleRootOfLeafHashes(
    algorithm,
    leaves.map((leaf) => hashLeaf(algorithm, leaf)),
  );
}

/**
 * Every level of the tree over already-hashed leaves (levels[0] = the leaf hashes, the last
 * holds the root), kept so that many proofs cost only their sibling lookups.
 */
export function merkleLevels(algorithm: HashAlgorithm, leafHashes: readonly Uint8Array[]): Uint8Array[][] {
  let level = [...leafHashes];
  const levels = [level];
  while (level.length > 1) {
    level = nextLevel(algorithm, level);
    levels.push(level);
  }
  return levels;
}

/** The inclusion proof of leaf `leafIndex` from a tree's `merkleLevels`. */
export function merkleProofFromLevels(
  levels: readonly (readonly Uint8Array[])[],
  leafIndex: number,
): MerkleProof {
  const treeSize = levels[0]?.length ?? 0;
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new CryptoError(
      'CRYPTO_INVALID_MERKLE_INDEX',
      `leaf index ${leafIndex} outside a tree of ${treeSize} leaves`,
      { leafIndex, treeSize },
    );
  }
  const path: Uint8Array[] = [];
  let index = leafIndex;
  for (const level of levels.slice(0, -1)) {
    const sibling = index ^ 1;
    if (sibling < level.length) path.push(level[sibling]!);
    index >>= 1;
  }
  return { leafIndex, treeSize, path };
}

/** One leaf's inclusion proof (builds the tree; for many proofs keep `merkleLevels`). */
export function merkleProof(
  algorithm: HashAlgorithm,
  leaves: readonly Uint8Array[],
  leafIndex: number,
): MerkleProof {
  return merkleProofFromLevels(
    merkleLevels(
      algorithm,
      leaves.map((leaf) => hashLeaf(algorithm, leaf)),
    ),
    leafIndex,
  );
}

/**
 * Root implied by a leaf hash and its proof (RFC 9162 section 2.1.3.2), or undefined if the
 * proof's shape does not fit its index and tree size.
 */
export function rootFromProof(
  algorithm: HashAlgorithm,
  leafHash: Uint8Array,
  proof: MerkleProof,
): Uint8Array | undefined {
  const { leafIndex, treeSize, path } = proof;
  if (!Array.isArray(path) || path.some((p) => !(p instanceof Uint8Array) || p.length !== HASH_LENGTH))
    return undefined;
  if (
    !Number.isSafeInteger(leafIndex) ||
    !Number.isSafeInteger(treeSize) ||
    leafIndex < 0 ||
    leafIndex >= treeSize
  ) {
    return undefined;
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(algorithm, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(algorithm, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

export function verifyMerkleProof(
  algorithm: HashAlgorithm,
  root: Uint8Array,
  leaf: Uint8Array,
  proof: MerkleProof,
): boolean {
  const computed = rootFromProof(algorithm, hashLeaf(algorithm, leaf), proof);
  return computed !== undefined && equalBytes(computed, root);
}
