import type { BenchRecord } from './record.js';

/** The `monitor` group: the monitor's alert latency: a validator killed until its liveness alert (being built: issue 22). */
export async function runMonitorBench(_options: { quick: boolean }): Promise<BenchRecord[]> {
  return [];
}
