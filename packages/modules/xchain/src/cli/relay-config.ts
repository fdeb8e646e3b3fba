import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PujiangError } from '@pujiang/types';
import { CHANNEL_ID, PORTS, type Port } from '../channel-formats.js';
import { CLIENT_ID } from '../formats.js';

/**
 * A relayer's configuration file (JSON): the chains it talks to (a node's URL and the key it
 * signs with there, relative to the file), the paths it relays (a channel end on each of two
 * chains, with each chain's client of the other), the clients it keeps following without a
 * channel (checkpoints of sector chains on the main chain), and where it serves `/metrics`.
 * It holds no relaying state: everything else is read from the chains.
 */
export interface RelayConfig {
  readonly chains: Readonly<Record<string, { readonly node: string; readonly key: string }>>;
  readonly paths: readonly {
    readonly a: RelayEndConfig;
    readonly b: RelayEndConfig;
  }[];
  readonly checkpoints: readonly {
    readonly host: string;
    readonly client: string;
    readonly followed: string;
  }[];
  readonly intervalMs: number;
  /** How often each client is moved forward even without packets (a checkpoint). */
  readonly checkpointEveryMs: number;
  readonly metrics?: { readonly host: string; readonly port: number };
}

export interface RelayEndConfig {
  readonly chain: string;
  readonly client: string;
  readonly port: Port;
  readonly channel: string;
}

const bad = (message: string, details: Record<string, unknown> = {}) =>
  new PujiangError('RELAY_CONFIG_INVALID', message, details);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function integer(v: unknown, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw bad(`${name} is an integer from ${min} to ${max}`, { field: name });
  return v;
}

function endOf(v: unknown, where: string, chains: Record<string, unknown>): RelayEndConfig {
  if (!isObject(v)) throw bad(`${where} is an object`, { field: where });
  const { chain, client, port, channel } = v;
  if (typeof chain !== 'string' || !(chain in chains))
    throw bad(`${where}.chain names a chain of "chains"`, { field: `${where}.chain` });
  if (typeof client !== 'string' || !CLIENT_ID.test(client))
    throw bad(`${where}.client is a client id`, { field: `${where}.client` });
  if (!PORTS.includes(port as Port))
    throw bad(`${where}.port is one of ${PORTS.join(', ')}`, { field: `${where}.port` });
  if (typeof channel !== 'string' || !CHANNEL_ID.test(channel))
    throw bad(`${where}.channel is channel-<n>`, { field: `${where}.channel` });
  return { chain, client, port: port as Port, channel };
}

/** Parses and checks a relayer configuration; key paths become absolute (relative to the file). */
export function parseRelayConfig(text: string, file: string): RelayConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad(`${file} is not JSON`);
  }
  if (!isObject(raw) || !isObject(raw.chains))
    throw bad('the configuration names its "chains"', { field: 'chains' });
  const chains: Record<string, { node: string; key: string }> = {};
  for (const [name, c] of Object.entries(raw.chains)) {
    if (
      !isObject(c) ||
      typeof c.node !== 'string' ||
      !/^https?:\/\/\S+$/.test(c.node) ||
      typeof c.key !== 'string'
    )
      throw bad(`chains.${name} has a "node" URL and a "key" file`, { field: `chains.${name}` });
    chains[name] = { node: c.node, key: resolve(dirname(file), c.key) };
  }
  const paths = Array.isArray(raw.paths) ? raw.paths : raw.paths === undefined ? [] : undefined;
  if (!paths) throw bad('"paths" is a list', { field: 'paths' });
  const checkpoints = Array.isArray(raw.checkpoints)
    ? raw.checkpoints
    : raw.checkpoints === undefined
      ? []
      : undefined;
  if (!checkpoints) throw bad('"checkpoints" is a list', { field: 'checkpoints' });
  let metrics: RelayConfig['metrics'];
  if (raw.metrics !== undefined) {
    if (!isObject(raw.metrics) || typeof raw.metrics.host !== 'string')
      throw bad('"metrics" is {host, port}', { field: 'metrics' });
    metrics = { host: raw.metrics.host, port: integer(raw.metrics.port, 'metrics.port', 0, 65535, 0) };
  }
  return {
    chains,
    paths: paths.map((p: unknown, i: number) => {
      if (!isObject(p)) throw bad(`paths[${i}] is {a, b}`, { field: `paths[${i}]` });
      return { a: endOf(p.a, `paths[${i}].a`, chains), b: endOf(p.b, `paths[${i}].b`, chains) };
    }),
    checkpoints: checkpoints.map((c: unknown, i: number) => {
      if (
        !isObject(c) ||
        typeof c.host !== 'string' ||
        !(c.host in chains) ||
        typeof c.followed !== 'string' ||
        !(c.followed in chains) ||
        typeof c.client !== 'string' ||
        !CLIENT_ID.test(c.client)
      )
        throw bad(`checkpoints[${i}] is {host, client, followed} naming chains`, {
          field: `checkpoints[${i}]`,
        });
      return { host: c.host, client: c.client, followed: c.followed };
    }),
    intervalMs: integer(raw.intervalMs, 'intervalMs', 10, 3_600_000, 500),
    checkpointEveryMs: integer(raw.checkpointEveryMs, 'checkpointEveryMs', 100, 86_400_000, 10_000),
    ...(metrics ? { metrics } : {}),
  };
}

export function readRelayConfig(file: string): RelayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw bad(`cannot read ${file}`, { file });
  }
  return parseRelayConfig(text, resolve(file));
}
