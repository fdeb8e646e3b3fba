import type { HashAlgorithm } from '@pujiang/crypto';
import type { ChainModule } from '@pujiang/module-kit';
import type { Receipt, SignedTx } from '@pujiang/protocol';
import type { TableDeletes, TableWrites } from '@pujiang/storage';

/**
 * A module's index key in the store's `search` table: the module name, `/`, its key (module
 * names have no `/`; no control characters, which LMDB's ordered key encoding reserves).
 */
export const searchKey = (module: string, key: string): string => `${module}/${key}`;

const EMPTY = new Uint8Array(0);

/**
 * The search-index rows a block's committed transactions (the `searchIndexTx` of every module
 * declaring one, for every transaction whatever its module and outcome) and events
 * (`searchIndex`, the event's module) add and remove, in block order (a key a later entry
 * removes is not written), for the store's one commit transaction.
 */
export function searchRows(
  moduleOf: (name: string) => ChainModule | undefined,
  receipts: readonly Receipt[],
  at: { readonly height: bigint; readonly time: bigint },
  block?: {
    readonly txs: readonly { readonly tx: SignedTx; readonly hash: string }[];
    readonly chainHash: HashAlgorithm;
    /** The enabled modules that declare `searchIndexTx`. */
    readonly txIndexers: readonly ChainModule[];
  },
): { rows: TableWrites; deletes: TableDeletes } {
  const present = new Map<string, boolean>();
  block?.txs.forEach(({ tx, hash }, index) => {
    for (const module of block.txIndexers) {
      const update = module.searchIndexTx?.(
        { tx, hash, index, receipt: receipts[index]!, chainHash: block.chainHash },
        at,
      );
      if (update === undefined) continue;
      for (const key of update.delete ?? []) present.set(searchKey(module.name, key), false);
      for (const key of update.put ?? []) present.set(searchKey(module.name, key), true);
    }
  });
  for (const receipt of receipts) {
    for (const event of receipt.events) {
      const update = moduleOf(event.module)?.searchIndex?.(event, at);
      if (update === undefined) continue;
      for (const key of update.delete ?? []) present.set(searchKey(event.module, key), false);
      for (const key of update.put ?? []) present.set(searchKey(event.module, key), true);
    }
  }
  if (present.size === 0) return { rows: {}, deletes: {} };
  const put: Record<string, Uint8Array> = {};
  const removed: string[] = [];
  for (const [key, here] of present) {
    if (here) put[key] = EMPTY;
    else removed.push(key);
  }
  return { rows: { search: put }, deletes: { search: removed } };
}
