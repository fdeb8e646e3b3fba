import { indexerError } from './errors.js';

/** How much one PostgreSQL transaction may carry while the indexer is behind the node. */
export interface BatchLimits {
  /** Blocks per transaction (default 500). */
  readonly maxBlocks: number;
  /** Transactions per transaction, counted by block (a block is never split; default 20,000). */
  readonly maxTxs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxBlocks: 500, maxTxs: 20_000 };

/**
 * How many of the ready blocks (in height order) the next write takes: at least one, then
 * more while within the limits. Only blocks already fetched are taken, so at the head each
 * block is written on its own as soon as it is fetched, and while behind a batch grows to
 * whatever arrived during the previous write, up to the limits.
 */
export function batchSize(readyTxCounts: readonly number[], limits: BatchLimits): number {
  if (readyTxCounts.length === 0) return 0;
  let txs = readyTxCounts[0]!;
  let n = 1;
  while (n < readyTxCounts.length && n < limits.maxBlocks && txs + readyTxCounts[n]! <= limits.maxTxs) {
    txs += readyTxCounts[n]!;
    n++;
  }
  return n;
}

/** A batch must continue the checkpoint with no gap and no repeat: heights checkpoint+1, +2, ... */
export function checkContiguous(checkpoint: number, heights: readonly number[]): void {
  heights.forEach((h, i) => {
    const expected = checkpoint + 1 + i;
    if (h !== expected)
      throw indexerError('INDEX_GAP', `block ${h} does not follow height ${expected - 1}`, {
        expected,
        got: h,
        checkpoint,
      });
  });
}
