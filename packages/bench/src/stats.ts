import type { SeenBlock } from './block-watcher.js';
import type { LatencySummary, LoadResult } from './load-plan.js';

/** Nearest-rank percentile of sorted values (q in 0..1). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarizeLatency(values: readonly number[]): LatencySummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    samples: sorted.length,
  };
}

/**
 * Transactions committed per block boundary in [from, to]: the first block that arrived in the
 * window starts the clock (its transactions were committed before it), the last one stops it.
 * Counting whole blocks between arrivals avoids charging a window with part of a block.
 */
export function committedBetween(
  blocks: readonly SeenBlock[],
  from: number,
  to: number,
): LoadResult['committed'] {
  const inWindow = blocks.filter((b) => b.at >= from && b.at <= to);
  if (inWindow.length < 2) return { txs: 0, blocks: inWindow.length, seconds: 0 };
  const txs = inWindow.slice(1).reduce((sum, b) => sum + b.txCount, 0);
  return { txs, blocks: inWindow.length, seconds: (inWindow.at(-1)!.at - inWindow[0]!.at) / 1000 };
}

/** Transactions in the blocks that arrived before `at`: how much the chain held by then, as far as this run knows. */
export function committedBefore(blocks: readonly SeenBlock[], at: number): number {
  return blocks.reduce((sum, b) => (b.at < at ? sum + b.txCount : sum), 0);
}
