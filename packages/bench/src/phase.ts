import { writeFileSync } from 'node:fs';
import { JsonChild } from './child.js';
import type { LoadMessage, LoadPlan, LoadResult, NodeMessage, ProcessUsage } from './load-plan.js';

/**
 * One measured phase of the node benchmarks: a load-generator process runs a plan against
 * node processes already running, while this process samples the nodes at the window's edges.
 */

/** A phase's length: `seconds` of offering, of which the first `warmupSeconds` are not measured. */
export interface PhaseTiming {
  readonly seconds: number;
  readonly warmupSeconds: number;
}

/** A validator under test in its own process (`node-entry.js <home>`), optionally CPU-profiled into `profileDir`. */
export function spawnNode(home: string, profileDir?: string): JsonChild<NodeMessage> {
  return new JsonChild<NodeMessage>(
    new URL('./node-entry.js', import.meta.url),
    [home],
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
}

/** One node process over the measured window. */
export interface NodeWindow {
  /** CPU of all its threads (main and verification workers), in cores. */
  readonly cpuCores: number;
  /** Its main thread's busy share (event-loop utilisation); unknown for a peer chain's process. */
  readonly loopBusy?: number;
  /** Its peak resident memory since it started, at the window's end. */
  readonly peakRssBytes: number;
  /** Its peak anonymous resident memory (no file pages), where known. */
  readonly peakAnonBytes?: number;
}

/** Samples one chain process's counters: a node of ours over its stdin, a peer from /proc. */
export type UsageSource = () => Promise<ProcessUsage>;

export interface PhaseOutcome {
  readonly plan: LoadPlan;
  readonly result: LoadResult;
  /** Every node process, in the order given. */
  readonly nodes: readonly NodeWindow[];
  /** The window on the monotonic clock, to cut CPU profiles to it. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
}

/** The node process's counters now. */
export async function usage(node: JsonChild<NodeMessage>): Promise<ProcessUsage> {
  node.send('usage');
  return (await node.next('usage')).usage;
}

/** Our node process's counters, as a usage source. */
export const nodeUsage =
  (node: JsonChild<NodeMessage>): UsageSource =>
  () =>
    usage(node);

/** A node process's CPU and main-thread busy share between two samples. */
export function nodeWindow(a: ProcessUsage, b: ProcessUsage): NodeWindow {
  const window: NodeWindow = {
    cpuCores: (b.cpuMicros - a.cpuMicros) / 1000 / (b.atMs - a.atMs),
    peakRssBytes: b.peakRssBytes,
    ...(b.peakAnonBytes !== undefined ? { peakAnonBytes: b.peakAnonBytes } : {}),
  };
  if (a.loopActiveMs === undefined || b.loopActiveMs === undefined) return window;
  const active = b.loopActiveMs - a.loopActiveMs;
  return { ...window, loopBusy: active / (active + (b.loopIdleMs ?? 0) - (a.loopIdleMs ?? 0)) };
}

/** Runs one load-generator process with `plan` (written to `planFile`); this process only waits and samples the chain's processes. */
export async function runPhase(
  nodes: readonly UsageSource[],
  planFile: string,
  plan: LoadPlan,
): Promise<PhaseOutcome> {
  writeFileSync(planFile, JSON.stringify(plan));
  const load = new JsonChild<LoadMessage>(new URL('./load-entry.js', import.meta.url), [planFile]);
  try {
    await load.next('window');
    const a = await Promise.all(nodes.map((sample) => sample()));
    await load.next('window');
    const b = await Promise.all(nodes.map((sample) => sample()));
    const { result } = await load.next('result');
    return {
      plan,
      result,
      nodes: a.map((from, i) => nodeWindow(from, b[i]!)),
      window: { fromUs: a[0]?.monotonicUs ?? 0, toUs: b[0]?.monotonicUs ?? 0 },
    };
  } finally {
    await load.end();
  }
}

/** Committed transactions per second in the window. */
export const perSecond = (r: LoadResult) =>
  r.committed.seconds > 0 ? r.committed.txs / r.committed.seconds : 0;

export const round2 = (x: number) => Number(x.toFixed(2));

/** What a phase's records carry besides the figure, so a reader can judge it. */
export function describePhase(o: PhaseOutcome): Record<string, unknown> {
  const r = o.result;
  const cpu = o.nodes.map((n) => n.cpuCores);
  const busy = o.nodes.map((n) => n.loopBusy);
  return {
    offeredPerSecond: Math.round(o.plan.rate),
    offeredAchievedPerSecond: Math.round(r.offeredPerSecond),
    seconds: o.plan.seconds,
    warmupSeconds: o.plan.warmupSeconds,
    measuredSeconds: round2(r.committed.seconds),
    blocksInWindow: r.committed.blocks,
    committedInWindow: r.committed.txs,
    admitted: r.admitted,
    refused: r.refused,
    failedReceipts: r.failedReceipts,
    undrained: r.undrained,
    // CPU of all node processes together, in cores; with several nodes also each one's.
    nodeCpuCores: round2(cpu.reduce((sum, c) => sum + c, 0)),
    ...(o.nodes.length > 1 ? { perNodeCpuCores: cpu.map(round2) } : {}),
    ...(busy.every((b) => b !== undefined)
      ? { nodeMainThreadBusy: o.nodes.length > 1 ? busy.map(round2) : round2(busy[0] ?? 0) }
      : {}),
    loadGeneratorCpuCores: round2(r.cpuCores),
    apis: o.plan.apiUrls.length,
    maxInFlight: o.plan.maxInFlight,
    signedPerSecond: Math.round(r.signPerSecond),
  };
}

/**
 * What a latency phase's records carry: the phase, what was committed, the sample count and
 * the slowest, and how it was run (`load`: the fraction of the saturation throughput offered;
 * `clock`: what arrival the latency is measured to).
 */
export function latencyConfiguration(o: PhaseOutcome, load: number, clock: string): Record<string, unknown> {
  const l = o.result.latencyMs;
  return {
    ...describePhase(o),
    committedPerSecond: Math.round(perSecond(o.result)),
    ...(l ? { samples: l.samples, maxMs: Math.round(l.max) } : {}),
    note: `open loop at ${load * 100}% of the saturation throughput; ${clock} minus request send time`,
  };
}
