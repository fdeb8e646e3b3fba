import type { Connection } from '../../chain/connection.js';

/** Where a search box's text leads: a block by height or hash, a transaction, or an account. */
export type SearchTarget =
  | { readonly kind: 'block'; readonly id: string }
  | { readonly kind: 'tx'; readonly hash: string }
  | { readonly kind: 'account'; readonly address: string }
  | { readonly kind: 'none'; readonly why: 'format' | 'notFound' };

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
  return { kind: 'none', why: 'format' };
}
