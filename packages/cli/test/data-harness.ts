import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homePaths, initLocalNetwork, readKeyFile } from '@pujiang/node';
import { auditorsAction, PujiangClient } from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';
import { voteThrough } from './gov-harness.js';
import { FAST_CONFIG, type NodeProcess, spawnCliUntil, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';
import { freeBase } from './up-harness.js';

export interface DataService {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

/** `pujiang data serve` as its own process; resolves once it prints where it listens. */
export async function startDataService(config: string): Promise<DataService> {
  const p = await spawnCliUntil<{ url: string }>(['data', 'serve', '--config', config], '"serving"');
  return { child: p.child, url: p.ready.url, exited: p.exited };
}

/** The typed code a failed command printed (`error CODE: ...` on stderr, exit 2). */
export const errorCode = (r: { code: number; err: string }) => /error ([A-Z0-9_]+)/.exec(r.err)?.[1];

export const ok = <R extends { code: number; err: string; out: string; json: any }>(r: R) => {
  assert.equal(r.code, EXIT.ok, `${r.err}\n${r.out}`);
  return r;
};

export interface Agencies {
  readonly nodes: NodeProcess[];
  readonly apis: string[];
  readonly clients: PujiangClient[];
  /** Each agency's operator key file: customs, tax, maritime, forex. */
  readonly operators: string[];
  readonly genesisPath: string;
  /** Each agency's DID, controlled by its operator's key. */
  readonly dids: string[];
  /** The shipper (org2's member) and the trader (org1's), each with its DID. */
  readonly enterprises: { key: string; did: string }[];
  cli(node?: number): ReturnType<typeof cliJson>;
  stop(): Promise<void>;
}

/**
 * Four agencies' SM2 validators (customs org0, tax org1, maritime org2, foreign exchange org3)
 * and two enterprises, each with a DID; X25519 key-agreement keys for customs (the steward),
 * foreign exchange (named the auditor by a vote of three organizations) and the shipper (a
 * subject); reply keys for tax and maritime. Key files are written in `dir`.
 */
export async function startAgencies(dir: string): Promise<Agencies> {
  const path = (name: string) => join(dir, name);
  const base = await freeBase(4);
  const network = initLocalNetwork({ dir, nodes: 4, basePort: base, suite: 'sm2', emptyBlockIntervalMs: 0 });
  const homes = network.nodes.map((n) => n.home);
  for (const home of homes) {
    const file = join(home, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), timeouts: FAST_CONFIG.timeouts }),
    );
  }
  const nodes = await Promise.all(homes.map((home) => startNodeProcess(home)));
  const apis = nodes.map((n) => n.api);
  const clients = apis.map((api) => new PujiangClient(api));
  const operators = homes.map((home) => homePaths(home).operatorKey);
  const cli = (node = 0) => cliJson(apis[node]);
  const stop = async () => {
    for (const node of nodes)
      if (node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
  };
  try {
    await until(async () => {
      const peers = await Promise.all(clients.map(async (c) => (await c.getStatus()).peers));
      return peers.every((p) => p === 3) ? true : undefined;
    });
    const dids: string[] = [];
    for (let i = 0; i < 4; i++) dids.push(ok(await cli(i)('did', 'create', '--key', operators[i]!)).json.did);
    const enterprises: { key: string; did: string }[] = [];
    for (const [i, name] of [
      [2, 'shipper'],
      [1, 'trader'],
    ] as const) {
      const key = await registerClient(homes[i]!, apis[i]!, dir, 'sm2', name);
      enterprises.push({ key, did: ok(await cli(i)('did', 'create', '--key', key)).json.did });
    }
    for (const [node, file, did, key] of [
      [0, 'customs-x.json', dids[0]!, operators[0]!],
      [3, 'forex-x.json', dids[3]!, operators[3]!],
      [2, 'shipper-x.json', enterprises[0]!.did, enterprises[0]!.key],
    ] as const)
      ok(await cli(node)('data', 'keygen', '--out', path(file), '--did', did, '--key', key));
    for (const name of ['tax', 'maritime'])
      ok(await cli()('data', 'keygen', '--out', path(`${name}-reply.json`)));
    const keys = operators.map((file) => readKeyFile(file));
    await voteThrough(clients, keys, [1, 2], 'forex audits data sharing', auditorsAction([dids[3]!]));
    return {
      nodes,
      apis,
      clients,
      operators,
      genesisPath: homePaths(homes[0]!).genesis,
      dids,
      enterprises,
      cli,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
