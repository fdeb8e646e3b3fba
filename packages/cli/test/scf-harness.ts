import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPacket, sendRemoteCall } from '@pujiang/module-xchain/client';
import { type ChainSide, openChannel, openConnection } from '@pujiang/module-xchain/relayer';
import { homePaths, initLocalNetwork, readKeyFile } from '@pujiang/node';
import {
  addressOf,
  createLightClient,
  type KeyPair,
  LightClient,
  PujiangClient,
  parseGenesis,
  readHeaderSubmission,
  sendTransfer,
} from '@pujiang/sdk';
import { codeOf } from './gov-harness.js';
import { FAST_CONFIG, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';
import { freeBase } from './up-harness.js';
import { relayUntilIdle } from './xchain-harness.js';

/** Days as the scf module counts them: Asia/Shanghai (UTC+8, no daylight saving). */
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;
export const shanghaiDay = (timeMs: number) => Math.floor((timeMs + SHANGHAI_MS) / DAY_MS);
/** YYYY-MM-DD of a Shanghai day number. */
export const civilDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Block time (Unix ms) at which a Shanghai day starts. */
export const startOfDay = (day: number) => day * DAY_MS - SHANGHAI_MS;

/** The trade chain of the scf test: four validators, one organization each, with a test clock. */
export interface ScfNetwork {
  readonly nodes: readonly NodeProcess[];
  readonly homes: readonly string[];
  readonly clients: readonly PujiangClient[];
  /** A light client of node0 on the pinned genesis. */
  readonly light: LightClient;
  readonly chainHash: 'sha256' | 'sm3';
  /** Each organization's operator (its admin); node0's holds the genesis funds. */
  readonly operator: readonly KeyPair[];
  /** Key files, keys and addresses by name: the identities `people` registered. */
  readonly keyFile: Readonly<Record<string, string>>;
  readonly key: Readonly<Record<string, KeyPair>>;
  readonly address: Readonly<Record<string, string>>;
  /** Stops the nodes (the caller removes `dir`). */
  stop(): Promise<void>;
}

/**
 * Starts four validators in `dir` (org0..org3) with `genesis.modules.scf.banks` set to
 * `banks` in every home's identical genesis, a governance time-lock of 2 blocks, fast
 * consensus timeouts and a test clock; registers each of `people` (name, node whose
 * organization certifies it, role) on its organization's node, all at once; and funds `funded`
 * from node0's operator.
 */
export async function startScfNetwork(p: {
  dir: string;
  banks: readonly string[];
  people: readonly (readonly [name: string, node: number, role?: string])[];
  funded: readonly (readonly [name: string, amount: number])[];
  /** Other modules' genesis sections, set in every home's genesis too (the lc test's banks and calendars). */
  modules?: Readonly<Record<string, unknown>>;
}): Promise<ScfNetwork> {
  const network = initLocalNetwork({
    dir: p.dir,
    nodes: 4,
    basePort: await freeBase(4),
    suite: 'ed25519',
    emptyBlockIntervalMs: 0,
    testClock: true,
  });
  const homes = network.nodes.map((n) => n.home);
  const genesisJson = JSON.parse(readFileSync(homePaths(homes[0]!).genesis, 'utf8'));
  genesisJson.modules.scf = { banks: p.banks };
  Object.assign(genesisJson.modules, p.modules);
  genesisJson.modules.governance.timelock = 2;
  const genesisText = `${JSON.stringify(genesisJson, null, 2)}\n`;
  for (const home of homes) {
    writeFileSync(homePaths(home).genesis, genesisText);
    const path = join(home, 'config.json');
    writeFileSync(
      path,
      JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), timeouts: FAST_CONFIG.timeouts }),
    );
  }
  const nodes: NodeProcess[] = [];
  const stop = async () => {
    for (const node of nodes)
      if (node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
  };
  try {
    nodes.push(...(await Promise.all(homes.map((home) => startNodeProcess(home)))));
    const clients = nodes.map((n) => new PujiangClient(n.api));
    const genesis = parseGenesis(genesisJson);
    const operator = homes.map((home) => readKeyFile(homePaths(home).operatorKey));
    await until(async () => {
      const peers = await Promise.all(clients.map(async (c) => (await c.getStatus()).peers));
      return peers.every((n) => n === 3) ? true : undefined;
    });
    const keyFile: Record<string, string> = {};
    const key: Record<string, KeyPair> = {};
    const address: Record<string, string> = {};
    // Each signs its own registration: no nonce is shared, so they go at once.
    await Promise.all(
      p.people.map(async ([name, node, role]) => {
        keyFile[name] = await registerClient(homes[node]!, nodes[node]!.api, p.dir, 'ed25519', name, role);
        key[name] = readKeyFile(keyFile[name]);
        address[name] = addressOf(genesis.chainHash, key[name]);
      }),
    );
    for (const [name, amount] of p.funded)
      assert.equal(
        await codeOf(
          sendTransfer(clients[0]!, { key: operator[0]!, wait: true, to: address[name]!, amount }),
        ),
        'OK',
      );
    return {
      nodes,
      homes,
      clients,
      light: new LightClient({ client: clients[0]!, genesis }),
      chainHash: genesis.chainHash,
      operator,
      keyFile,
      key,
      address,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Another bank's chain (one validator) with a call channel to the trade chain. */
export interface AskingChain {
  /** Calls `invoiceStatus` of the trade chain's scf module for each digest, relays, and answers the results in order. */
  invoiceStatus(digests: readonly string[]): Promise<unknown[]>;
  stop(): Promise<void>;
}

/**
 * Starts another chain, makes light clients of each chain on the other (the trade chain's by
 * `tradeKey` on `trade`), and opens a connection and an unordered call channel between them.
 */
export async function startAskingChain(trade: PujiangClient, tradeKey: KeyPair): Promise<AskingChain> {
  const home = initHome('ed25519');
  const node = await startNodeProcess(home.home);
  const stop = async () => {
    if (node.child.exitCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    rmSync(home.home, { recursive: true, force: true });
  };
  try {
    const chain = new PujiangClient(node.api);
    // a: the other bank's chain, which asks; b: the trade chain, which answers.
    const a: ChainSide & { chain: PujiangClient } = {
      chain,
      key: readKeyFile(home.operatorKey),
      clientId: 'trade-chain',
    };
    const b: ChainSide & { chain: PujiangClient } = { chain: trade, key: tradeKey, clientId: 'bank-chain' };
    await until(async () => ((await chain.getStatus()).height >= 2 ? true : undefined));
    const tradeStatus = await trade.getStatus();
    for (const [host, followed, chainId, chainHash] of [
      [a, b, tradeStatus.chainId, tradeStatus.chainHash],
      [b, a, home.chainId, home.chainHash],
    ] as const) {
      const created = createLightClient(host.chain, {
        key: host.key,
        wait: true,
        clientId: host.clientId,
        chainId,
        chainHash,
        // A day: the trade chain's clock jumps a month later in the test, after the last question.
        trustingPeriodMs: 86_400_000,
        maxClockDriftMs: 10_000,
        trusted: await readHeaderSubmission(followed.chain, (await followed.chain.getStatus()).height),
      });
      assert.equal(await codeOf(created), 'OK');
    }
    const connection = await openConnection(a, b);
    const channel = await openChannel(a, b, { port: 'call', ordering: 'UNORDERED', connection });
    const path = {
      a: { ...a, port: 'call' as const, channel: channel.a },
      b: { ...b, port: 'call' as const, channel: channel.b },
    };
    let sequence = 0;
    return {
      async invoiceStatus(digests) {
        const first = sequence + 1;
        for (const digest of digests) {
          const sent = sendRemoteCall(chain, {
            key: a.key,
            wait: true,
            channelId: channel.a,
            module: 'scf',
            export: 'invoiceStatus',
            args: { digest },
            timeoutHeight: BigInt((await trade.getStatus()).height + 100_000),
          });
          assert.equal(await codeOf(sent), 'OK');
          sequence++;
        }
        await relayUntilIdle(path);
        const answers: unknown[] = [];
        for (let s = first; s <= sequence; s++) {
          const packet = await getPacket(trade, 'call', channel.b, s);
          assert.equal(packet.acknowledgement?.ok, true, JSON.stringify(packet));
          answers.push(JSON.parse(Buffer.from(packet.acknowledgement!.result, 'hex').toString('utf8')));
        }
        return answers;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
