import type { ChainModule } from '@pujiang/module-kit';
import type { Receipt } from '@pujiang/protocol';
import type { TableDeletes, TableWrites } from '@pujiang/storage';

/**
 * A module's index key in the store's `search` table: the module name, `/`, its key (module
 * names have no `/`; no control characters, which LMDB's ordered key encoding reserves).
 */
export const searchKey = (module: string, key: string): string => `${module}/${key}`;

const EMPTY = new Uint8Array(0);

/**
 * The search-index rows a block's committed events add and remove, in event order (a key a
 * later event removes is not written), for the store's one commit transaction.
 */
export function searchRows(
  moduleOf: (name: string) => ChainModule | undefined,
  receipts: readonly Receipt[],
  at: { readonly height: bigint; readonly time: bigint },
): { rows: TableWrites; deletes: TableDeletes } {
  const present = new Map<string, boolean>();
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
