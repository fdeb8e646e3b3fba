import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteId } from '@pujiang/crypto';
import { homePaths } from '@pujiang/node';
import { formatProfiles, freshProfileDir, summarizeProfiles } from './cpu-profile.js';
import { floodRecords } from './flood-bench.js';
import { idleDiskRecords } from './idle-bench.js';
import { type BenchNetwork, networkReady, prepareNetwork } from './network-home.js';
import { sendersFor } from './node-bench.js';
import { validatorSuiteFor } from './node-home.js';
import {
  describePhase,
  latencyConfiguration,
  nodeUsage,
  type PhaseOutcome,
  type PhaseTiming,
  perSecond,
  round2,
  runPhase,
  spawnNode,
} from './phase.js';
import { diskBytes } from './proc-usage.js';
import type { BenchRecord } from './record.js';
import { type DiskGrowth, resourceRecords } from './resources.js';
import { verifyLimit } from './verify-limit.js';

export interface NetworkBenchOptions {
  readonly quick: boolean;
  /**
   * Default: Ed25519 only. Four validators in every suite take minutes (node startup, and
   * blocks of one every ~2 s need long windows), more than `--quick` has; `--suite` runs others.
   */
  readonly suites?: readonly SuiteId[];
  /** Write one node's CPU profiles here (`node --cpu-prof`) and print the saturation window's top functions. */
  readonly profileDir?: string;
  /** Verification threads per node (config `verifyWorkers`, 0: one per core); default `VERIFY_WORKERS`. */
  readonly verifyWorkers?: number;
}

const VALIDATORS = 4;
/** The network issue's targets (Ed25519, 4 validators on this machine). */
const TARGET = { txPerSecond: 3_500, p99Ms: 1_000 } as const;
/**
 * Offered load of the saturation run, as a multiple of the limit (verify/s on all cores
 * divided by the validators: every validator verifies every transaction once).
 */
const OVERLOAD = 1.25;
/** The latency run offers this fraction of the throughput found at saturation ("p99 < 1 s at half that load"). */
const LATENCY_LOAD = 0.5;
/**
 * Verification threads per node: 0, the node's default of one per core, so 8 workers for 4
 * nodes on 2 cores. One per node was measured too (`--verify-workers 1`, BENCHMARKS.md): no
 * more throughput, and verification then fell behind under overload (gossip and proposals
 * waiting on it; one quick run saw no block for 7 s), so the default stays.
 */
const VERIFY_WORKERS = 0;
/** Requests in flight per node API (four APIs, so four times this in all). */
const IN_FLIGHT = { saturation: 2, latency: 4 } as const;
const CLIENT = { maxBatch: 2_000, drainSeconds: 30 } as const;
/** As the single-node group's cap on the backlog, longer: four validators commit in larger, slower blocks. */
const BACKLOG_SECONDS = 2;
/** Which node is CPU-profiled with `--profile` (not node0, which also serves the load generator's block stream). */
const PROFILED = 1;

const PHASES = {
  quick: { saturation: { seconds: 7, warmupSeconds: 2 }, latency: { seconds: 4, warmupSeconds: 1.2 } },
  full: { saturation: { seconds: 30, warmupSeconds: 5 }, latency: { seconds: 20, warmupSeconds: 4 } },
} as const satisfies Record<string, { saturation: PhaseTiming; latency: PhaseTiming }>;

interface SuiteOutcome {
  readonly net: BenchNetwork;
  readonly verifyWorkers: number;
  readonly limit: Awaited<ReturnType<typeof verifyLimit>>;
  readonly saturation: PhaseOutcome;
  readonly latency?: PhaseOutcome;
  readonly disk: DiskGrowth;
}

