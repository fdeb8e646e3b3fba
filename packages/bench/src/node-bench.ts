import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteId } from '@pujiang/crypto';
import { JsonChild } from './child.js';
import { formatProfiles, summarizeProfiles } from './cpu-profile.js';
import type { LoadMessage, LoadPlan, LoadResult, NodeMessage, ProcessUsage } from './load-plan.js';
import { type BenchChain, prepareChain } from './node-home.js';
import type { BenchRecord } from './record.js';
import { verifyLimit } from './verify-limit.js';

export interface NodeBenchOptions {
  readonly quick: boolean;
  readonly suites?: readonly SuiteId[];
  /** Write the node process's CPU profiles here (`node --cpu-prof`) and print the saturation window's top functions. */
  readonly profileDir?: string;
}

/** The single-validator target of the throughput issue (Ed25519, 2 cores). */
const TARGET_TX_PER_S = 15_000;
/** Offered load of the saturation run, as a multiple of the verify limit: the node verifies every transaction, so it cannot commit more. */
const OVERLOAD = 1.25;
/** The latency run offers this fraction of the throughput found at saturation. */
const LATENCY_LOAD = 0.7;
/**
 * Senders funded at genesis: enough that per-sender mempool limits never bind. SM2 keys are
 * fewer because each costs every verification worker a precomputed table (~20 ms) when first seen.
 */
const SENDERS: Partial<Record<SuiteId, number>> = { ed25519: 500, sm2: 64 };
/**
 * Requests in flight: at saturation a few are enough to keep the node busy (more only make
 * admission compete harder with commits); below it, more, so that a block commit stalling
 * the node's event loop does not also hold back the open-loop schedule.
 */
const IN_FLIGHT = { saturation: 4, latency: 16 } as const;
const CLIENT = { maxBatch: 2_000, drainSeconds: 30 } as const;

interface Phase {
  readonly seconds: number;
  readonly warmupSeconds: number;
}

/** Blocks under load come every ~0.5-1 s with uneven sizes, so a window needs many of them. */
const PHASES = {
  quick: { saturation: { seconds: 12, warmupSeconds: 3 }, latency: { seconds: 8, warmupSeconds: 2 } },
  full: { saturation: { seconds: 30, warmupSeconds: 5 }, latency: { seconds: 20, warmupSeconds: 4 } },
} as const satisfies Record<string, { saturation: Phase; latency: Phase }>;

