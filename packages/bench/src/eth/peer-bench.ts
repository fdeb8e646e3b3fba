import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from 'viem/accounts';
import {
  describePhase,
  latencyConfiguration,
  type PhaseOutcome,
  type PhaseTiming,
  perSecond,
  runPhase,
} from '../phase.js';
import type { BenchRecord } from '../record.js';
import { resourceRecords } from '../resources.js';
import { verifyLimit } from '../verify-limit.js';
import { PEER_IN_FLIGHT, PEER_KINDS, type PeerKind, peerUsage, type RunningPeer, startPeer } from './peer.js';

export interface PeerBenchOptions {
  readonly quick: boolean;
  /** Our single validator's Ed25519 figures from the node group of this run, to compare with. */
  readonly ours?: {
    readonly committedPerSecond: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
  };
}

/** Senders funded at the peer's genesis; each submits its nonces in order to the one peer. */
const SENDERS = 200;
/** Each step of the ramp offers this many times the last; the first offers `FIRST_RATE`. */
const RAMP = { factor: 2, maxSteps: 6, keepsUp: 0.9 } as const;
const FIRST_RATE = { quick: 500, full: 250 } as const;
/** As for our single validator: the latency run offers this fraction of the saturation throughput. */
const LATENCY_LOAD = 0.7;
const CLIENT = { maxBatch: 2_000, drainSeconds: 30 } as const;
const PHASES = {
  quick: { step: { seconds: 2, warmupSeconds: 0.6 }, latency: { seconds: 2.5, warmupSeconds: 0.8 } },
  full: { step: { seconds: 12, warmupSeconds: 3 }, latency: { seconds: 20, warmupSeconds: 4 } },
} as const satisfies Record<string, { step: PhaseTiming; latency: PhaseTiming }>;

interface PeerOutcome {
  readonly peer: RunningPeer;
  readonly steps: readonly PhaseOutcome[];
  readonly saturation: PhaseOutcome;
  readonly latency?: PhaseOutcome;
}

/**
 * Finds the peer's saturation throughput by a ramp: offers rising rates until the committed
 * rate falls below 90 % of what was offered, and keeps the best step. Unlike our node, a
 * development chain has no admission control (its pool grows without bound and its rate
 * falls when overloaded), so offering far above its limit would understate it.
 */
async function measurePeer(kind: PeerKind, quick: boolean, dir: string): Promise<PeerOutcome> {
  const phases = quick ? PHASES.quick : PHASES.full;
  const senders = Array.from({ length: SENDERS }, () => generatePrivateKey().slice(2));
  const peer = await startPeer(kind, senders);
  try {
    const sample = peerUsage(peer, 'peer bench');
    const base = {
      target: 'eth' as const,
      apiUrls: [peer.rpcUrl],
      chainId: String(peer.chainId),
      suite: 'secp256k1' as const,
      senders,
      ...CLIENT,
      maxInFlight: PEER_IN_FLIGHT[kind],
    };
    const steps: PhaseOutcome[] = [];
    let rate: number = quick ? FIRST_RATE.quick : FIRST_RATE.full;
    for (let step = 0; step < RAMP.maxSteps; step++, rate *= RAMP.factor) {
      const outcome = await runPhase([sample], join(dir, `${kind}-step${step}.json`), {
        ...base,
        ...phases.step,
        rate,
        watchTxs: false,
        sampleReceipts: 20,
      });
      steps.push(outcome);
      if (perSecond(outcome.result) < RAMP.keepsUp * rate) break;
    }
    const saturation = steps.reduce((best, s) => (perSecond(s.result) > perSecond(best.result) ? s : best));
    const max = perSecond(saturation.result);
    const latency =
      max > 0
        ? await runPhase([sample], join(dir, `${kind}-latency.json`), {
            ...base,
            ...phases.latency,
            rate: LATENCY_LOAD * max,
            watchTxs: true,
          })
        : undefined;
    return { peer, steps, saturation, ...(latency ? { latency } : {}) };
  } finally {
    await peer.stop();
  }
}

function peerRecords(
  o: PeerOutcome,
  limit: Awaited<ReturnType<typeof verifyLimit>>,
  ours: PeerBenchOptions['ours'],
): BenchRecord[] {
  const { peer, steps, saturation, latency } = o;
  const kind = peer.kind;
  const max = perSecond(saturation.result);
  const common = {
    peer: peer.version,
    chainId: peer.chainId,
    mining: 'automatic: a block per transaction as it arrives',
    storage: 'in memory (the default of both development chains)',
    signature: 'secp256k1 ECDSA (EIP-1559 value transfers of 1 wei, 21,000 gas)',
    senders: SENDERS,
    submission: 'eth_sendRawTransaction in JSON-RPC batches over keep-alive HTTP',
  };
  const limitName = 'secp256k1 verify limit (pool, JavaScript)';
  const records: BenchRecord[] = [
    {
      group: 'peer',
      name: `${kind} committed transfers/s`,
      value: max,
      unit: 'tx/s',
      configuration: {
        ...common,
        ...describePhase(saturation),
        sampledReceipts: saturation.result.sampledReceipts,
        ramp: steps.map((s) => ({
          offered: Math.round(s.plan.rate),
          committed: Math.round(perSecond(s.result)),
        })),
        note: 'the best step of a ramp of offered rates (x2 each until under 90 % kept up); commits counted from blocks over eth_subscribe newHeads',
      },
      limit: {
        name: limitName,
        value: limit.rate,
        ratio: max / limit.rate,
        note: 'our VerifyPool with @noble/curves on all cores; the peers verify with native code (ganache: libsecp256k1, Hardhat: Rust), faster than this',
      },
      ...(ours
        ? {
            comparedWith: {
              name: 'node ed25519 committed transfers/s',
              value: ours.committedPerSecond,
              ratio: max / ours.committedPerSecond,
            },
          }
        : {}),
    },
  ];
  const l = latency?.result.latencyMs;
  if (latency && l) {
    const configuration = {
      ...common,
      ...latencyConfiguration(latency, LATENCY_LOAD, 'newHeads arrival at the client'),
    };
    for (const q of ['p50', 'p95', 'p99'] as const)
      records.push({
        group: 'peer',
        name: `${kind} commit latency ${q}`,
        value: l[q],
        unit: 'ms',
        configuration,
        ...(ours
          ? {
              comparedWith: {
                name: `node ed25519 commit latency ${q}`,
                value: ours[q],
                ratio: l[q] / ours[q],
              },
            }
          : {}),
      });
  }
  records.push(
    ...resourceRecords({
      group: 'peer',
      prefix: kind,
      saturation,
      phases: latency ? [...steps, latency] : steps,
      configuration: common,
    }),
  );
  return records;
}

/**
 * The peer: Ethereum development chains from npm (ganache, Hardhat's node), each started in
 * its own process on loopback with automatic mining, loaded by the same load-generator
 * process as our chain through standard JSON-RPC, and compared with our single validator.
 */
export async function runPeerBench(o: PeerBenchOptions): Promise<BenchRecord[]> {
  const limit = await verifyLimit('secp256k1', o.quick ? 1000 : 2000);
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-peer-'));
  const records: BenchRecord[] = [];
  try {
    for (const kind of PEER_KINDS) {
      try {
        records.push(...peerRecords(await measurePeer(kind, o.quick, dir), limit, o.ours));
      } catch (error) {
        // Where a peer does not install or start (Hardhat needs Node 20+ and its native EDR build), the rest still runs.
        console.error(
          `peer ${kind}: not measured: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return records;
}
