import { addressesIn, type EventDeclarations, recordOf } from './records.js';

export interface ChainEventLike {
  readonly module: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** One committed transaction as the indexer assembles it from the block and its receipt. */
export interface FetchedTx {
  readonly hash: string;
  readonly index: number;
  /** The sender's address (hex), derived from its suite and key. */
  readonly sender: string;
  readonly module: string;
  readonly type: string;
  /** u64 decimal strings. */
  readonly nonce: string;
  readonly gasLimit: string;
  readonly code: string;
  readonly gasUsed: number;
  readonly events: readonly ChainEventLike[];
}

/** One block with everything the tables need. */
export interface FetchedBlock {
  readonly height: number;
  readonly hash: string;
  readonly timeMs: number;
  readonly proposer: string;
  readonly txs: readonly FetchedTx[];
  /** The block's module hook receipts, which follow its transactions (index txs.length + i). */
  readonly hooks: readonly { readonly txHash: string; readonly events: readonly ChainEventLike[] }[];
}

export interface BlockRow {
  height: number;
  hash: string;
  timeMs: number;
  txCount: number;
  proposer: string;
}
export interface TxRow {
  hash: string;
  height: number;
  index: number;
  sender: string;
  module: string;
  type: string;
  code: string;
  gasUsed: number;
  gasLimit: string;
  nonce: string;
}
export interface EventRow {
  height: number;
  txIndex: number;
  eventIndex: number;
  txHash: string;
  module: string;
  type: string;
  attributes: Readonly<Record<string, string>>;
}
export interface AccountTxRow {
  address: string;
  height: number;
  txIndex: number;
  txHash: string;
  sent: boolean;
}
export interface RecordRow {
  height: number;
  txIndex: number;
  eventIndex: number;
  module: string;
  kind: string;
  key: string;
  type: string;
  txHash: string;
  attributes: Readonly<Record<string, string>>;
}
export interface AccountRow {
  address: string;
  firstHeight: number;
  lastHeight: number;
  txCount: number;
  sentCount: number;
}

/** The rows of one block (accounts are summed per batch: `accountsOf`). */
export interface BlockRows {
  readonly block: BlockRow;
  readonly txs: TxRow[];
  readonly events: EventRow[];
  readonly accountTxs: AccountTxRow[];
  readonly records: RecordRow[];
}

/**
 * Maps a block to rows. An account is every address that sends a transaction or that an
 * event of a transaction names (an attribute with the address form); `account_txs` links it
 * to each such transaction once. Hook receipts give events and records, not accounts.
 */
export function blockRows(declarations: EventDeclarations, b: FetchedBlock): BlockRows {
  const rows: BlockRows = {
    block: { height: b.height, hash: b.hash, timeMs: b.timeMs, txCount: b.txs.length, proposer: b.proposer },
    txs: [],
    events: [],
    accountTxs: [],
    records: [],
  };
  const addEvents = (txIndex: number, txHash: string, events: readonly ChainEventLike[]) => {
    events.forEach((event, eventIndex) => {
      rows.events.push({
        height: b.height,
        txIndex,
        eventIndex,
        txHash,
        module: event.module,
        type: event.type,
        attributes: event.attributes,
      });
      const record = recordOf(declarations, event);
      if (record)
        rows.records.push({
          height: b.height,
          txIndex,
          eventIndex,
          module: event.module,
          kind: record.kind,
          key: record.key,
          type: event.type,
          txHash,
          attributes: event.attributes,
        });
    });
  };
  for (const tx of b.txs) {
    rows.txs.push({
      hash: tx.hash,
      height: b.height,
      index: tx.index,
      sender: tx.sender,
      module: tx.module,
      type: tx.type,
      code: tx.code,
      gasUsed: tx.gasUsed,
      gasLimit: tx.gasLimit,
      nonce: tx.nonce,
    });
    addEvents(tx.index, tx.hash, tx.events);
    const named = new Set<string>();
    for (const e of tx.events) for (const a of addressesIn(e.attributes)) named.add(a);
    named.delete(tx.sender);
    rows.accountTxs.push({
      address: tx.sender,
      height: b.height,
      txIndex: tx.index,
      txHash: tx.hash,
      sent: true,
    });
    for (const address of named)
      rows.accountTxs.push({ address, height: b.height, txIndex: tx.index, txHash: tx.hash, sent: false });
  }
  b.hooks.forEach((hook, i) => {
    addEvents(b.txs.length + i, hook.txHash, hook.events);
  });
  return rows;
}

/** One upsert row per address over a batch of blocks (in height order): first and last heights, counts. */
export function accountsOf(batch: readonly BlockRows[]): AccountRow[] {
  const accounts = new Map<string, AccountRow>();
  for (const rows of batch)
    for (const link of rows.accountTxs) {
      const a = accounts.get(link.address);
      if (a) {
        a.lastHeight = Math.max(a.lastHeight, link.height);
        a.firstHeight = Math.min(a.firstHeight, link.height);
        a.txCount += 1;
        if (link.sent) a.sentCount += 1;
      } else
        accounts.set(link.address, {
          address: link.address,
          firstHeight: link.height,
          lastHeight: link.height,
          txCount: 1,
          sentCount: link.sent ? 1 : 0,
        });
    }
  return [...accounts.values()];
}
