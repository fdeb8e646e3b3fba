import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { consoleBuildDir } from '@pujiang/console';
import { startNode } from '@pujiang/node';
import type { NodeMessage } from './load-plan.js';

/**
 * The validator under test, run as its own process (`node node-entry.js <home>`): prints its
 * API address, answers `usage` with its CPU and event-loop counters, and stops when stdin
 * closes (also when the orchestrator dies), exiting normally so `--cpu-prof` is written.
 */
const say = (m: NodeMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);

const consoleDir = consoleBuildDir();
const running = await startNode({
  home: process.argv[2]!,
  log: (line) => console.error(line),
  ...(consoleDir ? { consoleDir } : {}),
});
// RSS counts the LMDB map's file pages, which grow with the data written; anonymous memory
// (heaps, buffers, native allocations) is what the node itself holds. Its peak is sampled.
let peakAnonBytes: number | undefined;
const sampleAnon = () => {
  const kb = anonKb();
  if (kb !== undefined) peakAnonBytes = Math.max(peakAnonBytes ?? 0, kb * 1024);
};
setInterval(sampleAnon, 100).unref();
say({ type: 'ready', apiUrl: running.apiUrl });
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'usage') continue;
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  say({
    type: 'usage',
    usage: {
      atMs: performance.now(),
      monotonicUs: Number(process.hrtime.bigint() / 1000n),
      cpuMicros: cpu.user + cpu.system,
      loopActiveMs: loop.active,
      loopIdleMs: loop.idle,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      ...(peakAnonBytes !== undefined ? { peakAnonBytes } : {}),
    },
  });
}
await running.stop();
process.exit(0);

function anonKb(): number | undefined {
  try {
    const m = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
