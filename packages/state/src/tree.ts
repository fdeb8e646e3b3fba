import { type HashAlgorithm, hash } from '@pujiang/crypto';
import { bytesToHex, compareBytes, equalBytes, PujiangError } from '@pujiang/types';

/**
 * A sparse Merkle tree over 256-bit paths (the hash of each key). A subtree that holds one
 * key is collapsed into that key's leaf, so the tree's shape, and therefore its root,
 * depends only on the set of (key, value) pairs, never on the order of updates. Nodes are
 * immutable and addressed by hash: every update returns a new root and shares the rest.
 *
 *   empty    = 32 zero bytes
 *   leaf     = H(0x00 || H(key) || H(value))
 *   internal = H(0x01 || left || right)
 */
export const EMPTY_ROOT = new Uint8Array(32);
const LEAF = Uint8Array.of(0);
const INTERNAL = Uint8Array.of(1);

export type StateErrorCode = 'STATE_MISSING_NODE' | 'STATE_INVALID_KEY';

export type TreeNode =
  | { readonly kind: 'leaf'; readonly path: Uint8Array; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly kind: 'internal'; readonly left: Uint8Array; readonly right: Uint8Array };

/** Where nodes live: a Map in memory, or the node's database. */
export interface NodeStore {
  get(hash: string): TreeNode | undefined;
  put(hash: string, node: TreeNode): void;
}

export class MemoryNodeStore implements NodeStore {
  private readonly nodes = new Map<string, TreeNode>();
  get(hash: string): TreeNode | undefined {
    return this.nodes.get(hash);
  }
  put(hash: string, node: TreeNode): void {
    this.nodes.set(hash, node);
  }
  get size(): number {
    return this.nodes.size;
  }
}

export function bitAt(path: Uint8Array, depth: number): 0 | 1 {
  return ((path[depth >> 3]! >> (7 - (depth & 7))) & 1) as 0 | 1;
}

export function leafHash(algorithm: HashAlgorithm, path: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return hash(algorithm, LEAF, path, valueHash);
}

export function internalHash(algorithm: HashAlgorithm, left: Uint8Array, right: Uint8Array): Uint8Array {
  return hash(algorithm, INTERNAL, left, right);
}

/** Proof of a key's value, or of its absence, against a root. */
export interface StateProof {
  /** Sibling hashes from the root down to where the search for the key ended. */
  readonly siblings: readonly Uint8Array[];
  /** What the search found there: the key's own leaf, another key's leaf, or nothing. */
  readonly terminal:
    | { readonly kind: 'leaf'; readonly path: Uint8Array; readonly valueHash: Uint8Array }
    | { readonly kind: 'empty' };
}

interface BatchEntry {
  readonly path: Uint8Array;
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
  /** The hash of the leaf already in the tree, when this entry is an untouched existing leaf. */
  readonly existing?: Uint8Array;
}

