import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMPTY_BLOCK_INTERVAL_MS, homePaths } from '@pujiang/node';
import type { StatusResponse } from '@pujiang/protocol';

import { networkReady, prepareNetwork } from './network-home.js';
import { spawnNode } from './phase.js';
import { diskBytes } from './proc-usage.js';
import type { BenchRecord } from './record.js';

const VALIDATORS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function heightOf(api: string): Promise<number> {
  const res = await fetch(new URL('/v1/status', api));
  return ((await res.json()) as StatusResponse).height;
}

/** Disk growth of an idle four-validator network over `seconds` (after `settleSeconds`), with the given pacing. */
async function idleGrowth(emptyBlockIntervalMs: number, seconds: number, settleSeconds = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-idle-'));
  try {
    const net = await prepareNetwork({
      dir: join(dir, 'net'),
      suite: 'ed25519',
      validators: VALIDATORS,
      senders: 1,
      verifyWorkers: 1,
      emptyBlockIntervalMs,
    });
    const nodes = net.network.nodes.map((node) => spawnNode(node.home));
    const data = net.network.nodes.map((node) => homePaths(node.home).data);
    try {
      const apis = await Promise.all(nodes.map(async (node) => (await node.next('ready')).apiUrl));
      await networkReady(apis);
      // The first minute allocates pages once (the store's first blocks); steady growth comes after.
      await sleep(settleSeconds * 1000);
      const before = data.map(diskBytes);
      const heightBefore = await heightOf(apis[0]!);
      await sleep(seconds * 1000);
      const after = data.map(diskBytes);
      const blocks = (await heightOf(apis[0]!)) - heightBefore;
      const grown = after.map((a, i) => a - before[i]!);
      return { bytesPerMinute: (grown.reduce((s, g) => s + g, 0) / grown.length / seconds) * 60, blocks };
    } finally {
      await Promise.all(nodes.map((node) => node.end()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A pacing short enough that a window holds many paced blocks, to weigh one of them. */
const SHORT_PACING_MS = 2_000;

/**
 * What an idle chain costs in disk, per node and per minute: four validators with no
 * transaction, making a block every block interval (`emptyBlockIntervalMs` 0, as before
 * pacing), against the default pacing (30 s), measured directly over five minutes after the
 * first one in a full run. LMDB grows a page (4 KiB) at a time and a quick run's window holds
 * one block at 30 s, so the paced figure is also taken from the cost of one paced block,
 * weighed over many at a 2 s pacing, times the blocks a minute at 30 s (a quick run's value).
 */
export async function idleDiskRecords(quick: boolean): Promise<BenchRecord[]> {
  const seconds = quick ? 20 : 60;
  const every = await idleGrowth(0, seconds);
  // A full run measures the default pacing directly, over five minutes after the first one
  // (ten paced blocks); a quick run's window holds one block, so its figure is derived.
  const pacedWindow = quick ? seconds : 300;
  const paced = await idleGrowth(DEFAULT_EMPTY_BLOCK_INTERVAL_MS, pacedWindow, quick ? 0 : 60);
  const short = await idleGrowth(SHORT_PACING_MS, seconds);
  const perPacedBlock = short.blocks > 0 ? (short.bytesPerMinute * seconds) / 60 / short.blocks : 0;
  const derived = quick ? perPacedBlock * (60_000 / DEFAULT_EMPTY_BLOCK_INTERVAL_MS) : paced.bytesPerMinute;
  const common = { validators: VALIDATORS, suite: 'ed25519', windowSeconds: seconds };
  const goal = every.bytesPerMinute / 50;
  return [
    {
      group: 'network',
      name: 'idle disk bytes per minute, a block every block interval',
      value: every.bytesPerMinute,
      unit: 'B',
      configuration: {
        ...common,
        emptyBlockIntervalMs: 0,
        blocks: every.blocks,
        note: "growth of each node's data directory while no transaction arrives, averaged over nodes",
      },
    },
    {
      group: 'network',
      name: 'idle disk bytes per paced block',
      value: perPacedBlock,
      unit: 'B',
      configuration: {
        ...common,
        emptyBlockIntervalMs: SHORT_PACING_MS,
        blocks: short.blocks,
        note: 'growth per node over the window divided by the blocks made in it, paced at 2 s',
      },
    },
    {
      group: 'network',
      name: 'idle disk bytes per minute, paced',
      value: derived,
      unit: 'B',
      configuration: {
        ...common,
        emptyBlockIntervalMs: DEFAULT_EMPTY_BLOCK_INTERVAL_MS,
        measuredOverWindow: Math.round(paced.bytesPerMinute),
        windowSecondsPaced: pacedWindow,
        blocksInWindow: paced.blocks,
        derivedFromPacedBlock: Math.round(perPacedBlock * (60_000 / DEFAULT_EMPTY_BLOCK_INTERVAL_MS)),
        note: quick
          ? 'quick: the cost of a paced block times the blocks a minute at the default pacing (a 20 s window holds one block); goal: under 1/50 of a block every block interval'
          : "measured: each node's growth over five minutes after the first, at the default pacing; goal: under 1/50 of a block every block interval",
      },
      target: {
        value: goal,
        ratio: every.bytesPerMinute > 0 ? derived / every.bytesPerMinute : 0,
        met: derived < goal,
      },
    },
  ];
}
