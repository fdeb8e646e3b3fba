import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteId } from '@pujiang/crypto';
import { encodePayload } from '@pujiang/module-kit';
import { SendTransfer } from '@pujiang/module-xchain';
import { createLightClient, listPendingPackets, readHeaderSubmission } from '@pujiang/module-xchain/client';
import {
  type ChainSide,
  newRelayCounters,
  openChannel,
  openConnection,
  type RelayPath,
  relayOnce,
} from '@pujiang/module-xchain/relayer';
import { initHome, readKeyFile } from '@pujiang/node';
import { addressOf, buildTransaction, buildTransfer, PujiangClient } from '@pujiang/sdk';
import type { JsonChild } from './child.js';
import type { NodeMessage } from './load-plan.js';
import { spawnNode } from './phase.js';
import type { BenchRecord } from './record.js';
import { summarizeLatency } from './stats.js';

/**
 * The xchain group: packets relayed end to end between two chains on this machine (an
 * Ed25519 and an SM2 validator, each its own process, relayed by this process), against the
 * same source chain's plain transfers committed in the same run; the latency from a packet's
 * send to its acknowledgement under a light load; and where the relayer's time goes.
 */
export interface XchainBenchOptions {
  readonly quick: boolean;
}

interface Chain {
  readonly side: ChainSide & { readonly chain: PujiangClient };
  readonly node: JsonChild<NodeMessage>;
  readonly chainId: string;
  readonly chainHash: 'sm3' | 'sha256';
}

async function startChain(dir: string, suite: SuiteId, clientId: string): Promise<Chain> {
  // A block every block interval when idle: a relayer proves a write under the next header.
  const init = initHome({ home: join(dir, suite), suite, apiPort: 0, emptyBlockIntervalMs: 0 });
  const node = spawnNode(join(dir, suite));
  const { apiUrl } = await node.next('ready');
  const chain = new PujiangClient({ url: apiUrl, timeoutMs: 60_000 });
  const status = await chain.getStatus();
  return {
    side: { chain, key: readKeyFile(init.paths.operatorKey), clientId },
    node,
    chainId: status.chainId,
    chainHash: status.chainHash,
  };
}

/** Builds `count` signed transactions from one key with consecutive nonces and submits them in batches. */
async function submitAll(
  side: Chain['side'],
  build: (
    nonce: bigint,
    common: { chainId: string; chainHash: 'sm3' | 'sha256'; expiresAtHeight: bigint },
  ) => ReturnType<typeof buildTransaction>,
  count: number,
): Promise<string[]> {
  const status = await side.chain.getStatus();
  const account = await side.chain.getAccount(addressOf(status.chainHash, side.key));
  const first = BigInt(account.pendingNonce);
  const common = {
    chainId: status.chainId,
    chainHash: status.chainHash,
    expiresAtHeight: BigInt(status.height + 10_000),
  };
  const built = Array.from({ length: count }, (_, i) => build(first + BigInt(i), common));
  for (let i = 0; i < built.length; i += 500)
    await side.chain.submitBatch(built.slice(i, i + 500).map((b) => b.wire));
  return built.map((b) => b.hash);
}

