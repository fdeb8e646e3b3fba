import { DEFAULT_TIMEOUTS, type TimeoutConfig } from '@pujiang/consensus';
import { PujiangError } from '@pujiang/types';
import { MAX_CLOCK_OFFSET_MS } from '../clock.js';
import { parseHostPort, parsePeer } from './peer-address.js';

export { parseHostPort };

/** A node's own settings (`config.json`); unlike genesis, each node may choose its own. */
export interface NodeConfig {
  /**
   * Where the HTTP/WebSocket API listens; with `tls` (PEM files, relative to the home), it
   * serves HTTPS. `reads`: `open` (the default) answers reads to anyone; `members` only to
   * requests a registered member signed (RFC 9421), but for the public routes.
   */
  api: { host: string; port: number; tls?: { cert: string; key: string }; reads?: 'open' | 'members' };
  /** Pause after each block before the next height starts (CometBFT's timeout_commit). */
  blockIntervalMs: number;
  timeouts: TimeoutConfig;
  mempool: { maxTxs: number; maxBytes: number; maxPerSender: number; nonceWindow: number };
  /** Signature-verification worker threads; 0 means one per core. */
  verifyWorkers: number;
  /** Keep the bodies of only the latest `keepBlocks` blocks; 0 keeps everything (the default). */
  pruning: { keepBlocks: number };
  /**
   * The peer network: where this node listens ("host:port"; empty: not at all), the
   * addresses it dials, and the node keys it admits besides the genesis validators (full
   * nodes, as "suite:publicKeyHex"). A chain with more than one validator needs it.
   */
  p2p: { listen: string; peers: string[]; admit: string[]; limits: P2pLimits };
  /** Each module's settings on this node (`modules.<name>`), read by the module itself at start. */
  modules: Record<string, unknown>;
  /**
   * The web console at `/console/` (on unless `enabled` is false, where the console is
   * installed), and the indexer and monitor URLs it should use for history and alerts.
   */
  console: ConsoleConfig;
  /**
   * Test chains only (the genesis must say `"testing": {"clockControl": true}`, else the node
   * refuses to start): block time's offset from the wall clock at start, and the SHA-256
   * digests (hex) of the bearer tokens that may move it forward (`POST /v1/testing/clock`).
   */
  testing?: TestingConfig;
}

export interface TestingConfig {
  clockOffsetMs: number;
  clockTokenSha256: string[];
}

export interface ConsoleConfig {
  enabled: boolean;
  indexer?: string;
  monitor?: string;
}

/**
 * What the peer listener lets in before anyone is authenticated: handshakes in progress (in
 * all and per address) and new connections per address per second (sustained and burst).
 */
export interface P2pLimits {
  maxHandshakes: number;
  maxHandshakesPerAddress: number;
  connectionsPerSecond: number;
  connectionBurst: number;
}

export const DEFAULT_P2P_LIMITS: P2pLimits = {
  maxHandshakes: 64,
  maxHandshakesPerAddress: 4,
  connectionsPerSecond: 2,
  connectionBurst: 10,
};

export const DEFAULT_CONFIG: NodeConfig = {
  api: { host: '127.0.0.1', port: 26657 },
  blockIntervalMs: 200,
  timeouts: DEFAULT_TIMEOUTS,
  mempool: { maxTxs: 50_000, maxBytes: 64 * 1024 * 1024, maxPerSender: 1_000, nonceWindow: 1_000 },
  verifyWorkers: 0,
  pruning: { keepBlocks: 0 },
  p2p: { listen: '', peers: [], admit: [], limits: DEFAULT_P2P_LIMITS },
  modules: {},
  console: { enabled: true },
};

const NODE_KEY = /^[a-z0-9+-]{2,40}:[0-9a-fA-F]{2,8192}$/;
function invalid(message: string, field: string): PujiangError {
  return new PujiangError('CONFIG_INVALID', `config: ${message}`, { field });
}

function int(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    throw invalid(`${field} must be an integer from ${min} to ${max}`, field);
  return value as number;
}

