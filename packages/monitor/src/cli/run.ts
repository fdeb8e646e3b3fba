import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, intOption, usageError } from '@pujiang/cli-kit';
import { PujiangError } from '@pujiang/types';
import { Monitor, type MonitorOptions } from '../monitor.js';
import { riskHtml } from '../risk.js';
import { MonitorServer } from '../server.js';
import { Webhook } from '../webhook.js';

const OPTIONS = {
  node: { type: 'string', multiple: true },
  listen: { type: 'string' },
  webhook: { type: 'string' },
  'webhook-secret': { type: 'string' },
  cors: { type: 'string', multiple: true },
  interval: { type: 'string' },
  'expiry-warning': { type: 'string' },
  'stall-ms': { type: 'string' },
  window: { type: 'string' },
  'abuse-per-minute': { type: 'string' },
  out: { type: 'string' },
} as const;

const DEFAULT_LISTEN = '127.0.0.1:26680';

export async function runMonitorCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const report = args[0] === 'report';
  // strict: an unknown option or a stray argument is a usage error (ERR_PARSE_ARGS_*).
  const { values } = parseArgs({
    args: [...(report ? args.slice(1) : args)],
    options: OPTIONS,
    strict: true,
  });
  const nodes = (values.node ?? []).map((url) => {
    if (!/^https?:\/\/[^\s/]+/.test(url))
      throw usageError(`--node ${url} is not an http(s) URL`, { option: 'node' });
    return url.replace(/\/+$/, '');
  });
  if (nodes.length === 0)
    throw usageError('--node URL is required (repeat it for each node)', { option: 'node' });
  const options: MonitorOptions = {
    nodes,
    ...optional('intervalMs', intOption(values, 'interval', 100, 3_600_000)),
    ...optional('expiryWarningDays', intOption(values, 'expiry-warning', 0, 3_650)),
    ...optional('stallMs', intOption(values, 'stall-ms', 1_000, 86_400_000)),
    ...optional('window', intOption(values, 'window', 2, 1_000)),
    ...optional('abusePerMinute', intOption(values, 'abuse-per-minute', 1, 10_000_000)),
  };
  return report ? writeReport(options, values.out, io) : serve(options, values, io);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

async function writeReport(options: MonitorOptions, out: string | undefined, io: CommandIo): Promise<number> {
  if (!out) throw usageError('--out FILE is required', { option: 'out' });
  const monitor = new Monitor(options);
  try {
    // The second poll sees what the first started following (the registered members' events).
    await monitor.poll();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await monitor.poll();
  } finally {
    await monitor.stop();
  }
  const nodes = monitor.alertsJson().nodes;
  if (!nodes.some((n) => n.reachable))
    throw new PujiangError('MONITOR_NO_NODE', 'no node answered: nothing to report', {
      nodes: nodes.map((n) => ({ url: n.url, error: n.error })),
    });
  const report = monitor.risk();
  writeFileSync(out, out.endsWith('.html') ? riskHtml(report) : `${JSON.stringify(report, null, 2)}\n`);
  io.out(
    JSON.stringify({
      event: 'report',
      out,
      validators: report.validators.length,
      organizations: report.organizations.length,
    }),
  );
  return EXIT.ok;
}

async function serve(
  options: MonitorOptions,
  values: { listen?: string; webhook?: string; 'webhook-secret'?: string; cors?: string[] },
  io: CommandIo,
): Promise<number> {
  const [host, portText] = splitHostPort(values.listen ?? DEFAULT_LISTEN);
  const webhookUrl = values.webhook;
  if (webhookUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(webhookUrl))
    throw usageError(`--webhook ${webhookUrl} is not an http(s) URL`, { option: 'webhook' });
  const secret = values['webhook-secret'];
  if (secret !== undefined && (webhookUrl === undefined || secret.length < 16))
    throw usageError('--webhook-secret needs --webhook and at least 16 characters', {
      option: 'webhook-secret',
    });
  const corsOrigins = (values.cors ?? []).map(corsOrigin);
  let webhook: Webhook | undefined;
  const monitor: Monitor = new Monitor({
    ...options,
    log: (line) => io.err(line),
    onChange: (change) => webhook?.send(change),
  });
  if (webhookUrl)
    webhook = new Webhook(webhookUrl, {
      log: (line) => io.err(line),
      onResult: (ok) => monitor.metrics.webhook.inc({ outcome: ok ? 'delivered' : 'failed' }),
      ...(secret ? { secret } : {}),
    });
  const server = new MonitorServer(monitor, { corsOrigins });
  const port = await server.listen(portText, host);
  monitor.start();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  io.out(JSON.stringify({ event: 'listening', url, nodes: options.nodes }));
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      io.err(`${signal}: stopping`);
      webhook?.stop();
      void Promise.all([monitor.stop(), server.close()]).then(() => {
        io.out(JSON.stringify({ event: 'stopped' }));
        resolve(EXIT.ok);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/** An origin a page may read the monitor from: scheme, host and port, nothing else. */
function corsOrigin(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/+$/, ''))
    throw usageError(`--cors ${value} is not an origin (http(s)://host[:port])`, { option: 'cors' });
  return url.origin;
}

function splitHostPort(value: string): [string, number] {
  const m = /^(\[[^\]]+\]|[^:]+):([0-9]{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65_535)
    throw usageError(`--listen ${value} is not HOST:PORT`, { option: 'listen' });
  return [m[1]!.replace(/^\[|\]$/g, ''), Number(m[2])];
}
