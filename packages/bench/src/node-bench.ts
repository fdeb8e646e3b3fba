import { join } from 'node:path';
import type { SuiteId } from '@pujiang/crypto';
import { ED25519_IMPLEMENTATION } from '@pujiang/crypto';
import { homePaths } from '@pujiang/node';
import { formatProfiles, freshProfileDir, summarizeProfiles } from './cpu-profile.js';
import { type BenchChain, validatorSuiteFor, withBenchNode } from './node-home.js';
import {
  describePhase,
  latencyConfiguration,
  nodeUsage,
  type PhaseOutcome,
  type PhaseTiming,
  perSecond,
  runPhase,
} from './phase.js';
import { diskBytes } from './proc-usage.js';
import type { BenchRecord } from './record.js';
import { type DiskGrowth, resourceRecords } from './resources.js';
import { verifyLimit } from './verify-limit.js';

export interface NodeBenchOptions {
  readonly quick: boolean;
  readonly suites?: readonly SuiteId[];
  /** Write the node process's CPU profiles here (`node --cpu-prof`) and print the saturation window's top functions. */
  readonly profileDir?: string;
}

/** The single-validator target of the throughput issue (Ed25519, 2 cores). */
const TARGET_TX_PER_S = 15_000;
/**
 * Offered load of the saturation run, as a multiple of the verify limit: the node verifies
 * every transaction, so it cannot commit more. Quick runs offer less above it, as every
 * offered transaction is signed beforehand (ML-DSA signs ~460/s on 2 cores).
 */
export const OVERLOAD = 1.25;
export const QUICK_OVERLOAD = 1.1;
/** Post-quantum suites sign so slowly that quick runs give them shorter windows still. */
const slowSigner = (suite: SuiteId) => suite.includes('ml-dsa');
/** The latency run offers this fraction of the throughput found at saturation. */
const LATENCY_LOAD = 0.7;
/** The suites measured end to end, by default: the classical, the national, the post-quantum and the hybrid one. */
export const BENCH_SUITES: readonly SuiteId[] = ['ed25519', 'sm2', 'ml-dsa-44', 'sm2+ml-dsa-65'];
/**
 * Senders funded at genesis: enough that per-sender mempool limits never bind. Slower suites
 * get fewer: SM2 keys cost every verification worker a precomputed table (~20 ms) when first
 * seen, and the post-quantum suites commit so few transactions per second that 64 are plenty.
 */
export const SENDERS: Partial<Record<SuiteId, number>> = { ed25519: 500 };
export const sendersFor = (suite: SuiteId) => SENDERS[suite] ?? 64;
/**
 * Requests in flight: at saturation a few are enough to keep the node busy (more only make
 * admission compete harder with commits); below it, more, so that a block commit stalling
 * the node's event loop does not also hold back the open-loop schedule.
 */
export const IN_FLIGHT = { saturation: 4, latency: 16 } as const;
export const CLIENT = { maxBatch: 2_000, drainSeconds: 30 } as const;
/**
 * At saturation, transactions admitted but not yet committed are capped at this many seconds
 * of the verify limit: blocks stay full, and the backlog left to drain before the next phase
 * is a few blocks rather than a whole mempool (50,000) that takes many seconds to commit.
 */
export const BACKLOG_SECONDS = 1;

/** Blocks under load come every ~0.5-1 s with uneven sizes, so a window needs many of them. */
const PHASES = {
  quick: { saturation: { seconds: 4, warmupSeconds: 1.2 }, latency: { seconds: 3, warmupSeconds: 0.8 } },
  quickSlowSigner: {
    saturation: { seconds: 3, warmupSeconds: 1 },
    latency: { seconds: 2.5, warmupSeconds: 0.8 },
  },
  full: { saturation: { seconds: 30, warmupSeconds: 5 }, latency: { seconds: 20, warmupSeconds: 4 } },
} as const satisfies Record<string, { saturation: PhaseTiming; latency: PhaseTiming }>;

interface SuiteOutcome {
  readonly chain: BenchChain;
  readonly limit: Awaited<ReturnType<typeof verifyLimit>>;
  readonly saturation: PhaseOutcome;
  readonly latency?: PhaseOutcome;
  readonly disk: DiskGrowth;
}

/** The name of the verify-limit figure the node group records for `suite`. */
export const verifyLimitName = (suite: SuiteId) => `${suite} verify limit (pool)`;

