import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlertKind, Monitor } from '@pujiang/monitor';
import { networkReady, prepareNetwork } from './network-home.js';
import { spawnNode } from './phase.js';
import type { BenchRecord } from './record.js';

const VALIDATORS = 4;
const INTERVAL_MS = 500;
const WINDOW = 10;
const ALERT_TIMEOUT_MS = 120_000;

/**
 * The `monitor` group: how long after a validator process is killed with -9 the monitor
 * raises its liveness alerts. Four validators in their own processes (an idle chain making a
 * block every block interval, so blocks keep coming without load), the monitor in this
 * process polling all four every 500 ms; node3 is killed once the monitor has seen a full
 * window of blocks, and the clock stops when each alert is first seen: the node not
 * answering (`node-unreachable`), and its precommits missing from the last 10 certificates
 * (`missed-blocks`, which needs 8 of 10 blocks after the kill, so it also measures how fast
 * three validators decide).
 */
export async function runMonitorBench(o: { quick: boolean }): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-monitor-'));
  try {
    const net = await prepareNetwork({
      dir: join(dir, 'net'),
      suite: 'ed25519',
      validators: VALIDATORS,
      senders: 1,
      verifyWorkers: 1,
      emptyBlockIntervalMs: 0,
    });
    const nodes = net.network.nodes.map((node) => spawnNode(node.home));
    let monitor: Monitor | undefined;
    try {
      const apiUrls = await Promise.all(nodes.map(async (node) => (await node.next('ready')).apiUrl));
      await networkReady(apiUrls);
      monitor = new Monitor({ nodes: apiUrls, intervalMs: INTERVAL_MS, window: WINDOW });
      const m = monitor;
      m.start();
      // A full window of certificates seen, so missed blocks can be judged from the kill on.
      await waitFor(() => m.risk().validators.length === VALIDATORS && m.risk().height >= WINDOW + 2, 60_000);
      const victim = net.network.nodes[VALIDATORS - 1]!;
      const { pid } = JSON.parse(readFileSync(join(victim.home, 'node.lock'), 'utf8')) as { pid: number };
      const victimId = (await (await fetch(new URL('/v1/status', apiUrls[VALIDATORS - 1]!))).json()) as {
        nodeId: string;
      };
      const seen = (kind: AlertKind) =>
        m.alerts
          .active()
          .some(
            (a) =>
              a.kind === kind &&
              (a.subject.id === victimId.nodeId || a.evidence.validatorAddress === victimId.nodeId),
          );
      // Killed while it signs (a certificate holds the first quorum, so a live validator misses some):
      // the figure then counts the blocks missed after the kill, not before.
      const missedNow = () =>
        m
          .risk()
          .validators.find((v) => v.subject.id === victimId.nodeId)
          ?.reasons.find((r) => r.kind === 'missed-blocks-share')?.evidence.missed as number | undefined;
      await waitFor(() => (missedNow() ?? 0) <= 2 && !seen('missed-blocks'), 60_000);
      const missedAtKill = missedNow() ?? 0;
      const killedAt = performance.now();
      process.kill(pid, 'SIGKILL');
      const latency: Partial<Record<AlertKind, number>> = {};
      await waitFor(() => {
        for (const kind of ['node-unreachable', 'missed-blocks'] as const)
          if (latency[kind] === undefined && seen(kind)) latency[kind] = performance.now() - killedAt;
        return latency['node-unreachable'] !== undefined && latency['missed-blocks'] !== undefined;
      }, ALERT_TIMEOUT_MS);
      const configuration = {
        validators: VALIDATORS,
        suite: 'ed25519',
        pollIntervalMs: INTERVAL_MS,
        missedBlocksWindow: WINDOW,
        emptyBlockIntervalMs: 0,
        missedAtKill,
        quick: o.quick,
        note: 'from kill -9 of one validator process to the alert first seen by the monitor (in process)',
      };
      return [
        {
          group: 'monitor',
          name: 'liveness alert latency (node unreachable)',
          value: round(latency['node-unreachable']! / 1000),
          unit: 's',
          configuration,
        },
        {
          group: 'monitor',
          name: 'liveness alert latency (missed blocks)',
          value: round(latency['missed-blocks']! / 1000),
          unit: 's',
          configuration,
        },
      ];
    } finally {
      await monitor?.stop();
      await Promise.all(nodes.map((node) => node.end()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`monitor bench: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
