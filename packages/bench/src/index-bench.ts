import { availableParallelism } from 'node:os';
import { keyPairFromSecretKey } from '@pujiang/crypto';
import { Indexer } from '@pujiang/indexer';
import { plainCopyBaseline, sqlRows, startPostgres } from '@pujiang/indexer/testing';
import type { StatusResponse } from '@pujiang/protocol';
import { addressOf } from '@pujiang/sdk';
import { hexToBytes } from '@pujiang/types';
import { type BenchNode, withBenchNode } from './node-home.js';
import { round2, usage } from './phase.js';
import { presign } from './presign.js';
import { PujiangTransport } from './pujiang-transport.js';
import type { BenchRecord } from './record.js';

const SUITE = 'ed25519';
const SETTINGS = {
  quick: { senders: 20, perSender: 250 },
  full: { senders: 100, perSender: 1_000 },
} as const;
/** Transactions per submitted batch, and the mempool room kept before each (the node's default pool holds 50,000). */
const SUBMIT_BATCH = 2_000;
const MEMPOOL_ROOM = 40_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function status(apiUrl: string): Promise<StatusResponse> {
  return (await (await fetch(`${apiUrl}/v1/status`)).json()) as StatusResponse;
}

/** Builds the chain the indexer reads: transfers among the funded senders, all committed. Answers the head. */
async function buildChain(n: BenchNode, senders: number, perSender: number): Promise<number> {
  const s = await status(n.apiUrl);
  const addresses = n.chain.senders.map((hex) =>
    addressOf(s.chainHash, keyPairFromSecretKey({ suite: SUITE, bytes: hexToBytes(hex) })),
  );
  const signed = await presign({
    suite: SUITE,
    chainId: n.chain.chainId,
    chainHash: s.chainHash,
    message: 'transfer',
    senders: n.chain.senders.slice(0, senders).map((secretKey, i) => ({
      secretKey,
      firstNonce: '0',
      count: perSender,
      to: addresses[(i + 1) % senders]!,
    })),
  });
  const transport = new PujiangTransport(n.apiUrl, signed.hex, 2);
  try {
    for (let at = 0; at < signed.hex.length; at += SUBMIT_BATCH) {
      while ((await status(n.apiUrl)).mempool.size > MEMPOOL_ROOM) await sleep(50);
      const items = Array.from({ length: Math.min(SUBMIT_BATCH, signed.hex.length - at) }, (_, i) => at + i);
      const outcome = await transport.send(items);
      const refused = 'failed' in outcome ? outcome.failed : outcome.codes.find((c) => c !== undefined);
      if (refused) throw new Error(`index bench: the node refused a transfer (${refused})`);
    }
  } finally {
    transport.close();
  }
  const deadline = Date.now() + 300_000;
  for (;;) {
    const now = await status(n.apiUrl);
    if (now.mempool.size === 0) return now.height;
    if (Date.now() > deadline) throw new Error('index bench: the chain did not commit its load within 300 s');
    await sleep(100);
  }
}

/**
 * The `index` group: a chain of transfers is built and committed first; then the indexer
 * runs in this process from an empty database to the head (timed: node requests, row mapping
 * and the checkpointed PostgreSQL transactions), and the same rows are written again by a
 * plain COPY into tables without keys or indexes (the floor). Figures: indexed transactions
 * per second end to end and for the PostgreSQL transactions alone, each held against the
 * plain COPY's rate on the same rows.
 */
export async function runIndexBench(options: { quick: boolean }): Promise<BenchRecord[]> {
  const { senders, perSender } = options.quick ? SETTINGS.quick : SETTINGS.full;
  const pg = await startPostgres();
  try {
    return await withBenchNode({ label: 'index', suite: SUITE, senders }, async (n) => {
      const head = await buildChain(n, senders, perSender);
      const indexedDb = await pg.createDatabase('indexed');
      let writeMs = 0;
      let batches = 0;
      const indexer = await Indexer.open({
        pg: indexedDb,
        node: n.apiUrl,
        onBatch: (b) => {
          writeMs += b.writeMs;
          batches++;
        },
      });
      const nodeFrom = await usage(n.node);
      const cpuFrom = process.cpuUsage();
      const started = performance.now();
      const running = indexer.run();
      running.catch(() => {});
      while (indexer.checkpoint < head) {
        await Promise.race([sleep(20), running]);
        if (performance.now() - started > 600_000)
          throw new Error('index bench: the indexer did not reach the head');
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuFrom);
      const nodeTo = await usage(n.node);
      await indexer.stop();
      const [counts] = await sqlRows<{ txs: string; events: string }>(
        indexedDb,
        'SELECT (SELECT count(*) FROM txs) AS txs, (SELECT count(*) FROM events) AS events',
      );
      const txs = Number(counts!.txs);
      if (txs !== senders * perSender)
        throw new Error(`index bench: indexed ${txs} transactions, not ${senders * perSender}`);
      const copy = await plainCopyBaseline(indexedDb, await pg.createDatabase('copied'));
      const copyTps = txs / (copy.ms / 1000);
      const configuration = {
        suite: SUITE,
        transactions: txs,
        events: Number(counts!.events),
        blocks: head,
        batches,
        rowsPerTx: round2(copy.rows / txs),
        seconds: round2(seconds),
        writeSeconds: round2(writeMs / 1000),
        copySeconds: round2(copy.ms / 1000),
        indexerCpuCores: round2((cpu.user + cpu.system) / 1e6 / seconds),
        nodeCpuCores: round2((nodeTo.cpuMicros - nodeFrom.cpuMicros) / 1e6 / seconds),
        // CPU milliseconds per indexed transaction: what the rate becomes on an idle machine.
        indexerCpuMsPerTx: round2((cpu.user + cpu.system) / 1000 / txs),
        nodeCpuMsPerTx: round2((nodeTo.cpuMicros - nodeFrom.cpuMicros) / 1000 / txs),
        cores: availableParallelism(),
        postgres: 'local server started by the bench (fsync off)',
        note: 'three node requests per block whatever its size: the block, its receipts (GET /v1/blocks/{height}/receipts) and its hook receipts',
      };
      const limit = (value: number) => ({
        name: 'plain COPY of the same rows into tables without indexes (tx/s)',
        value: Math.round(copyTps),
        ratio: round2(value / copyTps),
      });
      const indexedTps = txs / seconds;
      const writeTps = txs / (writeMs / 1000);
      return [
        {
          group: 'index',
          name: 'indexed transactions per second (node to PostgreSQL)',
          value: Math.round(indexedTps),
          unit: 'tx/s',
          configuration,
          limit: limit(indexedTps),
        },
        {
          group: 'index',
          name: 'indexed transactions per second (PostgreSQL transactions only)',
          value: Math.round(writeTps),
          unit: 'tx/s',
          configuration,
          limit: limit(writeTps),
        },
      ];
    });
  } finally {
    await pg.stop();
  }
}
