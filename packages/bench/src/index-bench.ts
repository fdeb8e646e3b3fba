import type { BenchRecord } from './record.js';

/** The `index` group: indexed transactions per second into PostgreSQL, against a plain COPY of the same rows (being built: issue 22). */
export async function runIndexBench(_options: { quick: boolean }): Promise<BenchRecord[]> {
  return [];
}