/** Index of the first entry whose path has bit 1 at `depth` (entries sorted by path). */
function firstWithBit(entries: readonly BatchEntry[], depth: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bitAt(entries[mid]!.path, depth) === 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const MAX_CACHED_PATHS = 100_000;

export class SparseMerkleTree {
  constructor(
    readonly algorithm: HashAlgorithm,
    private readonly store: NodeStore = new MemoryNodeStore(),
  ) {}

  /** Paths of recently used keys: accounts recur block after block, and each costs a hash. */
  private readonly paths = new Map<string, Uint8Array>();

  pathOf(key: Uint8Array): Uint8Array {
    if (!(key instanceof Uint8Array)) {
      throw new PujiangError<StateErrorCode>('STATE_INVALID_KEY', 'state keys are byte strings', {});
    }
    const id = Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
    let path = this.paths.get(id);
    if (path === undefined) {
      path = hash(this.algorithm, key);
      if (this.paths.size >= MAX_CACHED_PATHS) this.paths.clear();
      this.paths.set(id, path);
    }
    return path;
  }

  private node(h: Uint8Array): TreeNode {
    const node = this.store.get(bytesToHex(h));
    if (!node) {
      throw new PujiangError<StateErrorCode>(
        'STATE_MISSING_NODE',
        `state node ${bytesToHex(h)} is not in the store`,
        {
          hash: bytesToHex(h),
        },
      );
    }
    return node;
  }

  private putLeaf(path: Uint8Array, key: Uint8Array, value: Uint8Array): Uint8Array {
    const h = leafHash(this.algorithm, path, hash(this.algorithm, value));
    this.store.put(bytesToHex(h), { kind: 'leaf', path, key, value });
    return h;
  }

  private putInternal(left: Uint8Array, right: Uint8Array): Uint8Array {
    // A subtree with a single leaf and nothing else collapses into that leaf.
    if (equalBytes(left, EMPTY_ROOT) && equalBytes(right, EMPTY_ROOT)) return EMPTY_ROOT;
    if (equalBytes(right, EMPTY_ROOT) && this.node(left).kind === 'leaf') return left;
    if (equalBytes(left, EMPTY_ROOT) && this.node(right).kind === 'leaf') return right;
    const h = internalHash(this.algorithm, left, right);
    this.store.put(bytesToHex(h), { kind: 'internal', left, right });
    return h;
  }

  /** The value stored under `key` at `root`, or undefined. */
  get(root: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    const path = this.pathOf(key);
    let h = root;
    for (let depth = 0; !equalBytes(h, EMPTY_ROOT); depth++) {
      const node = this.node(h);
      if (node.kind === 'leaf') return equalBytes(node.path, path) ? node.value : undefined;
      h = bitAt(path, depth) === 0 ? node.left : node.right;
    }
    return undefined;
  }

  /** A new root with `key` set to `value` (or removed, when `value` is undefined). */
  update(root: Uint8Array, key: Uint8Array, value: Uint8Array | undefined): Uint8Array {
    const path = this.pathOf(key);
    return this.updateAt(root, path, key, value, 0);
  }

  private updateAt(
    h: Uint8Array,
    path: Uint8Array,
    key: Uint8Array,
    value: Uint8Array | undefined,
    depth: number,
  ): Uint8Array {
    if (equalBytes(h, EMPTY_ROOT)) return value === undefined ? EMPTY_ROOT : this.putLeaf(path, key, value);
    const node = this.node(h);
    if (node.kind === 'leaf') {
      if (equalBytes(node.path, path))
        return value === undefined ? EMPTY_ROOT : this.putLeaf(path, key, value);
      if (value === undefined) return h; // removing a key that is not there
      // Two keys now share this subtree: push the old leaf down until their paths part.
      const fresh = this.putLeaf(path, key, value);
      return this.split(h, node.path, fresh, path, depth);
    }
    const goRight = bitAt(path, depth) === 1;
    const child = this.updateAt(goRight ? node.right : node.left, path, key, value, depth + 1);
    return goRight ? this.putInternal(node.left, child) : this.putInternal(child, node.right);
  }

  private split(
    a: Uint8Array,
    aPath: Uint8Array,
    b: Uint8Array,
    bPath: Uint8Array,
    depth: number,
  ): Uint8Array {
    const aBit = bitAt(aPath, depth);
    if (aBit === bitAt(bPath, depth)) {
      const below = this.split(a, aPath, b, bPath, depth + 1);
      const h =
        aBit === 0
          ? internalHash(this.algorithm, below, EMPTY_ROOT)
          : internalHash(this.algorithm, EMPTY_ROOT, below);
      this.store.put(
        bytesToHex(h),
        aBit === 0
          ? { kind: 'internal', left: below, right: EMPTY_ROOT }
          : { kind: 'internal', left: EMPTY_ROOT, right: below },
      );
      return h;
    }
    const [left, right] = aBit === 0 ? [a, b] : [b, a];
    const h = internalHash(this.algorithm, left, right);
    this.store.put(bytesToHex(h), { kind: 'internal', left, right });
    return h;
  }

  /**
   * A new root with every write applied at once: the same root as applying them one by one
   * (in any order), but each changed node is hashed and stored once, not once per write.
   * A key written twice keeps its last value.
   */
  updateMany(
    root: Uint8Array,
    writes: Iterable<readonly [key: Uint8Array, value: Uint8Array | undefined]>,
  ): Uint8Array {
    const byPath = new Map<string, BatchEntry>();
    for (const [key, value] of writes) {
      const path = this.pathOf(key);
      byPath.set(bytesToHex(path), { path, key, value });
    }
    if (byPath.size === 0) return root;
    const entries = [...byPath.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
    return this.updateBatchAt(root, entries, 0);
  }

  /** `entries` are sorted by path and all lie under `h`'s position at `depth`. */
  private updateBatchAt(h: Uint8Array, entries: readonly BatchEntry[], depth: number): Uint8Array {
    if (entries.length === 0) return h;
    if (equalBytes(h, EMPTY_ROOT)) return this.buildAt(entries, depth);
    const node = this.node(h);
    if (node.kind === 'leaf') {
      // The existing leaf joins the batch unless a write replaces it.
      const replaced = entries.some((e) => equalBytes(e.path, node.path));
      const merged = replaced
        ? entries
        : [...entries, { path: node.path, key: node.key, value: node.value, existing: h }].sort((a, b) =>
            compareBytes(a.path, b.path),
          );
      return this.buildAt(merged, depth);
    }
    const split = firstWithBit(entries, depth);
    const left = this.updateBatchAt(node.left, entries.slice(0, split), depth + 1);
    const right = this.updateBatchAt(node.right, entries.slice(split), depth + 1);
    return this.putInternal(left, right);
  }

  /** A subtree holding exactly the live entries (deletions of absent keys vanish). */
  private buildAt(entries: readonly BatchEntry[], depth: number): Uint8Array {
    const live = entries.filter((e) => e.value !== undefined);
    if (live.length === 0) return EMPTY_ROOT;
    if (live.length === 1) {
      const e = live[0]!;
      return e.existing ?? this.putLeaf(e.path, e.key, e.value!);
    }
    const split = firstWithBit(live, depth);
    return this.putInternal(
      this.buildAt(live.slice(0, split), depth + 1),
      this.buildAt(live.slice(split), depth + 1),
    );
  }

  /** A proof of `key`'s value or absence at `root`. */
  prove(root: Uint8Array, key: Uint8Array): StateProof {
    const path = this.pathOf(key);
    const siblings: Uint8Array[] = [];
    let h = root;
    for (let depth = 0; ; depth++) {
      if (equalBytes(h, EMPTY_ROOT)) return { siblings, terminal: { kind: 'empty' } };
      const node = this.node(h);
      if (node.kind === 'leaf') {
        return {
          siblings,
          terminal: { kind: 'leaf', path: node.path, valueHash: hash(this.algorithm, node.value) },
        };
      }
      const right = bitAt(path, depth) === 1;
      siblings.push(right ? node.left : node.right);
      h = right ? node.right : node.left;
    }
  }
}
