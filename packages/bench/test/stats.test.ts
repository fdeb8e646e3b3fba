import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { committedBefore, committedBetween, percentile, summarizeLatency } from '../src/stats.js';

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(q * n)', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 0.5), 50);
    assert.equal(percentile(sorted, 0.99), 99);
    assert.equal(percentile(sorted, 1), 100);
    assert.equal(percentile(sorted, 0), 1);
  });

  it('summarises unsorted latencies', () => {
    assert.deepEqual(summarizeLatency([30, 10, 20]), { p50: 20, p95: 30, p99: 30, max: 30, samples: 3 });
    assert.equal(summarizeLatency([]), undefined);
  });
});

describe('committedBetween', () => {
  const blocks = [
    { height: 1, txCount: 100, at: 500 },
    { height: 2, txCount: 200, at: 1000 },
    { height: 3, txCount: 300, at: 2000 },
    { height: 4, txCount: 400, at: 3000 },
    { height: 5, txCount: 500, at: 4500 },
  ];

  it('counts the blocks after the first in the window, over the time between first and last', () => {
    assert.deepEqual(committedBetween(blocks, 900, 3100), { txs: 700, blocks: 3, seconds: 2 });
  });

  it('gives no rate from fewer than two blocks', () => {
    assert.deepEqual(committedBetween(blocks, 1500, 2500), { txs: 0, blocks: 1, seconds: 0 });
  });

  it('committedBefore sums the blocks that arrived before a moment', () => {
    assert.deepEqual(
      [0, 500, 501, 3100, 5000].map((at) => committedBefore(blocks, at)),
      [0, 0, 100, 1000, 1500],
    );
  });
});
