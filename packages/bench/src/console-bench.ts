import type { BenchRecord } from './record.js';

/** The `console` group: the console's first load: bytes and time in Chromium (being built: issue 22). */
export async function runConsoleBench(_options: { quick: boolean }): Promise<BenchRecord[]> {
  return [];
}
