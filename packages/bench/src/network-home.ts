import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { SuiteId } from '@pujiang/crypto';
import { homePaths, initLocalNetwork, type LocalNetwork, type NodeConfig } from '@pujiang/node';
import type { GenesisJson, StatusResponse } from '@pujiang/protocol';
import { fundSenders, validatorSuiteFor } from './node-home.js';

export interface BenchNetwork {
  readonly network: LocalNetwork;
  readonly chainId: string;
  /** Secret keys (hex) of the funded sender accounts. */
  readonly senders: string[];
  /** Every node's settings as written (the same but for addresses). */
  readonly config: NodeConfig;
  readonly genesis: GenesisJson;
}

export interface BenchNetworkParameters {
  readonly dir: string;
  readonly suite: SuiteId;
  readonly validators: number;
  readonly senders: number;
  /** Signature-verification threads per node (config `verifyWorkers`; 0: one per core). */
  readonly verifyWorkers: number;
  /** The chain's idle pacing (default: what `pujiang up` writes). */
  readonly emptyBlockIntervalMs?: number;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive free loopback ports, below the usual ephemeral range (so
 * outgoing connections of tests running meanwhile do not take them between probe and use).
 */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20_000 + 2 * Math.floor(Math.random() * 5_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/**
 * `validators` node homes as `pujiang up` creates them (`initLocalNetwork`: one genesis, each
 * node listening on its own loopback p2p port and dialling all the others), with `senders`
 * accounts funded at genesis, the APIs on any free port and the given verification threads.
 * Block limits, timeouts and mempool bounds are left at their defaults.
 */
export async function prepareNetwork(p: BenchNetworkParameters): Promise<BenchNetwork> {
  const basePort = await freePortRange(2 * p.validators);
  const network = initLocalNetwork({
    dir: p.dir,
    nodes: p.validators,
    basePort,
    suite: validatorSuiteFor(p.suite),
    ...(p.emptyBlockIntervalMs === undefined ? {} : { emptyBlockIntervalMs: p.emptyBlockIntervalMs }),
  });
  const first = homePaths(network.nodes[0]!.home);
  const genesis = JSON.parse(readFileSync(first.genesis, 'utf8')) as GenesisJson;
  const senders = fundSenders(genesis, p.suite, p.senders, first.org);
  const genesisText = `${JSON.stringify(genesis, null, 2)}\n`;
  let config: NodeConfig | undefined;
  for (const node of network.nodes) {
    const paths = homePaths(node.home);
    writeFileSync(paths.genesis, genesisText);
    const c = JSON.parse(readFileSync(paths.config, 'utf8')) as NodeConfig;
    c.api = { ...c.api, port: 0 };
    c.verifyWorkers = p.verifyWorkers;
    writeFileSync(paths.config, `${JSON.stringify(c, null, 2)}\n`);
    config ??= c;
  }
  return { network, chainId: genesis.chainId, senders, config: config!, genesis };
}

/** Waits until every node is linked to all the others and the chain has decided a block. */
export async function networkReady(apiUrls: readonly string[], timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  for (;;) {
    const statuses = await Promise.all(
      apiUrls.map(async (url) => {
        const res = await fetch(new URL('/v1/status', url));
        if (!res.ok) throw new Error(`GET ${url}/v1/status: HTTP ${res.status}`);
        return (await res.json()) as StatusResponse;
      }),
    );
    // Height 1 comes at once; an idle chain's next may be a pacing interval away.
    if (statuses.every((s) => s.peers === apiUrls.length - 1 && s.height >= 1 && !s.syncing)) return;
    last = statuses.map((s) => `height ${s.height}, ${s.peers} peers`).join('; ');
    if (performance.now() > deadline) throw new Error(`network not ready after ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