interface PhaseOutcome {
  readonly plan: LoadPlan;
  readonly result: LoadResult;
  /** The node process over the measured window: CPU of all its threads, and its main thread's busy share. */
  readonly nodeCpuCores: number;
  readonly nodeLoopBusy: number;
  /** The window on the monotonic clock, to cut the CPU profile to it. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
}

async function nodeUsage(node: JsonChild<NodeMessage>): Promise<ProcessUsage> {
  node.send('usage');
  return (await node.next('usage')).usage;
}

/** One load-generator process against the running node; this process only waits meanwhile. */
async function runPhase(
  node: JsonChild<NodeMessage>,
  planFile: string,
  plan: LoadPlan,
): Promise<PhaseOutcome> {
  writeFileSync(planFile, JSON.stringify(plan));
  const load = new JsonChild<LoadMessage>(new URL('./load-entry.js', import.meta.url), [planFile]);
  try {
    await load.next('window');
    const a = await nodeUsage(node);
    await load.next('window');
    const b = await nodeUsage(node);
    const { result } = await load.next('result');
    const active = b.loopActiveMs - a.loopActiveMs;
    return {
      plan,
      result,
      nodeCpuCores: (b.cpuMicros - a.cpuMicros) / 1000 / (b.atMs - a.atMs),
      nodeLoopBusy: active / (active + b.loopIdleMs - a.loopIdleMs),
      window: { fromUs: a.monotonicUs, toUs: b.monotonicUs },
    };
  } finally {
    await load.end();
  }
}

const perSecond = (r: LoadResult) => (r.committed.seconds > 0 ? r.committed.txs / r.committed.seconds : 0);

/** What a phase's records carry besides the figure, so a reader can judge it. */
function describe(o: PhaseOutcome): Record<string, unknown> {
  const r = o.result;
  return {
    offeredPerSecond: Math.round(o.plan.rate),
    offeredAchievedPerSecond: Math.round(r.offeredPerSecond),
    seconds: o.plan.seconds,
    warmupSeconds: o.plan.warmupSeconds,
    measuredSeconds: Number(r.committed.seconds.toFixed(2)),
    blocksInWindow: r.committed.blocks,
    committedInWindow: r.committed.txs,
    admitted: r.admitted,
    refused: r.refused,
    failedReceipts: r.failedReceipts,
    undrained: r.undrained,
    nodeCpuCores: Number(o.nodeCpuCores.toFixed(2)),
    nodeMainThreadBusy: Number(o.nodeLoopBusy.toFixed(2)),
    loadGeneratorCpuCores: Number(r.cpuCores.toFixed(2)),
    maxInFlight: o.plan.maxInFlight,
    signedPerSecond: Math.round(r.signPerSecond),
  };
}

interface SuiteOutcome {
  readonly chain: BenchChain;
  readonly limit: Awaited<ReturnType<typeof verifyLimit>>;
  readonly saturation: PhaseOutcome;
  readonly latency?: PhaseOutcome;
}

/** Starts the node in its own process on a fresh home, runs the two phases, stops it. */
async function measureSuite(suite: SuiteId, o: NodeBenchOptions): Promise<SuiteOutcome> {
  const phases = o.quick ? PHASES.quick : PHASES.full;
  // Measured before the node starts, so both figures come from the same otherwise idle machine.
  const limit = await verifyLimit(suite, o.quick ? 1000 : 2000);
  const dir = mkdtempSync(join(tmpdir(), `pujiang-bench-${suite}-`));
  const profileDir = o.profileDir === undefined ? undefined : join(o.profileDir, suite);
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true }); // this run's profiles only
    mkdirSync(profileDir, { recursive: true });
  }
  try {
    const chain = prepareChain(join(dir, 'home'), suite, SENDERS[suite] ?? 64);
    const node = new JsonChild<NodeMessage>(
      new URL('./node-entry.js', import.meta.url),
      [chain.home],
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    let saturation: PhaseOutcome;
    let latency: PhaseOutcome | undefined;
    try {
      const base = { apiUrl: (await node.next('ready')).apiUrl, chainId: chain.chainId, suite, ...CLIENT };
      saturation = await runPhase(node, join(dir, 'saturation.json'), {
        ...base,
        ...phases.saturation,
        senders: chain.senders,
        rate: OVERLOAD * limit.rate,
        maxInFlight: IN_FLIGHT.saturation,
        watchTxs: false,
      });
      const max = perSecond(saturation.result);
      if (max > 0)
        latency = await runPhase(node, join(dir, 'latency.json'), {
          ...base,
          ...phases.latency,
          senders: chain.senders,
          rate: LATENCY_LOAD * max,
          maxInFlight: IN_FLIGHT.latency,
          watchTxs: true,
        });
    } finally {
      const code = await node.end(); // stdin closed: the node stops and exits
      if (code !== 0) console.error(`node ${suite}: the node process exited with code ${code}`);
    }
    if (profileDir)
      console.log(
        formatProfiles(`node ${suite}, saturation`, summarizeProfiles(profileDir, saturation.window)),
      );
    return { chain, limit, saturation, ...(latency ? { latency } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function suiteRecords(suite: SuiteId, { chain, limit, saturation, latency }: SuiteOutcome): BenchRecord[] {
  const max = perSecond(saturation.result);
  const common = {
    suite,
    validators: 1,
    senders: chain.senders.length,
    blockIntervalMs: chain.config.blockIntervalMs,
    mempool: chain.config.mempool,
    maxBlockTxs: chain.genesis.limits.maxBlockTxs,
  };
  const limitName = `${suite} verify limit (pool)`;
  const records: BenchRecord[] = [
    {
      group: 'node',
      name: limitName,
      value: limit.rate,
      unit: 'ops/s',
      configuration: {
        suite,
        workers: limit.workers,
        batch: limit.batch,
        note: 'transfer sign bytes, warm keys',
      },
    },
    {
      group: 'node',
      name: `${suite} committed transfers/s`,
      value: max,
      unit: 'tx/s',
      configuration: {
        ...common,
        ...describe(saturation),
        ...(suite === 'ed25519' ? { target: TARGET_TX_PER_S } : {}),
        note: 'offered above the verify limit; commits counted from decided blocks as they arrive over /v1/events',
      },
      comparedWith: { name: limitName, value: limit.rate, ratio: max / limit.rate },
    },
  ];
  const l = latency?.result.latencyMs;
  if (latency && l) {
    const configuration = {
      ...common,
      ...describe(latency),
      committedPerSecond: Math.round(perSecond(latency.result)),
      samples: l.samples,
      maxMs: Math.round(l.max),
      note: `open loop at ${LATENCY_LOAD * 100}% of the saturation throughput; block arrival at the client minus request send time`,
    };
    records.push(
      { group: 'node', name: `${suite} commit latency p50`, value: l.p50, unit: 'ms', configuration },
      { group: 'node', name: `${suite} commit latency p99`, value: l.p99, unit: 'ms', configuration },
    );
  }
  return records;
}

/**
 * Single-validator throughput through the real HTTP API: the node and the load generator
 * each run in their own process; this one only sets up, waits and collects. Per suite: the
 * verify limit, a saturation run (committed tx/s), then a latency run below saturation.
 */
export async function runNodeBench(o: NodeBenchOptions): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  for (const suite of o.suites ?? (['ed25519', 'sm2'] as const))
    records.push(...suiteRecords(suite, await measureSuite(suite, o)));
  return records;
}
