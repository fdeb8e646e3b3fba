import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genesisHash } from '@pujiang/node';
import { parseGenesis, type StatusResponse } from '@pujiang/protocol';
import { JsonChild } from './child.js';
import type { NodeMessage } from './load-plan.js';
import { networkReady, prepareNetwork } from './network-home.js';
import { nodeWindow, spawnNode, usage } from './phase.js';
import type { BenchRecord } from './record.js';

const VALIDATORS = 4;
/** The suite whose handshake costs most (an ML-DSA-65 signature per Hello before hardening). */
const SUITE = 'ml-dsa-65' as const;
/** Connections the flooder keeps in flight. */
const CONCURRENCY = 64;
/** The goal: blocks under the flood at least this fraction of blocks while quiet. */
const GOAL = 0.9;

async function heightOf(api: string): Promise<number> {
  return ((await (await fetch(new URL('/v1/status', api))).json()) as StatusResponse).height;
}

type FloodMessage = { type: 'done'; signed: number; challenge: number; refused: number };

/** Blocks node0 commits over `seconds`, and its CPU and main-thread share, while `during` runs. */
async function blocksOver(
  api: string,
  node: JsonChild<NodeMessage>,
  seconds: number,
  during?: () => Promise<unknown>,
) {
  const before = await heightOf(api);
  const usageBefore = await usage(node);
  const started = performance.now();
  const other = during?.();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const blocks = (await heightOf(api)) - before;
  const window = nodeWindow(usageBefore, await usage(node));
  const elapsed = (performance.now() - started) / 1000;
  return { blocks, perSecond: blocks / elapsed, window, other: await other };
}

const round2 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 100) / 100);

/**
 * A flood of unauthenticated Hellos against one validator of a four-validator ML-DSA-65
 * network (a block every block interval): node0's committed blocks per second over a quiet
 * window, then over a window in which a separate process keeps `CONCURRENCY` outsider
 * handshakes in flight against node0's peer port. The figure is the ratio; the goal, 90 %.
 */
export async function floodRecords(quick: boolean): Promise<BenchRecord[]> {
  const seconds = quick ? 15 : 40;
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-flood-'));
  try {
    const net = await prepareNetwork({
      dir: join(dir, 'net'),
      suite: SUITE,
      validators: VALIDATORS,
      senders: 1,
      verifyWorkers: 1,
      emptyBlockIntervalMs: 0,
    });
    const nodes = net.network.nodes.map((node) => spawnNode(node.home));
    try {
      const apis = await Promise.all(nodes.map(async (node) => (await node.next('ready')).apiUrl));
      await networkReady(apis);
      const quiet = await blocksOver(apis[0]!, nodes[0]!, seconds);
      const [host, port] = net.network.nodes[0]!.p2p.split(':') as [string, string];
      const flooder = new JsonChild<FloodMessage>(new URL('./flood-entry.js', import.meta.url), [
        host,
        port,
        net.chainId,
        String(seconds),
        String(CONCURRENCY),
        // The genesis is public: a flooder sends Hellos a validator accepts as far as they go.
        genesisHash(parseGenesis(net.genesis)),
      ]);
      const flooded = await blocksOver(apis[0]!, nodes[0]!, seconds, () => flooder.next('done'));
      const got = flooded.other as FloodMessage;
      await flooder.exited;
      const ratio = quiet.perSecond > 0 ? flooded.perSecond / quiet.perSecond : 0;
      return [
        {
          group: 'network',
          name: `${SUITE} ${VALIDATORS}-node blocks per second under a Hello flood, to quiet`,
          value: ratio,
          unit: 'ratio',
          configuration: {
            windowSeconds: seconds,
            quietBlocksPerSecond: Math.round(quiet.perSecond * 100) / 100,
            floodBlocksPerSecond: Math.round(flooded.perSecond * 100) / 100,
            node0CpuCores: { quiet: round2(quiet.window.cpuCores), flood: round2(flooded.window.cpuCores) },
            node0MainThreadBusy: {
              quiet: round2(quiet.window.loopBusy),
              flood: round2(flooded.window.loopBusy),
            },
            flooderConcurrency: CONCURRENCY,
            flooderGot: { signed: got.signed, challenge: got.challenge, refused: got.refused },
            note: "node0's committed blocks; the flooder is one process holding no member key, at the lowest CPU priority (an attacker's CPU is elsewhere)",
          },
          target: { value: GOAL, ratio, met: ratio >= GOAL },
        },
      ];
    } finally {
      await Promise.all(nodes.map((node) => node.end()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
