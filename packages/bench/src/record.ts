/** One measured figure, as written to bench-results.json. */
export interface BenchRecord {
  group: string;
  name: string;
  value: number;
  unit: string;
  configuration: Record<string, unknown>;
  /**
   * For a throughput: the limit it is held against, measured in the same run (this machine's
   * signature verifications per second on all cores for the suite, divided by the validators
   * that each verify every transaction); ratio = value / limit.
   */
  limit?: { name: string; value: number; ratio: number; note?: string };
  /** Another figure of the same run it is compared with (a peer chain, another mode); ratio = value / that. */
  comparedWith?: { name: string; value: number; ratio: number };
  /** The figure an issue asks for: ratio = value / target, and whether it is met where that is judged. */
  target?: { value: number; ratio: number; met?: boolean };
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export function opsPerSecond(fn: () => void, ms: number): number {
  fn(); // warm-up: caches and JIT
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

export async function opsPerSecondAsync(fn: () => Promise<number>, ms: number): Promise<number> {
  await fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    ops += await fn();
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}
