import { decodeNode, encodeNode, type NodeStore, type TreeNode } from '@pujiang/state';
import { PujiangError } from '@pujiang/types';
import { type Database, open, type RootDatabase } from 'lmdb';

export type StorageErrorCode = 'STORAGE_CLOSED' | 'STORAGE_CORRUPT' | 'STORAGE_UNKNOWN_TABLE';

/** The tables a chain keeps besides state nodes; values are canonical encodings owned by the node. */
export const TABLES = [
  'meta',
  'blocks',
  'headers',
  'block-hashes',
  'certificates',
  'receipts',
  'tx-index',
  'candidates',
  // Modules' search indexes (keys only): not state, rebuilt by replaying blocks.
  'search',
] as const;
export type Table = (typeof TABLES)[number];

/** Writes that go into one commit, per table. */
export type TableWrites = Partial<Record<Table, Readonly<Record<string, Uint8Array>>>>;
/** Keys removed in the same commit, per table. */
export type TableDeletes = Partial<Record<Table, readonly string[]>>;

/**
 * The node's embedded store on LMDB. State-tree nodes written during a block are held in
 * memory and reach the disk together with the block's metadata in one LMDB transaction
 * (`commit`), so after a crash at any moment the store holds the previous block or the new
 * one, complete, and never a state root whose nodes are missing.
 */
export class ChainStore implements NodeStore {
  private readonly root: RootDatabase;
  private readonly nodes: Database<Uint8Array, string>;
  private readonly tables: ReadonlyMap<Table, Database<Uint8Array, string>>;
  private pending = new Map<string, TreeNode>();
  /** Decoded nodes recently read or committed: nodes are immutable, so a cache is always right. */
  private readonly cache = new Map<string, TreeNode>();
  private readonly cacheSize: number;
  private closed = false;

  private constructor(path: string, cacheSize: number) {
    this.cacheSize = cacheSize;
    // overlappingSync (lmdb-js's default on Linux) returns from a commit before it is on disk;
    // the consensus WAL and signer are fsynced, so the store must be too, or after a power
    // loss the signer could be past a height the store no longer holds.
    this.root = open({ path, compression: false, overlappingSync: false, noSync: false });
    this.nodes = this.root.openDB({ name: 'state-nodes', encoding: 'binary' });
    this.tables = new Map(TABLES.map((name) => [name, this.root.openDB({ name, encoding: 'binary' })]));
  }

  /** Opens (or creates) the store; `cacheNodes` bounds the decoded state-node cache (default 200,000). */
  static open(path: string, options: { cacheNodes?: number } = {}): ChainStore {
    return new ChainStore(path, options.cacheNodes ?? 200_000);
  }

  private remember(hash: string, node: TreeNode): void {
    // Oldest-first eviction: a Map iterates in insertion order.
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, node);
  }

  private live(): void {
    if (this.closed)
      throw new PujiangError<StorageErrorCode>('STORAGE_CLOSED', 'the chain store is closed', {});
  }

  get(hash: string): TreeNode | undefined {
    this.live();
    const known = this.pending.get(hash) ?? this.cache.get(hash);
    if (known) return known;
    const bytes = this.nodes.get(hash);
    if (bytes === undefined) return undefined;
    try {
      const node = decodeNode(bytes);
      this.remember(hash, node);
      return node;
    } catch (cause) {
      throw new PujiangError<StorageErrorCode>('STORAGE_CORRUPT', `state node ${hash} does not decode`, {
        hash,
        cause: String(cause),
      });
    }
  }

  put(hash: string, node: TreeNode): void {
    this.live();
    this.pending.set(hash, node);
  }

  private table(name: Table): Database<Uint8Array, string> {
    const table = this.tables.get(name);
    if (!table)
      throw new PujiangError<StorageErrorCode>('STORAGE_UNKNOWN_TABLE', `no table ${name}`, { name });
    return table;
  }

  read(table: Table, key: string): Uint8Array | undefined {
    this.live();
    const value = this.table(table).get(key);
    return value === undefined ? undefined : new Uint8Array(value); // a plain copy, not LMDB's Buffer
  }

  getMeta(key: string): Uint8Array | undefined {
    return this.read('meta', key);
  }

  /** Writes the pending state nodes and the given rows (metadata by default) in one durable transaction. */
  commit(
    meta: Readonly<Record<string, Uint8Array>> = {},
    rows: TableWrites = {},
    deletes: TableDeletes = {},
  ): void {
    this.live();
    const pending = this.pending;
    const writes: TableWrites = { ...rows, meta: { ...(rows.meta ?? {}), ...meta } };
    this.root.transactionSync(() => {
      for (const [hash, node] of pending) this.nodes.putSync(hash, encodeNode(node));
      for (const [name, entries] of Object.entries(writes) as [Table, Record<string, Uint8Array>][]) {
        const table = this.table(name);
        for (const [key, value] of Object.entries(entries)) table.putSync(key, value);
      }
      for (const [name, keys] of Object.entries(deletes) as [Table, readonly string[]][]) {
        const table = this.table(name);
        for (const key of keys) table.removeSync(key);
      }
    });
    for (const [hash, node] of pending) this.remember(hash, node);
    this.pending = new Map();
  }

  /** Writes one row durably on its own (no pending state nodes): e.g. a block before voting for it. */
  writeNow(table: Table, key: string, value: Uint8Array): void {
    this.live();
    this.root.transactionSync(() => this.table(table).putSync(key, value));
  }

  /** Every key of a table, in order (for small tables such as candidates). */
  keys(table: Table): string[] {
    this.live();
    return [...this.table(table).getKeys()];
  }

  /** Keys of a table in [start, end), in order, at most `limit`. */
  range(table: Table, start: string, end: string, limit: number): string[] {
    this.live();
    const keys: string[] = [];
    for (const key of this.table(table).getKeys({ start, end, limit })) keys.push(key);
    return keys;
  }

  /** Drops what was written since the last commit (a block that will not be committed). */
  discard(): void {
    this.pending = new Map();
  }

  get pendingNodes(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root.close();
  }
}