/** Starts the node in its own process on a fresh home, runs the two phases, stops it. */
async function measureSuite(suite: SuiteId, o: NodeBenchOptions): Promise<SuiteOutcome> {
  const phases = o.quick ? (slowSigner(suite) ? PHASES.quickSlowSigner : PHASES.quick) : PHASES.full;
  // Measured before the node starts, so both figures come from the same otherwise idle machine.
  const limit = await verifyLimit(suite, o.quick ? 1000 : 2000);
  const profileDir = freshProfileDir(o.profileDir, suite);
  const outcome = await withBenchNode(
    { label: `node ${suite}`, suite, senders: sendersFor(suite), ...(profileDir ? { profileDir } : {}) },
    async ({ chain, node, apiUrl, dir }) => {
      const data = homePaths(chain.home).data;
      const before = diskBytes(data);
      const base = { apiUrls: [apiUrl], chainId: chain.chainId, suite, ...CLIENT };
      const saturation = await runPhase([nodeUsage(node)], join(dir, 'saturation.json'), {
        ...base,
        ...phases.saturation,
        senders: chain.senders,
        rate: (o.quick ? QUICK_OVERLOAD : OVERLOAD) * limit.rate,
        maxOutstanding: Math.round(BACKLOG_SECONDS * limit.rate),
        maxInFlight: IN_FLIGHT.saturation,
        watchTxs: false,
      });
      const max = perSecond(saturation.result);
      const latency =
        max > 0
          ? await runPhase([nodeUsage(node)], join(dir, 'latency.json'), {
              ...base,
              ...phases.latency,
              senders: chain.senders,
              rate: LATENCY_LOAD * max,
              maxInFlight: IN_FLIGHT.latency,
              watchTxs: true,
            })
          : undefined;
      const committedTxs = saturation.result.committedTotal + (latency?.result.committedTotal ?? 0);
      const disk = { beforeBytes: [before], afterBytes: [diskBytes(data)], committedTxs };
      return { chain, saturation, disk, ...(latency ? { latency } : {}) };
    },
  );
  if (profileDir)
    console.log(
      formatProfiles(`node ${suite}, saturation`, summarizeProfiles(profileDir, outcome.saturation.window)),
    );
  return { limit, ...outcome };
}

function suiteRecords(
  suite: SuiteId,
  { chain, limit, saturation, latency, disk }: SuiteOutcome,
): BenchRecord[] {
  const max = perSecond(saturation.result);
  const common = {
    suite,
    validatorSuite: validatorSuiteFor(suite),
    validators: 1,
    senders: chain.senders.length,
    blockIntervalMs: chain.config.blockIntervalMs,
    mempool: chain.config.mempool,
    maxBlockTxs: chain.genesis.limits.maxBlockTxs,
  };
  const limitName = verifyLimitName(suite);
  const records: BenchRecord[] = [
    {
      group: 'node',
      name: limitName,
      value: limit.rate,
      unit: 'ops/s',
      configuration: {
        suite,
        ...(suite.includes('ed25519') ? { ed25519: ED25519_IMPLEMENTATION } : {}),
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
        ...describePhase(saturation),
        ...(suite === 'ed25519' ? { target: TARGET_TX_PER_S } : {}),
        note: 'offered above the verify limit; commits counted from decided blocks as they arrive over /v1/events',
      },
      limit: { name: limitName, value: limit.rate, ratio: max / limit.rate },
    },
  ];
  const l = latency?.result.latencyMs;
  if (latency && l) {
    const configuration = {
      ...common,
      ...latencyConfiguration(latency, LATENCY_LOAD, 'block arrival at the client'),
    };
    records.push(
      { group: 'node', name: `${suite} commit latency p50`, value: l.p50, unit: 'ms', configuration },
      { group: 'node', name: `${suite} commit latency p95`, value: l.p95, unit: 'ms', configuration },
      { group: 'node', name: `${suite} commit latency p99`, value: l.p99, unit: 'ms', configuration },
    );
  }
  records.push(
    ...resourceRecords({
      group: 'node',
      prefix: suite,
      saturation,
      phases: latency ? [saturation, latency] : [saturation],
      disk,
      configuration: common,
    }),
  );
  return records;
}

/**
 * Single-validator throughput through the real HTTP API: the node and the load generator
 * each run in their own process; this one only sets up, waits and collects. Per suite: the
 * verify limit, a saturation run (committed tx/s), then a latency run below saturation.
 */
export async function runNodeBench(o: NodeBenchOptions): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  for (const suite of o.suites ?? BENCH_SUITES)
    records.push(...suiteRecords(suite, await measureSuite(suite, o)));
  return records;
}