/** Starts the validators, each in its own process on a fresh home, runs the two phases, stops them. */
async function measureSuite(suite: SuiteId, o: NetworkBenchOptions): Promise<SuiteOutcome> {
  const phases = o.quick ? PHASES.quick : PHASES.full;
  const verifyWorkers = o.verifyWorkers ?? VERIFY_WORKERS;
  // Measured before the nodes start, so both figures come from the same otherwise idle machine.
  const limit = await verifyLimit(suite, o.quick ? 1000 : 2000);
  const perValidator = limit.rate / VALIDATORS;
  const dir = mkdtempSync(join(tmpdir(), `pujiang-bench-net-${suite}-`));
  const profileDir = freshProfileDir(o.profileDir, `network-${suite}`);
  try {
    const net = await prepareNetwork({
      dir: join(dir, 'net'),
      suite,
      validators: VALIDATORS,
      senders: sendersFor(suite),
      verifyWorkers,
    });
    const nodes = net.network.nodes.map((node, i) =>
      spawnNode(node.home, i === PROFILED ? profileDir : undefined),
    );
    let saturation: PhaseOutcome;
    let latency: PhaseOutcome | undefined;
    const data = net.network.nodes.map((node) => homePaths(node.home).data);
    let before: number[] = [];
    let after: number[] = [];
    try {
      const apiUrls = await Promise.all(nodes.map(async (node) => (await node.next('ready')).apiUrl));
      await networkReady(apiUrls);
      before = data.map(diskBytes);
      const base = { apiUrls, chainId: net.chainId, suite, senders: net.senders, ...CLIENT };
      saturation = await runPhase(nodes.map(nodeUsage), join(dir, 'saturation.json'), {
        ...base,
        ...phases.saturation,
        rate: OVERLOAD * perValidator,
        maxOutstanding: Math.round(BACKLOG_SECONDS * perValidator),
        maxInFlight: IN_FLIGHT.saturation,
        watchTxs: false,
      });
      const max = perSecond(saturation.result);
      if (max === 0)
        console.error(`network ${suite}: fewer than two blocks in the saturation window; no latency run`);
      else
        latency = await runPhase(nodes.map(nodeUsage), join(dir, 'latency.json'), {
          ...base,
          ...phases.latency,
          rate: LATENCY_LOAD * max,
          maxInFlight: IN_FLIGHT.latency,
          watchTxs: true,
        });
      after = data.map(diskBytes);
    } finally {
      // stdin closed: each node stops and exits
      const codes = await Promise.all(nodes.map((node) => node.end()));
      codes.forEach((code, i) => {
        if (code !== 0) console.error(`network ${suite}: node${i} exited with code ${code}`);
      });
    }
    if (profileDir)
      console.log(
        formatProfiles(
          `network ${suite}, node${PROFILED}, saturation`,
          summarizeProfiles(profileDir, saturation.window),
        ),
      );
    const committedTxs = saturation.result.committedTotal + (latency?.result.committedTotal ?? 0);
    const disk = { beforeBytes: before, afterBytes: after, committedTxs };
    return { net, verifyWorkers, limit, saturation, disk, ...(latency ? { latency } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function suiteRecords(suite: SuiteId, s: SuiteOutcome): BenchRecord[] {
  const { net, limit, saturation, latency } = s;
  const perValidator = limit.rate / VALIDATORS;
  const max = perSecond(saturation.result);
  const targeted = suite === 'ed25519';
  const common = {
    suite,
    validatorSuite: validatorSuiteFor(suite),
    validators: VALIDATORS,
    verifyWorkersPerNode: s.verifyWorkers,
    senders: net.senders.length,
    blockIntervalMs: net.config.blockIntervalMs,
    timeouts: net.config.timeouts,
    mempool: net.config.mempool,
    maxBlockTxs: net.genesis.limits.maxBlockTxs,
  };
  const limitName = `${suite} limit (verify/s / ${VALIDATORS})`;
  const vsLimit = (value: number) => ({ name: limitName, value: perValidator, ratio: value / perValidator });
  const vsTarget = (value: number, met?: boolean) =>
    targeted
      ? {
          target: {
            value: TARGET.txPerSecond,
            ratio: value / TARGET.txPerSecond,
            ...(met === undefined ? {} : { met }),
          },
        }
      : {};
  const cpuRecord = (phase: string, o: PhaseOutcome): BenchRecord => {
    return {
      group: 'network',
      name: `${suite} ${VALIDATORS}-node CPU, ${phase}`,
      value: o.nodes.reduce((sum, n) => sum + n.cpuCores, 0),
      unit: 'cores',
      configuration: {
        perNodeCpuCores: o.nodes.map((n) => round2(n.cpuCores)),
        nodeMainThreadBusy: o.nodes.map((n) => round2(n.loopBusy ?? Number.NaN)),
        loadGeneratorCpuCores: round2(o.result.cpuCores),
        note: 'user + system CPU of each node process (all threads) over the measured window',
      },
    };
  };
  const records: BenchRecord[] = [
    {
      group: 'network',
      name: limitName,
      value: perValidator,
      unit: 'tx/s',
      configuration: {
        suite,
        verifyPerSecondAllCores: Math.round(limit.rate),
        workers: limit.workers,
        batch: limit.batch,
        note: 'VerifyPool on all cores, transfer sign bytes, warm keys; every validator verifies every transaction',
      },
    },
    {
      group: 'network',
      name: `${suite} committed transfers/s`,
      value: max,
      unit: 'tx/s',
      configuration: {
        ...common,
        ...describePhase(saturation),
        note: `offered above the limit, spread over the ${VALIDATORS} APIs; commits counted from decided blocks over node0 /v1/events`,
      },
      limit: vsLimit(max),
      ...vsTarget(max, max >= TARGET.txPerSecond),
    },
    cpuRecord('saturation', saturation),
  ];
  const l = latency?.result.latencyMs;
  if (latency && l) {
    const committed = perSecond(latency.result);
    const configuration = {
      ...common,
      ...latencyConfiguration(latency, LATENCY_LOAD, 'block arrival at the client (node0 stream)'),
    };
    records.push(
      {
        group: 'network',
        name: `${suite} committed/s at half load`,
        value: committed,
        unit: 'tx/s',
        configuration,
        limit: vsLimit(committed),
        ...vsTarget(committed),
      },
      { group: 'network', name: `${suite} commit latency p50`, value: l.p50, unit: 'ms', configuration },
      { group: 'network', name: `${suite} commit latency p95`, value: l.p95, unit: 'ms', configuration },
      {
        group: 'network',
        name: `${suite} commit latency p99`,
        value: l.p99,
        unit: 'ms',
        configuration,
        ...(targeted
          ? { target: { value: TARGET.p99Ms, ratio: l.p99 / TARGET.p99Ms, met: l.p99 < TARGET.p99Ms } }
          : {}),
      },
      cpuRecord('half load', latency),
    );
  }
  records.push(
    ...resourceRecords({
      group: 'network',
      prefix: suite,
      saturation,
      phases: latency ? [saturation, latency] : [saturation],
      disk: s.disk,
      configuration: common,
    }),
  );
  return records;
}

/**
 * Four validators on this machine, each its own process with its own store and ports on
 * loopback, meshed by the p2p network; one load-generator process spreads signed transfers
 * over all four APIs (transactions reach the other validators by gossip). Per suite: the
 * limit (verify/s on all cores / 4), a saturation run, then a latency run at half of it.
 * Before them: an idle network's disk growth, and block production under a Hello flood.
 */
export async function runNetworkBench(o: NetworkBenchOptions): Promise<BenchRecord[]> {
  const records: BenchRecord[] = await idleDiskRecords(o.quick);
  records.push(...(await floodRecords(o.quick)));
  for (const suite of o.suites ?? (['ed25519'] as const))
    records.push(...suiteRecords(suite, await measureSuite(suite, o)));
  return records;
}
