import { type PhaseOutcome, perSecond, round2 } from './phase.js';
import type { BenchRecord } from './record.js';

/** Disk use of each node's data directory (store and consensus WAL) before and after a run's phases. */
export interface DiskGrowth {
  readonly beforeBytes: readonly number[];
  readonly afterBytes: readonly number[];
  /** Transactions the run committed over all its phases. */
  readonly committedTxs: number;
}

export interface ResourceParameters {
  readonly group: string;
  /** Name prefix, e.g. "ed25519" or "ganache". */
  readonly prefix: string;
  /** The saturation phase: CPU per committed transaction is taken there, where the chain is busiest. */
  readonly saturation: PhaseOutcome;
  /** Every phase, for each process's peak memory. */
  readonly phases: readonly PhaseOutcome[];
  /** Undefined where the chain keeps no data on disk (the peers run in memory). */
  readonly disk?: DiskGrowth;
  readonly configuration: Record<string, unknown>;
}

const MIB = 2 ** 20;

/**
 * The resource figures of one chain configuration: CPU seconds of all its processes per
 * 1,000 committed transactions at saturation, the largest peak resident memory of one of its
 * processes, and bytes written to disk per committed transaction (per node).
 */
export function resourceRecords(p: ResourceParameters): BenchRecord[] {
  const records: BenchRecord[] = [];
  const committed = perSecond(p.saturation.result);
  const cores = p.saturation.nodes.map((n) => n.cpuCores);
  const totalCores = cores.reduce((sum, c) => sum + c, 0);
  if (committed > 0)
    records.push({
      group: p.group,
      name: `${p.prefix} CPU s per 1,000 tx`,
      value: (totalCores / committed) * 1000,
      unit: 'cpu-s',
      configuration: {
        ...p.configuration,
        committedPerSecond: Math.round(committed),
        cpuCores: round2(totalCores),
        ...(cores.length > 1 ? { perNodeCpuCores: cores.map(round2) } : {}),
        note: 'user + system CPU of every chain process (all threads) over the saturation window, per 1,000 transactions committed in it',
      },
    });
  const peaks = p.saturation.nodes.map((_, i) =>
    Math.max(...p.phases.map((o) => o.nodes[i]?.peakRssBytes ?? 0)),
  );
  if (peaks.length > 0 && Math.max(...peaks) > 0)
    records.push({
      group: p.group,
      name: `${p.prefix} peak memory per node`,
      value: Math.max(...peaks) / MIB,
      unit: 'MiB',
      configuration: {
        ...p.configuration,
        perNodeMiB: peaks.map((b) => Math.round(b / MIB)),
        note: 'largest peak resident set size (RSS high-water mark) of one chain process over the run',
      },
    });
  const anon = p.saturation.nodes.map((_, i) =>
    Math.max(...p.phases.map((o) => o.nodes[i]?.peakAnonBytes ?? 0)),
  );
  if (anon.length > 0 && Math.max(...anon) > 0)
    records.push({
      group: p.group,
      name: `${p.prefix} peak anonymous memory per node`,
      value: Math.max(...anon) / MIB,
      unit: 'MiB',
      configuration: {
        ...p.configuration,
        perNodeMiB: anon.map((b) => Math.round(b / MIB)),
        note: "largest anonymous resident memory of one chain process (heaps and native allocations, sampled every 100 ms): the RSS without file pages such as the LMDB map's, which grow with the data written",
      },
    });
  if (p.disk && p.disk.committedTxs > 0) {
    const { beforeBytes, afterBytes, committedTxs } = p.disk;
    const grown = afterBytes.map((after, i) => after - (beforeBytes[i] ?? 0));
    records.push({
      group: p.group,
      name: `${p.prefix} disk bytes per tx`,
      value: grown.reduce((sum, g) => sum + g, 0) / grown.length / committedTxs,
      unit: 'B',
      configuration: {
        ...p.configuration,
        committedTxs,
        perNodeGrowthMiB: grown.map((g) => round2(g / MIB)),
        note: "growth of each node's data directory (allocated blocks of the LMDB store and consensus WAL) over the run, per committed transaction, averaged over nodes",
      },
    });
  }
  return records;
}
