import { readFileSync } from 'node:fs';
import { ethDriver } from './eth/driver.js';
import type { LoadMessage, LoadPlan, LoadResult } from './load-plan.js';
import { pujiangDriver } from './pujiang-driver.js';
import { committedBefore, committedBetween, summarizeLatency } from './stats.js';
import { Submitters } from './submitters.js';

/**
 * The load generator, run as its own process (`node load-entry.js plan.json`): signs every
 * transaction before the clock starts, then offers them open-loop through the chain's API
 * (each sender to one node) and counts what the first node's decided blocks contain, as it
 * sees them arrive. The chain is Pujiang or the peer (`plan.target`); only the driver differs.
 */
const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const driver = plan.target === 'eth' ? ethDriver(plan) : pujiangDriver(plan);
const say = (m: LoadMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);

/**
 * Receipt codes of `count` of the transactions sent, spread evenly over them: a check that
 * what was counted from blocks succeeded, where per-transaction messages are not watched.
 */
async function sampleReceipts(hashes: readonly string[], sent: (i: number) => boolean, count: number) {
  const all = hashes.flatMap((hash, i) => (sent(i) ? [hash] : []));
  const n = Math.min(count, all.length);
  const picked = Array.from({ length: n }, (_, k) => all[Math.floor((k * all.length) / n)]!);
  const codes: Record<string, number> = {};
  for (const code of await driver.receiptCodes(picked)) codes[code] = (codes[code] ?? 0) + 1;
  return codes;
}

/** Counters taken at the window's edges. */
interface Sample {
  readonly cpuMs: number;
  readonly offered: number;
}

/** Announces the window's edges (the orchestrator samples the node then) and returns the counters' growth over it. */
function measureWindow(fromMs: number, toMs: number, sample: () => Sample): Promise<Sample> {
  return new Promise((resolve) => {
    let first: Sample = { cpuMs: 0, offered: 0 };
    setTimeout(() => {
      say({ type: 'window', edge: 'start' });
      first = sample();
    }, fromMs - performance.now());
    setTimeout(() => {
      say({ type: 'window', edge: 'end' });
      const last = sample();
      resolve({ cpuMs: last.cpuMs - first.cpuMs, offered: last.offered - first.offered });
    }, toMs - performance.now());
  });
}

async function main(): Promise<void> {
  const perSender = Math.ceil((plan.rate * plan.seconds) / plan.senders.length);
  const signStart = performance.now();
  const signed = await driver.presign(perSender);
  const signSeconds = (performance.now() - signStart) / 1000;

  const cap = plan.maxOutstanding;
  const submitter: Submitters = new Submitters(
    signed,
    { ...plan, ...(cap ? { mayOffer: (): boolean => submitter.admitted - watcher.committed < cap } : {}) },
    driver.transport,
  );
  const indexOf = new Map<string, number>(plan.watchTxs ? signed.hashes.map((hash, i) => [hash, i]) : []);
  // Latency counts transactions last sent inside the window (set once the clock starts).
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const failedReceipts: Record<string, number> = {};
  const watcher = driver.watcher({
    txs: plan.watchTxs,
    onBlock: () => submitter.resume(),
    onTx: (hash, code, block) => {
      if (code !== 'OK') failedReceipts[code] = (failedReceipts[code] ?? 0) + 1;
      const sentAt = submitter.sentAt(indexOf.get(hash) ?? -1);
      if (sentAt !== undefined && sentAt >= windowStart && sentAt <= windowEnd)
        latencies.push(block.at - sentAt);
    },
  });
  await watcher.open();

  const start = performance.now();
  windowStart = start + plan.warmupSeconds * 1000;
  windowEnd = start + plan.seconds * 1000;
  const window = measureWindow(windowStart, windowEnd, () => {
    const cpu = process.cpuUsage();
    return { cpuMs: (cpu.user + cpu.system) / 1000, offered: submitter.offered };
  });
  await submitter.offer(plan.rate, windowEnd, true);
  const grown = await window;

  // Drain: offer what was refused for lack of room, then wait for the admitted to commit.
  const drainEnd = performance.now() + plan.drainSeconds * 1000;
  await submitter.offer(plan.rate, drainEnd, false);
  await submitter.idle();
  while (watcher.committed < submitter.admitted && performance.now() < drainEnd && !watcher.failure)
    await new Promise((resolve) => setTimeout(resolve, 20));
  watcher.close();
  submitter.close();
  if (watcher.failure) throw watcher.failure;
  const sampled = plan.sampleReceipts
    ? await sampleReceipts(
        signed.hashes,
        (i) => !Number.isNaN(submitter.sentAt(i) ?? Number.NaN),
        plan.sampleReceipts,
      )
    : undefined;

  const windowSeconds = (windowEnd - windowStart) / 1000;
  const latencyMs = summarizeLatency(latencies);
  const result: LoadResult = {
    signed: signed.hex.length,
    signPerSecond: signed.hex.length / signSeconds,
    offeredPerSecond: grown.offered / windowSeconds,
    admitted: submitter.admitted,
    refused: Object.fromEntries(submitter.refused),
    committed: committedBetween(watcher.blocks, windowStart, windowEnd),
    committedBefore: {
      start: committedBefore(watcher.blocks, windowStart),
      end: committedBefore(watcher.blocks, windowEnd),
    },
    ...(latencyMs ? { latencyMs } : {}),
    failedReceipts,
    undrained: Math.max(0, submitter.admitted - watcher.committed),
    committedTotal: watcher.committed,
    ...(sampled ? { sampledReceipts: sampled } : {}),
    cpuCores: grown.cpuMs / 1000 / windowSeconds,
  };
  say({ type: 'result', result });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