function section(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${field} must be an object`, field);
  return value as Record<string, unknown>;
}

/** Reads a config, filling what is missing from the defaults; anything malformed is `CONFIG_INVALID` naming the field. */
export function parseConfig(json: unknown): NodeConfig {
  const c = section(json, 'config');
  const api = section(c.api, 'api');
  const t = section(c.timeouts, 'timeouts');
  const m = section(c.mempool, 'mempool');
  const pruning = section(c.pruning, 'pruning');
  const p2p = section(c.p2p, 'p2p');
  const d = DEFAULT_CONFIG;
  const listen = p2p.listen ?? d.p2p.listen;
  if (typeof listen !== 'string' || (listen !== '' && !parseHostPort(listen, 'p2p.listen')))
    throw invalid('p2p.listen must be host:port or empty', 'p2p.listen');
  const peers = p2p.peers ?? d.p2p.peers;
  if (!Array.isArray(peers) || peers.length > 1000)
    throw invalid('p2p.peers must list suite:publicKeyHex@host:port addresses', 'p2p.peers');
  peers.forEach((peer, i) => {
    if (typeof peer !== 'string')
      throw invalid('p2p.peers must list suite:publicKeyHex@host:port addresses', `p2p.peers[${i}]`);
    parsePeer(peer, `p2p.peers[${i}]`);
  });
  const l = section(p2p.limits, 'p2p.limits');
  const limit = (k: keyof P2pLimits, max: number) => int(l[k] ?? d.p2p.limits[k], `p2p.limits.${k}`, 1, max);
  const admit = p2p.admit ?? d.p2p.admit;
  if (!Array.isArray(admit) || admit.length > 10_000)
    throw invalid('p2p.admit must list node keys as suite:hex', 'p2p.admit');
  admit.forEach((key, i) => {
    if (typeof key !== 'string' || !NODE_KEY.test(key))
      throw invalid('p2p.admit must list node keys as suite:hex', `p2p.admit[${i}]`);
  });
  const host = api.host ?? d.api.host;
  if (typeof host !== 'string' || host.length === 0 || host.length > 255)
    throw invalid('api.host must be a host name or address', 'api.host');
  const timeout = (k: keyof TimeoutConfig) => int(t[k] ?? d.timeouts[k], `timeouts.${k}`, 1, 600_000);
  let tls: { cert: string; key: string } | undefined;
  if (api.tls !== undefined) {
    const t = section(api.tls, 'api.tls');
    if (typeof t.cert !== 'string' || t.cert === '' || typeof t.key !== 'string' || t.key === '')
      throw invalid('api.tls needs cert and key (PEM file paths)', 'api.tls');
    tls = { cert: t.cert, key: t.key };
  }
  const modules = section(c.modules, 'modules');
  if (api.reads !== undefined && api.reads !== 'open' && api.reads !== 'members')
    throw invalid('api.reads is "open" or "members"', 'api.reads');
  const reads = api.reads as 'open' | 'members' | undefined;
  const testing = c.testing === undefined ? undefined : parseTesting(section(c.testing, 'testing'));
  return {
    ...(testing ? { testing } : {}),
    modules,
    console: parseConsole(section(c.console, 'console')),
    api: {
      host,
      port: int(api.port ?? d.api.port, 'api.port', 0, 65535),
      ...(tls ? { tls } : {}),
      ...(reads ? { reads } : {}),
    },
    blockIntervalMs: int(c.blockIntervalMs ?? d.blockIntervalMs, 'blockIntervalMs', 0, 600_000),
    timeouts: {
      proposeMs: timeout('proposeMs'),
      proposeDeltaMs: timeout('proposeDeltaMs'),
      prevoteMs: timeout('prevoteMs'),
      prevoteDeltaMs: timeout('prevoteDeltaMs'),
      precommitMs: timeout('precommitMs'),
      precommitDeltaMs: timeout('precommitDeltaMs'),
    },
    mempool: {
      maxTxs: int(m.maxTxs ?? d.mempool.maxTxs, 'mempool.maxTxs', 1, 10_000_000),
      maxBytes: int(m.maxBytes ?? d.mempool.maxBytes, 'mempool.maxBytes', 1024, 2 ** 40),
      maxPerSender: int(m.maxPerSender ?? d.mempool.maxPerSender, 'mempool.maxPerSender', 1, 1_000_000),
      nonceWindow: int(m.nonceWindow ?? d.mempool.nonceWindow, 'mempool.nonceWindow', 1, 1_000_000),
    },
    verifyWorkers: int(c.verifyWorkers ?? d.verifyWorkers, 'verifyWorkers', 0, 256),
    p2p: {
      listen,
      peers: peers as string[],
      admit: (admit as string[]).map((k) => k.toLowerCase()),
      limits: {
        maxHandshakes: limit('maxHandshakes', 100_000),
        maxHandshakesPerAddress: limit('maxHandshakesPerAddress', 100_000),
        connectionsPerSecond: limit('connectionsPerSecond', 100_000),
        connectionBurst: limit('connectionBurst', 100_000),
      },
    },
    pruning: {
      keepBlocks: int(
        pruning.keepBlocks ?? d.pruning.keepBlocks,
        'pruning.keepBlocks',
        0,
        Number.MAX_SAFE_INTEGER,
      ),
    },
  };
}

function parseTesting(t: Record<string, unknown>): TestingConfig {
  for (const key of Object.keys(t))
    if (key !== 'clockOffsetMs' && key !== 'clockTokenSha256')
      throw invalid(`testing.${key} is not a setting (clockOffsetMs, clockTokenSha256)`, `testing.${key}`);
  const digests = t.clockTokenSha256 ?? [];
  if (
    !Array.isArray(digests) ||
    digests.length > 64 ||
    !digests.every((d) => typeof d === 'string' && /^[0-9a-f]{64}$/.test(d))
  )
    throw invalid(
      'testing.clockTokenSha256 must list SHA-256 digests of bearer tokens (64 lowercase hex)',
      'testing.clockTokenSha256',
    );
  return {
    clockOffsetMs: int(t.clockOffsetMs ?? 0, 'testing.clockOffsetMs', 0, MAX_CLOCK_OFFSET_MS),
    clockTokenSha256: digests as string[],
  };
}

function parseConsole(c: Record<string, unknown>): ConsoleConfig {
  const enabled = c.enabled ?? true;
  if (typeof enabled !== 'boolean') throw invalid('console.enabled must be true or false', 'console.enabled');
  const url = (field: 'indexer' | 'monitor'): string | undefined => {
    const value = c[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(value) || value.length > 2048)
      throw invalid(`console.${field} must be an http(s) URL`, `console.${field}`);
    return value.replace(/\/+$/, '');
  };
  const indexer = url('indexer');
  const monitor = url('monitor');
  return { enabled, ...(indexer ? { indexer } : {}), ...(monitor ? { monitor } : {}) };
}
