import type { SparseMerkleTree } from '@pujiang/state';

const utf8 = (text: string): Uint8Array => {
  const b = Buffer.from(text, 'utf8');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
};

/** Bound on the values a chain keeps for its latest state (reads between blocks could otherwise grow it). */
export const MAX_KNOWN_VALUES = 200_000;

/**
 * What a block overlay knows of a key: its value, or `null` when it is absent (deleted), so
 * one map lookup answers (reads are the executor's hottest path).
 */
export type KnownValue = Uint8Array | null;

/**
 * Writes of a block (or of one transaction) held in memory over a committed state root.
 * Keys are state keys as text (`moduleKeyText`; their UTF-8 bytes are the tree's keys), so
 * the hot path compares strings instead of converting bytes. Reads see the overlay first.
 * A transaction runs in a child overlay that is merged into the block's on success and
 * dropped on failure, so a failed transaction changes nothing.
 */
export class StateOverlay {
  private readonly writes = new Map<string, KnownValue>();

  constructor(
    private readonly tree: SparseMerkleTree,
    private readonly root: Uint8Array,
    private readonly parent?: StateOverlay,
    /** Values known at `root` (a root overlay only): read before the tree, filled by reads. */
    private readonly known?: Map<string, KnownValue>,
  ) {}

  get(key: string): Uint8Array | undefined {
    let overlay: StateOverlay = this;
    for (;;) {
      const written = overlay.writes.get(key);
      if (written !== undefined) return written ?? undefined;
      if (overlay.parent === undefined) break;
      overlay = overlay.parent;
    }
    const known = overlay.known;
    const seen = known?.get(key);
    if (seen !== undefined) return seen ?? undefined;
    const value = overlay.tree.get(overlay.root, utf8(key));
    if (known !== undefined && known.size < MAX_KNOWN_VALUES) known.set(key, value ?? null);
    return value;
  }

  /** This overlay's writes, `null` for a deletion (for a block: what the next state differs in). */
  get changes(): ReadonlyMap<string, KnownValue> {
    return this.writes;
  }

  set(key: string, value: Uint8Array | undefined): void {
    this.writes.set(key, value ?? null);
  }

  child(): StateOverlay {
    return new StateOverlay(this.tree, this.root, this);
  }

  /** Folds this overlay's writes into its parent. */
  mergeIntoParent(): void {
    if (!this.parent) throw new Error('a root overlay has no parent');
    for (const [key, value] of this.writes) this.parent.writes.set(key, value);
  }

  /** Applies the writes to the tree in one batch (the root depends only on the final contents). */
  commit(): Uint8Array {
    return this.tree.updateMany(
      this.root,
      [...this.writes].map(([key, value]) => [utf8(key), value ?? undefined] as const),
    );
  }
}
