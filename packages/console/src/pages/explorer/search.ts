import type { Connection } from '../../chain/connection.js';
import { indexerGet } from '../../chain/indexer.js';

/** Where a search box's text leads: a block by height or hash, a transaction, or an account. */
export type SearchTarget =
  | { readonly kind: 'block'; readonly id: string }
  | { readonly kind: 'tx'; readonly hash: string }
  | { readonly kind: 'account'; readonly address: string }
  | { readonly kind: 'records'; readonly records: readonly IndexedRecord[] }
  | { readonly kind: 'none'; readonly why: 'format' | 'notFound' };

/** A module record the indexer found by its key (a DID, an anchor's root, a proposal id...). */
export interface IndexedRecord {
  readonly module: string;
  readonly recordKind: string;
  readonly key: string;
  readonly type: string;
  readonly height: number;
  readonly txHash: string;
}

export async function resolveSearch(connection: Connection, text: string): Promise<SearchTarget> {
  const q = text.trim().toLowerCase().replace(/^0x/, '');
  if (/^\d{1,15}$/.test(q)) return { kind: 'block', id: String(Number(q)) };
  if (/^[0-9a-f]{42}$/.test(q)) return { kind: 'account', address: q };
  if (/^[0-9a-f]{64}$/.test(q)) {
    // A 32-byte hash is a transaction's or a block's: ask for the transaction first.
    const tx = await connection.client.getTx(q).then(
      () => true,
      () => false,
    );
    if (tx) return { kind: 'tx', hash: q };
    const block = await connection.client.getBlockByHash(q).then(
      () => true,
      () => false,
    );
    return block ? { kind: 'block', id: q } : { kind: 'none', why: 'notFound' };
  }
  // Anything else may be a record's key, which only the indexer can find (it is a pointer:
  // the transaction it leads to is proven when opened).
  if (connection.settings.indexer && q.length > 0 && text.trim().length <= 256) {
    const { hits } = await indexerGet<{ hits: ({ kind: string } & IndexedRecord)[] }>(
      connection.settings.indexer,
      '/v1/index/search',
      { q: text.trim() },
    );
    const records = hits.filter((h) => h.kind === 'record');
    return records.length > 0 ? { kind: 'records', records } : { kind: 'none', why: 'notFound' };
  }
  return { kind: 'none', why: 'format' };
}