export async function runXchainBench(o: XchainBenchOptions): Promise<BenchRecord[]> {
  // One key sends them all: within a node's default 1,000 pending transactions per sender.
  const packets = o.quick ? 200 : 800;
  const probes = o.quick ? 10 : 50;
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-xchain-'));
  const chains: Chain[] = [];
  try {
    chains.push(await startChain(dir, 'ed25519', 'chain-b'), await startChain(dir, 'sm2', 'chain-a'));
    const [a, b] = chains as [Chain, Chain];
    for (const [host, followed] of [
      [a, b],
      [b, a],
    ] as const) {
      await createLightClient(host.side.chain, {
        key: host.side.key,
        wait: true,
        clientId: host.side.clientId,
        chainId: followed.chainId,
        chainHash: followed.chainHash,
        trustingPeriodMs: 86_400_000,
        maxClockDriftMs: 10_000,
        trusted: await readHeaderSubmission(
          followed.side.chain,
          (await followed.side.chain.getStatus()).height,
        ),
      });
    }
    const connection = await openConnection(a.side, b.side);
    const channel = await openChannel(a.side, b.side, {
      port: 'transfer',
      ordering: 'UNORDERED',
      connection,
    });
    const path: RelayPath = {
      a: { ...a.side, port: 'transfer', channel: channel.a },
      b: { ...b.side, port: 'transfer', channel: channel.b },
    };
    const receiver = addressOf(b.chainHash, b.side.key);

    // The same chain's plain transfers, committed: the single-chain rate of this setup.
    const singleStart = performance.now();
    const transfers = await submitAll(
      a.side,
      (nonce, common) => buildTransfer({ ...common, key: a.side.key, nonce, to: receiver, amount: 1 }),
      packets,
    );
    await a.side.chain.waitForTx(transfers.at(-1)!, 120_000);
    const singleRate = (packets * 1000) / (performance.now() - singleStart);

    // A burst of packets, relayed until every one is acknowledged.
    const counters = newRelayCounters();
    const timeoutHeight = BigInt((await b.side.chain.getStatus()).height + 1_000_000);
    const transferPayload = () =>
      encodePayload(SendTransfer, {
        channelId: channel.a,
        denom: 'native',
        amount: '1',
        receiver,
        memo: '',
        timeoutHeight,
        timeoutTime: 0n,
      });
    const burstStart = performance.now();
    const sends = await submitAll(
      a.side,
      (nonce, common) =>
        buildTransaction({
          ...common,
          key: a.side.key,
          nonce,
          module: 'xchain',
          type: 'transfer',
          payload: transferPayload(),
        }),
      packets,
    );
    await a.side.chain.waitForTx(sends.at(-1)!, 120_000);
    let rounds = 0;
    while ((await listPendingPackets(a.side.chain, 'transfer', channel.a)).length > 0) {
      await relayOnce(path, counters, { maxPackets: 1000 });
      rounds++;
    }
    const burstSeconds = (performance.now() - burstStart) / 1000;
    const relayRate = packets / burstSeconds;

    // Light load: one packet at a time, a relayer looping; send (committed) to acknowledgement.
    const latencies: number[] = [];
    let stop = false;
    const relayer = (async () => {
      // A pause when there was nothing to do, so the loop does not load the nodes it measures.
      while (!stop)
        if ((await relayOnce(path)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    })();
    for (let i = 0; i < probes; i++) {
      const sent = await a.side.chain.sendTransaction({
        key: a.side.key,
        module: 'xchain',
        type: 'transfer',
        payload: transferPayload(),
        wait: true,
      });
      const committed = performance.now();
      const sequence = sent.result.receipt!.events.find((e) => e.type === 'packetSent')!.attributes.sequence!;
      for (;;) {
        const pending = await listPendingPackets(a.side.chain, 'transfer', channel.a);
        if (!pending.includes(BigInt(sequence))) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      latencies.push(performance.now() - committed);
    }
    stop = true;
    await relayer;

    const latency = summarizeLatency(latencies);
    const configuration = {
      packets,
      probes,
      rounds,
      chains: 'ed25519 -> sm2, one validator each',
      relayer: 'in-process, one key per chain',
    };
    const spent = counters.seconds.reads + counters.seconds.clientUpdates + counters.seconds.submits;
    const share = (s: number) => Math.round((1000 * s) / spent) / 10;
    return [
      {
        group: 'xchain',
        name: 'packets relayed end to end',
        value: Math.round(relayRate * 10) / 10,
        unit: 'pkt/s',
        configuration: { ...configuration, burstSeconds: Math.round(burstSeconds * 10) / 10, counters },
        comparedWith: {
          name: 'transfers committed on the source chain',
          value: Math.round(singleRate * 10) / 10,
          ratio: Math.round((relayRate / singleRate) * 1000) / 1000,
        },
      },
      {
        group: 'xchain',
        name: 'send to ack p50',
        value: Math.round(latency!.p50),
        unit: 'ms',
        configuration,
      },
      {
        group: 'xchain',
        name: 'send to ack p99',
        value: Math.round(latency!.p99),
        unit: 'ms',
        configuration,
      },
      {
        group: 'xchain',
        name: 'relayer time: reads',
        value: share(counters.seconds.reads),
        unit: '%',
        configuration,
      },
      {
        group: 'xchain',
        name: 'relayer time: client updates',
        value: share(counters.seconds.clientUpdates),
        unit: '%',
        configuration,
      },
      {
        group: 'xchain',
        name: 'relayer time: submit+commit',
        value: share(counters.seconds.submits),
        unit: '%',
        configuration,
      },
    ];
  } finally {
    for (const c of chains) await c.node.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
