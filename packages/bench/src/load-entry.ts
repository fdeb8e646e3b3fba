import { readFileSync } from 'node:fs';
import { deriveAddress, keyPairFromSecretKey } from '@pujiang/crypto';
import type { AccountResponse, StatusResponse, TxResponse } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { BlockWatcher } from './block-watcher.js';
import type { LoadMessage, LoadPlan, LoadResult } from './load-plan.js';
import { presign } from './presign.js';
import { committedBefore, committedBetween, summarizeLatency } from './stats.js';
import { Submitters } from './submitters.js';

/**
 * The load generator, run as its own process (`node load-entry.js plan.json`): signs every
 * transfer before the clock starts, then offers them open-loop through the nodes' HTTP APIs
 * (each sender to one node) and counts what the first node's decided blocks contain, as
 * seen over its event WebSocket.
 */
const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const apiUrl = plan.apiUrls[0]!;
const say = (m: LoadMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, apiUrl));
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Each sender's next nonce (counting its pending transactions), a few requests at a time. */
async function nextNonces(addresses: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < addresses.length; i += 32) {
    const page = addresses.slice(i, i + 32);
    const accounts = await Promise.all(page.map((a) => getJson<AccountResponse>(`/v1/accounts/${a}`)));
    out.push(...accounts.map((a) => a.pendingNonce));
  }
  return out;
}

/**
 * Receipt codes of `count` of the transactions sent, spread evenly over them: a check that
 * what was counted from blocks succeeded, where per-transaction messages are not watched.
 */
async function sampleReceipts(hashes: readonly string[], sent: (i: number) => boolean, count: number) {
  const all = hashes.flatMap((hash, i) => (sent(i) ? [hash] : []));
  const picked = Array.from(
    { length: Math.min(count, all.length) },
    (_, k) => all[Math.floor((k * all.length) / Math.min(count, all.length))]!,
  );
  const codes: Record<string, number> = {};
  for (let i = 0; i < picked.length; i += 16) {
    const page = picked.slice(i, i + 16).map(async (hash) => {
      const res = await fetch(new URL(`/v1/txs/${hash}`, apiUrl));
      if (res.status === 404) return 'NOT_COMMITTED';
      if (!res.ok) throw new Error(`GET /v1/txs: HTTP ${res.status} ${await res.text()}`);
      const tx = (await res.json()) as TxResponse;
      return tx.status === 'committed' ? (tx.receipt?.code ?? 'NO_RECEIPT') : 'NOT_COMMITTED';
    });
    for (const code of await Promise.all(page)) codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}

/** Counters taken at the window's edges. */
interface Sample {
  readonly cpuMs: number;
  readonly offered: number;
}

/** Announces the window's edges (the orchestrator samples the node then) and returns the counters' growth over it. */
function measureWindow(fromMs: number, toMs: number, sample: () => Sample): Promise<Sample> {
  return new Promise((resolve) => {
    let first: Sample = { cpuMs: 0, offered: 0 };
    setTimeout(() => {
      say({ type: 'window', edge: 'start' });
      first = sample();
    }, fromMs - performance.now());
    setTimeout(() => {
      say({ type: 'window', edge: 'end' });
      const last = sample();
      resolve({ cpuMs: last.cpuMs - first.cpuMs, offered: last.offered - first.offered });
    }, toMs - performance.now());
  });
}

async function main(): Promise<void> {
  const status = await getJson<StatusResponse>('/v1/status');
  const keys = plan.senders.map((hex) => keyPairFromSecretKey({ suite: plan.suite, bytes: hexToBytes(hex) }));
  const addresses = keys.map((k) => bytesToHex(deriveAddress(status.chainHash, k.publicKey)));
  const nonces = await nextNonces(addresses);
  const perSender = Math.ceil((plan.rate * plan.seconds) / plan.senders.length);

  const signStart = performance.now();
  const signed = await presign({
    suite: plan.suite,
    chainId: plan.chainId,
    chainHash: status.chainHash,
    message: plan.message ?? 'transfer',
    senders: plan.senders.map((secretKey, i) => ({
      secretKey,
      firstNonce: nonces[i]!,
      count: perSender,
      to: addresses[(i + 1) % addresses.length]!,
    })),
  });
  const signSeconds = (performance.now() - signStart) / 1000;

  const submitter = new Submitters(signed, plan);
  const indexOf = new Map<string, number>(plan.watchTxs ? signed.hashes.map((hash, i) => [hash, i]) : []);
  // Latency counts transactions last sent inside the window (set once the clock starts).
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const failedReceipts: Record<string, number> = {};
  const watcher = new BlockWatcher(apiUrl, {
    txs: plan.watchTxs,
    onBlock: () => submitter.resume(),
    onTx: (hash, code, block) => {
      if (code !== 'OK') failedReceipts[code] = (failedReceipts[code] ?? 0) + 1;
      const sentAt = submitter.sentAt(indexOf.get(hash) ?? -1);
      if (sentAt !== undefined && sentAt >= windowStart && sentAt <= windowEnd)
        latencies.push(block.at - sentAt);
    },
  });
  await watcher.open();

  const start = performance.now();
  windowStart = start + plan.warmupSeconds * 1000;
  windowEnd = start + plan.seconds * 1000;
  const window = measureWindow(windowStart, windowEnd, () => {
    const cpu = process.cpuUsage();
    return { cpuMs: (cpu.user + cpu.system) / 1000, offered: submitter.offered };
  });
  await submitter.offer(plan.rate, windowEnd, true);
  const grown = await window;

  // Drain: offer what was refused for lack of room, then wait for the admitted to commit.
  const drainEnd = performance.now() + plan.drainSeconds * 1000;
  await submitter.offer(plan.rate, drainEnd, false);
  await submitter.idle();
  while (watcher.committed < submitter.admitted && performance.now() < drainEnd && !watcher.failure)
    await new Promise((resolve) => setTimeout(resolve, 20));
  watcher.close();
  submitter.close();
  if (watcher.failure) throw watcher.failure;
  const sampled = plan.sampleReceipts
    ? await sampleReceipts(
        signed.hashes,
        (i) => !Number.isNaN(submitter.sentAt(i) ?? Number.NaN),
        plan.sampleReceipts,
      )
    : undefined;

  const windowSeconds = (windowEnd - windowStart) / 1000;
  const latencyMs = summarizeLatency(latencies);
  const result: LoadResult = {
    signed: signed.hex.length,
    signPerSecond: signed.hex.length / signSeconds,
    offeredPerSecond: grown.offered / windowSeconds,
    admitted: submitter.admitted,
    refused: Object.fromEntries(submitter.refused),
    committed: committedBetween(watcher.blocks, windowStart, windowEnd),
    committedBefore: {
      start: committedBefore(watcher.blocks, windowStart),
      end: committedBefore(watcher.blocks, windowEnd),
    },
    ...(latencyMs ? { latencyMs } : {}),
    failedReceipts,
    undrained: Math.max(0, submitter.admitted - watcher.committed),
    ...(sampled ? { sampledReceipts: sampled } : {}),
    cpuCores: grown.cpuMs / 1000 / windowSeconds,
  };
  say({ type: 'result', result });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
