import type { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';

/**
 * Writes of a block (or of one transaction) held in memory over a committed state root.
 * Reads see the overlay first. A transaction runs in a child overlay that is merged into
 * the block's on success and dropped on failure, so a failed transaction changes nothing.
 */
export class StateOverlay {
  private readonly writes = new Map<string, Uint8Array | undefined>();

  constructor(
    private readonly tree: SparseMerkleTree,
    private readonly root: Uint8Array,
    private readonly parent?: StateOverlay,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const id = bytesToHex(key);
    if (this.writes.has(id)) return this.writes.get(id);
    return this.parent ? this.parent.get(key) : this.tree.get(this.root, key);
  }

  set(key: Uint8Array, value: Uint8Array | undefined): void {
    this.writes.set(bytesToHex(key), value);
  }

  child(): StateOverlay {
    return new StateOverlay(this.tree, this.root, this);
  }

  /** Folds this overlay's writes into its parent. */
  mergeIntoParent(): void {
    if (!this.parent) throw new Error('a root overlay has no parent');
    for (const [id, value] of this.writes) this.parent.writes.set(id, value);
  }

  /** Applies the writes to the tree in one batch (the root depends only on the final contents). */
  commit(): Uint8Array {
    return this.tree.updateMany(
      this.root,
      [...this.writes].map(([id, value]) => [hexToBytes(id), value] as const),
    );
  }
}
