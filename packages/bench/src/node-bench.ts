import { join } from 'node:path';
import type { SuiteId } from '@pujiang/crypto';
import { formatProfiles, freshProfileDir, summarizeProfiles } from './cpu-profile.js';
import { type BenchChain, withBenchNode } from './node-home.js';
import { describePhase, type PhaseOutcome, type PhaseTiming, perSecond, runPhase } from './phase.js';
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
export const OVERLOAD = 1.25;
/** The latency run offers this fraction of the throughput found at saturation. */
const LATENCY_LOAD = 0.7;
/**
 * Senders funded at genesis: enough that per-sender mempool limits never bind. SM2 keys are
 * fewer because each costs every verification worker a precomputed table (~20 ms) when first seen.
 */
export const SENDERS: Partial<Record<SuiteId, number>> = { ed25519: 500, sm2: 64 };
/**
 * Requests in flight: at saturation a few are enough to keep the node busy (more only make
 * admission compete harder with commits); below it, more, so that a block commit stalling
 * the node's event loop does not also hold back the open-loop schedule.
 */
export const IN_FLIGHT = { saturation: 4, latency: 16 } as const;
export const CLIENT = { maxBatch: 2_000, drainSeconds: 30 } as const;

/** Blocks under load come every ~0.5-1 s with uneven sizes, so a window needs many of them. */
const PHASES = {
  quick: { saturation: { seconds: 12, warmupSeconds: 3 }, latency: { seconds: 8, warmupSeconds: 2 } },
  full: { saturation: { seconds: 30, warmupSeconds: 5 }, latency: { seconds: 20, warmupSeconds: 4 } },
} as const satisfies Record<string, { saturation: PhaseTiming; latency: PhaseTiming }>;

interface SuiteOutcome {
  readonly chain: BenchChain;
  readonly limit: Awaited<ReturnType<typeof verifyLimit>>;
  readonly saturation: PhaseOutcome;
  readonly latency?: PhaseOutcome;
}

/** The name of the verify-limit figure the node group records for `suite`. */
export const verifyLimitName = (suite: SuiteId) => `${suite} verify limit (pool)`;

/** Starts the node in its own process on a fresh home, runs the two phases, stops it. */
async function measureSuite(suite: SuiteId, o: NodeBenchOptions): Promise<SuiteOutcome> {
  const phases = o.quick ? PHASES.quick : PHASES.full;
  // Measured before the node starts, so both figures come from the same otherwise idle machine.
  const limit = await verifyLimit(suite, o.quick ? 1000 : 2000);
  const profileDir = freshProfileDir(o.profileDir, suite);
  const outcome = await withBenchNode(
    { label: `node ${suite}`, suite, senders: SENDERS[suite] ?? 64, ...(profileDir ? { profileDir } : {}) },
    async ({ chain, node, apiUrl, dir }) => {
      const base = { apiUrls: [apiUrl], chainId: chain.chainId, suite, ...CLIENT };
      const saturation = await runPhase([node], join(dir, 'saturation.json'), {
        ...base,
        ...phases.saturation,
        senders: chain.senders,
        rate: OVERLOAD * limit.rate,
        maxInFlight: IN_FLIGHT.saturation,
        watchTxs: false,
      });
      const max = perSecond(saturation.result);
      const latency =
        max > 0
          ? await runPhase([node], join(dir, 'latency.json'), {
              ...base,
              ...phases.latency,
              senders: chain.senders,
              rate: LATENCY_LOAD * max,
              maxInFlight: IN_FLIGHT.latency,
              watchTxs: true,
            })
          : undefined;
      return { chain, saturation, ...(latency ? { latency } : {}) };
    },
  );
  if (profileDir)
    console.log(
      formatProfiles(`node ${suite}, saturation`, summarizeProfiles(profileDir, outcome.saturation.window)),
    );
  return { limit, ...outcome };
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
  const limitName = verifyLimitName(suite);
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
        ...describePhase(saturation),
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
      ...describePhase(latency),
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
