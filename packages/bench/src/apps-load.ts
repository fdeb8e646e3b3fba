import { BlockWatcher, type SeenBlock } from './block-watcher.js';
import type { Presigned } from './presign.js';
import { PujiangTransport } from './pujiang-transport.js';

/** How a fixed set of presigned transactions is pushed through one node. */
export interface CommitAllOptions {
  /** Transactions per `POST /v1/txs/batch` request. */
  readonly maxBatch: number;
  /** Requests in flight. */
  readonly maxInFlight: number;
  /** At most this many admitted and not yet seen committed: beyond it, wait for blocks. */
  readonly maxOutstanding: number;
  /** Give up (throw) when not everything is committed by then. */
  readonly timeoutMs: number;
}

/** A block holding some of the set, as the bench saw it arrive. */
export interface SetBlock {
  readonly height: number;
  readonly at: number;
  readonly ok: number;
  readonly failed: number;
}

export interface CommitAllOutcome {
  readonly txs: number;
  /** From the first submission to the arrival of the block holding the last transaction, seconds. */
  readonly seconds: number;
  /** Receipt codes other than OK, counted. */
  readonly failed: Readonly<Record<string, number>>;
  /** Refusals at admission by code (retried ones included; anything else never committed). */
  readonly refused: Readonly<Record<string, number>>;
  readonly blocks: readonly SetBlock[];
  /** OK receipts per second between the first and the last block holding the set (the first block's own not counted). */
  readonly okPerSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Submits every presigned transaction, in order, as fast as the node admits them (never more
 * than `maxOutstanding` ahead of the blocks), retrying what the node refuses for now (a full
 * mempool, a sender's later nonce first), and resolves once each is committed: its receipt
 * code comes with its block over `/v1/events`. A closed set rather than the node group's
 * open-loop window: each message of a later phase acts on what this one committed.
 */
export async function commitAll(
  apiUrl: string,
  signed: Presigned,
  o: CommitAllOptions,
): Promise<CommitAllOutcome> {
  const total = signed.hex.length;
  const index = new Map(signed.hashes.map((hash, i) => [hash, i]));
  const blocks = new Map<number, { at: number; ok: number; failed: number }>();
  const failed: Record<string, number> = {};
  const refused: Record<string, number> = {};
  let committed = 0;
  let given = 0; // refused for good: they never commit
  let admitted = 0;
  let paused = false;
  const count = (into: Record<string, number>, code: string, n = 1) => {
    into[code] = (into[code] ?? 0) + n;
  };
  const onTx = (hash: string, code: string, block: SeenBlock) => {
    if (!index.has(hash)) return;
    committed++;
    const b = blocks.get(block.height) ?? { at: block.at, ok: 0, failed: 0 };
    if (code === 'OK') b.ok++;
    else {
      b.failed++;
      count(failed, code);
    }
    blocks.set(block.height, b);
  };
  const watcher = new BlockWatcher(apiUrl, {
    txs: true,
    onBlock: () => {
      paused = false;
    },
    onTx,
  });
  const transport = new PujiangTransport(apiUrl, signed.hex, o.maxInFlight);
  await watcher.open();
  try {
    let next = 0;
    let retry: number[] = [];
    let inFlight = 0;
    const start = performance.now();
    const deadline = start + o.timeoutMs;
    const post = (items: number[]) => {
      inFlight++;
      void transport.send(items).then((outcome) => {
        inFlight--;
        if ('failed' in outcome) {
          count(refused, outcome.failed, items.length);
          retry = [...retry, ...items].sort((a, b) => a - b);
          paused = true;
          return;
        }
        const again: number[] = [];
        items.forEach((item, i) => {
          const code = outcome.codes[i];
          if (code === undefined) {
            admitted++;
            return;
          }
          count(refused, code);
          if (transport.full.has(code)) paused = true;
          if (transport.retryable.has(code)) again.push(item);
          else given++;
        });
        // Retries go first, in submission order (each sender's nonce order).
        if (again.length > 0) retry = [...retry, ...again].sort((a, b) => a - b);
      });
    };
    while (committed + given < total) {
      if (watcher.failure) throw watcher.failure;
      if (performance.now() > deadline)
        throw new Error(`apps: ${total - committed - given} of ${total} transactions not committed in time`);
      while (
        !paused &&
        inFlight < o.maxInFlight &&
        admitted - committed < o.maxOutstanding &&
        (retry.length > 0 || next < total)
      ) {
        const items = retry.splice(0, o.maxBatch);
        while (items.length < o.maxBatch && next < total) items.push(next++);
        post(items);
      }
      await sleep(2);
    }
    const seen = [...blocks.entries()]
      .map(([height, b]) => ({ height, ...b }))
      .sort((a, b) => a.height - b.height);
    const last = seen.at(-1);
    const first = seen[0];
    const span = first && last ? (last.at - first.at) / 1000 : 0;
    const okAfterFirst = seen.slice(1).reduce((sum, b) => sum + b.ok, 0);
    return {
      txs: total,
      seconds: last ? (last.at - start) / 1000 : 0,
      failed,
      refused,
      blocks: seen,
      okPerSecond: span > 0 ? okAfterFirst / span : 0,
    };
  } finally {
    watcher.close();
    transport.close();
  }
}
