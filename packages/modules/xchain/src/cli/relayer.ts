import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandContext } from '@pujiang/cli-kit';
import type { ChainClient } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import { getLightClient } from '../client/clients.js';
import { type ChainSide, syncClient } from '../relayer/handshake.js';
import { newRelayCounters, type RelayCounters, type RelayPath, relayOnce } from '../relayer/relay.js';
import type { RelayConfig } from './relay-config.js';

/**
 * The relayer process's loop: every `intervalMs`, a round on each path (deliveries,
 * acknowledgements, timeouts) and the checkpoints that are due; errors of a round (a node
 * down, a request timing out) are counted and logged, and the next round starts afresh from
 * the chains. `/metrics` serves the counters in Prometheus's text format.
 */
export interface RelayerHandle {
  readonly metricsUrl: string | undefined;
  stop(): Promise<void>;
}

interface PathState {
  readonly name: string;
  readonly path: RelayPath;
  readonly counters: RelayCounters;
}

interface Totals {
  rounds: number;
  roundErrors: number;
  checkpoints: Record<string, number>;
  lastRoundSeconds: number;
}

function metricsText(paths: readonly PathState[], totals: Totals): string {
  const lines = [
    '# HELP pujiang_relayer_messages_total Relay messages committed OK, by path and kind',
    '# TYPE pujiang_relayer_messages_total counter',
  ];
  for (const { name, counters: c } of paths)
    for (const kind of ['received', 'acknowledged', 'timedOut'] as const)
      lines.push(`pujiang_relayer_messages_total{path="${name}",kind="${kind}"} ${c[kind]}`);
  lines.push(
    '# HELP pujiang_relayer_refused_total Relay messages refused (on chain or at admission), by code',
  );
  lines.push('# TYPE pujiang_relayer_refused_total counter');
  for (const { name, counters: c } of paths)
    for (const [code, n] of Object.entries(c.refused))
      lines.push(`pujiang_relayer_refused_total{path="${name}",code="${code}"} ${n}`);
  lines.push('# TYPE pujiang_relayer_client_updates_total counter');
  for (const { name, counters: c } of paths)
    lines.push(`pujiang_relayer_client_updates_total{path="${name}"} ${c.clientUpdates}`);
  lines.push(
    '# HELP pujiang_relayer_forks_exposed_total Forged headers found held by a client and exposed (it freezes)',
  );
  lines.push('# TYPE pujiang_relayer_forks_exposed_total counter');
  for (const { name, counters: c } of paths)
    lines.push(`pujiang_relayer_forks_exposed_total{path="${name}"} ${c.forksExposed}`);
  lines.push(
    '# HELP pujiang_relayer_seconds_total Relayer time by phase: reads, client updates, submits (with commits)',
  );
  lines.push('# TYPE pujiang_relayer_seconds_total counter');
  for (const { name, counters: c } of paths)
    for (const [phase, seconds] of Object.entries(c.seconds))
      lines.push(`pujiang_relayer_seconds_total{path="${name}",phase="${phase}"} ${seconds.toFixed(3)}`);
  lines.push(
    '# HELP pujiang_relayer_checkpoints_total Client updates made as checkpoints, by host and client',
  );
  lines.push('# TYPE pujiang_relayer_checkpoints_total counter');
  for (const [key, n] of Object.entries(totals.checkpoints)) {
    const [host, client] = key.split('/');
    lines.push(`pujiang_relayer_checkpoints_total{host="${host}",client="${client}"} ${n}`);
  }
  lines.push('# TYPE pujiang_relayer_rounds_total counter', `pujiang_relayer_rounds_total ${totals.rounds}`);
  lines.push(
    '# TYPE pujiang_relayer_round_errors_total counter',
    `pujiang_relayer_round_errors_total ${totals.roundErrors}`,
  );
  lines.push(
    '# TYPE pujiang_relayer_last_round_seconds gauge',
    `pujiang_relayer_last_round_seconds ${totals.lastRoundSeconds}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function startRelayer(
  config: RelayConfig,
  ctx: CommandContext,
  log: (event: Record<string, unknown>) => void,
): Promise<RelayerHandle> {
  const clients: Record<string, ChainClient> = {};
  const clientOf = (chain: string): ChainClient => {
    clients[chain] ??= ctx.client({ node: config.chains[chain]!.node });
    return clients[chain]!;
  };
  const sides = (chain: string, clientId: string): ChainSide => {
    const c = config.chains[chain]!;
    return { chain: clientOf(chain), key: ctx.readKey(c.key), clientId };
  };
  const paths: PathState[] = config.paths.map((p) => ({
    name: `${p.a.chain}/${p.a.channel}<->${p.b.chain}/${p.b.channel}`,
    path: {
      a: { ...sides(p.a.chain, p.a.client), port: p.a.port, channel: p.a.channel },
      b: { ...sides(p.b.chain, p.b.client), port: p.b.port, channel: p.b.channel },
    },
    counters: newRelayCounters(),
  }));
  const checkpoints = config.checkpoints.map((c) => ({
    key: `${c.host}/${c.client}`,
    host: sides(c.host, c.client),
    followed: clientOf(c.followed),
    last: 0,
  }));
  const totals: Totals = { rounds: 0, roundErrors: 0, checkpoints: {}, lastRoundSeconds: 0 };
  let server: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metrics) {
    server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText(paths, totals));
    });
    await new Promise<void>((resolve) => server!.listen(config.metrics!.port, config.metrics!.host, resolve));
    const { address, port } = server.address() as AddressInfo;
    metricsUrl = `http://${address}:${port}/metrics`;
  }
  const failed = (where: string, error: unknown) => {
    totals.roundErrors++;
    log({
      event: 'error',
      where,
      code: isPujiangError(error) ? error.code : 'RELAY_ERROR',
      message: String((error as Error)?.message ?? error),
    });
  };
  let stopped = false;
  let wake: (() => void) | undefined;
  const watches = watchChains(
    Object.values(clients),
    () => wake?.(),
    () => stopped,
  );
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      for (const p of paths) {
        try {
          const n = await relayOnce(p.path, p.counters);
          if (n > 0) log({ event: 'relayed', path: p.name, messages: n });
        } catch (error) {
          failed(p.name, error);
        }
      }
      for (const c of checkpoints) {
        if (Date.now() - c.last < config.checkpointEveryMs) continue;
        try {
          const held = await getLightClient(c.host.chain, c.host.clientId);
          const before = Number(held?.latestHeight ?? 0);
          const after = await syncClient(c.host, c.followed, (await c.followed.getStatus()).height);
          if (after !== before) totals.checkpoints[c.key] = (totals.checkpoints[c.key] ?? 0) + 1;
          c.last = Date.now();
        } catch (error) {
          failed(c.key, error);
        }
      }
      totals.rounds++;
      totals.lastRoundSeconds = (performance.now() - started) / 1000;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, config.intervalMs);
      });
    }
  })();
  return {
    metricsUrl,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      watches.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** A client that can stream a node's events (the SDK's `PujiangClient`); other clients are polled only. */
interface EventSource {
  subscribe(
    p: { module: string; blocks: boolean; txs: boolean },
    onMessage: () => void,
  ): { close(): void; readonly done: Promise<unknown> };
}

const canSubscribe = (c: unknown): c is EventSource =>
  typeof (c as Partial<EventSource>).subscribe === 'function';

/**
 * Watches every chain's xchain events (packets sent, received, acknowledged; clients moved):
 * each one starts a round at once instead of at the next interval. A dropped stream is
 * opened again a second later; rounds on the interval go on meanwhile, so nothing depends on
 * the stream.
 */
function watchChains(clients: readonly ChainClient[], onEvent: () => void, stopped: () => boolean) {
  const open: { close(): void }[] = [];
  for (const client of clients) {
    if (!canSubscribe(client)) continue;
    const follow = () => {
      if (stopped()) return;
      const s = client.subscribe({ module: 'xchain', blocks: false, txs: false }, onEvent);
      open.push(s);
      void s.done.then(() => {
        if (!stopped()) setTimeout(follow, 1000).unref();
      });
    };
    follow();
  }
  return {
    close: () => {
      for (const s of open) s.close();
    },
  };
}
