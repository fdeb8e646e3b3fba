import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { SeenBlock } from '../src/block-watcher.js';
import { EthBlockWatcher } from '../src/eth/block-watcher.js';
import { PEER_KINDS, type RunningPeer, startPeer } from '../src/eth/peer.js';
import { EthRpc } from '../src/eth/rpc.js';
import { EthTransport } from '../src/eth/transport.js';
import type { ProcessUsage } from '../src/load-plan.js';
import { runPhase } from '../src/phase.js';
import { presignEth } from '../src/presign.js';

const SENDERS = 4;
const PER_SENDER = 5;

const freshKeys = (n: number) => Array.from({ length: n }, () => generatePrivateKey().slice(2));

/** Each sender's `count` transfers from nonce 0, to the next sender. */
function presignTransfers(chainId: number, keys: readonly string[], count: number) {
  const addresses = keys.map((key) => privateKeyToAccount(`0x${key}`).address);
  return presignEth({
    chainId,
    senders: keys.map((secretKey, i) => ({
      secretKey,
      firstNonce: '0',
      count,
      to: addresses[(i + 1) % addresses.length]!.slice(2),
    })),
  });
}

async function until(what: string, done: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The peer's process counters as a phase's usage source (as the peer bench samples them). */
const peerUsage = (peer: RunningPeer) => async (): Promise<ProcessUsage> => {
  const sample = peer.usage();
  assert.ok(sample, `${peer.version}: no /proc entry`);
  return {
    atMs: sample.atMs,
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
    cpuMicros: sample.cpuMicros,
    peakRssBytes: sample.peakRssBytes,
  };
};

/** Transactions ganache's pool keeps as queued (a nonce ahead of the sender's), for a failure's message. */
async function queuedAtGanache(rpcUrl: string): Promise<number | string> {
  const rpc = new EthRpc(rpcUrl, 1);
  try {
    const pool = await rpc.call<{ queued: Record<string, Record<string, unknown>> }>('txpool_content');
    return Object.values(pool.queued).reduce((sum, byNonce) => sum + Object.keys(byNonce).length, 0);
  } catch (error) {
    return String(error);
  } finally {
    rpc.close();
  }
}

describe('peer chains', () => {
  const running: RunningPeer[] = [];
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
  });

  for (const kind of PEER_KINDS) {
    it(`${kind}: commits presigned transfers sent over JSON-RPC${kind === 'hardhat' ? ', refuses them again' : ''}, and stops`, async () => {
      const keys = freshKeys(SENDERS);
      const peer = await startPeer(kind, keys);
      running.push(peer);
      assert.equal(peer.kind, kind);
      assert.match(peer.version, new RegExp(`^${kind} \\d+\\.\\d+\\.\\d+`));
      assert.match(peer.rpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);

      const signed = await presignTransfers(peer.chainId, keys, PER_SENDER);
      assert.equal(signed.hex.length, SENDERS * PER_SENDER);
      assert.equal(new Set(signed.hashes).size, signed.hashes.length);

      const seen = new Map<string, SeenBlock>();
      const txCodes = new Set<string>();
      const watcher = new EthBlockWatcher(peer.rpcUrl, {
        txs: true,
        onTx: (hash, code, block) => {
          seen.set(hash, block);
          txCodes.add(code);
        },
      });
      await watcher.open();
      const transport = new EthTransport(peer.rpcUrl, signed.hex, 2);
      try {
        const all = signed.hex.map((_, i) => i);
        // Two batches, each with two nonces of some senders: a chain may serve a batch's calls out of
        // order, and Hardhat (which cannot queue while automining) then refuses the later nonce as too
        // high; that refusal is retryable, and is sent again as the load generator does.
        const refusals: string[] = [];
        const half = all.length / 2;
        for (let batch of [all.slice(0, half), all.slice(half)]) {
          for (let round = 0; batch.length > 0; round++) {
            assert.ok(round < 10, `still refused after 10 rounds: ${refusals.join(', ')}`);
            const outcome = await transport.send(batch);
            assert.ok('codes' in outcome, `the request failed: ${JSON.stringify(outcome)}`);
            assert.equal(outcome.codes.length, batch.length);
            const codes = outcome.codes;
            for (const code of codes) if (code !== undefined) refusals.push(code);
            batch = batch.filter((_, i) => codes[i] !== undefined);
          }
        }
        assert.deepEqual(
          refusals.filter((code) => !transport.retryable.has(code)),
          [],
          'only retryable refusals',
        );
        if (kind === 'ganache')
          assert.deepEqual(refusals, [], 'ganache queues a nonce ahead, it never refuses it');
        assert.ok(refusals.every((code) => code === 'NONCE_TOO_HIGH'));
        await until(
          `${signed.hex.length} transactions in blocks`,
          () => seen.size >= signed.hex.length,
          15_000,
        ).catch(async (error: Error) => {
          if (kind === 'ganache')
            error.message += `; queued at ganache: ${await queuedAtGanache(peer.rpcUrl)}`;
          throw error;
        });
        await watcher.settled();
        assert.equal(watcher.failure, undefined);
        assert.equal(watcher.committed, signed.hex.length);
        assert.deepEqual([...txCodes], ['OK'], 'an Ethereum block holds executed transactions only');
        for (const hash of signed.hashes) assert.ok(seen.has(hash), `0x${hash} was not seen in a block`);
        // Automining: a block per transaction, in height order.
        assert.equal(watcher.blocks.length, signed.hex.length);
        assert.ok(
          watcher.blocks.every(
            (b, i) => b.txCount === 1 && (i === 0 || b.height > watcher.blocks[i - 1]!.height),
          ),
        );

        if (kind === 'hardhat') {
          // Sent again, every one is refused as a nonce already used (a refusal that is not retried).
          const again = await transport.send(all);
          assert.ok('codes' in again, `the request failed: ${JSON.stringify(again)}`);
          assert.deepEqual(
            again.codes,
            all.map(() => 'RPC_-32000_nonce_too_low_expected'),
          );
          assert.equal(transport.retryable.has('RPC_-32000_nonce_too_low_expected'), false);
        }
        // ganache 7.9.2 answers a resent transaction with its hash (and may even mine it again), so
        // there is no refusal to check there.
      } finally {
        transport.close();
        watcher.close();
      }

      const usage = peer.usage();
      assert.ok(usage, 'the peer has a /proc entry');
      assert.ok(usage.cpuMicros > 0, `cpuMicros ${usage.cpuMicros}`);
      assert.ok(usage.peakRssBytes > 0, `peakRssBytes ${usage.peakRssBytes}`);

      await peer.stop();
      assert.equal(peer.usage(), undefined, 'the peer process is gone');
      await peer.stop(); // stopping twice is harmless
    });
  }

  it('ganache: a load-generator phase commits every transfer, with latencies and OK receipts', async () => {
    // 20 senders at 100 tx/s: each sender's next nonce comes 200 ms after the last, long after it was
    // mined. With a few senders (4), each one's nonces arrive while the last is being mined, and
    // ganache 7.9.2 (strict instamine) then now and then keeps one as queued for ever, and with it
    // every later one of that sender (ganache issue #4522): the drain never ends.
    const senders = freshKeys(20);
    const peer = await startPeer('ganache', senders);
    running.push(peer);
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-peer-test-'));
    try {
      const outcome = await runPhase([peerUsage(peer)], join(dir, 'plan.json'), {
        target: 'eth',
        apiUrls: [peer.rpcUrl],
        chainId: String(peer.chainId),
        suite: 'secp256k1',
        senders,
        rate: 100,
        seconds: 3,
        warmupSeconds: 1,
        watchTxs: true,
        maxBatch: 100,
        maxInFlight: 2,
        drainSeconds: 10,
        sampleReceipts: 10,
      });
      const r = outcome.result;
      assert.equal(r.signed, 300);
      assert.ok(r.committed.txs > 0, `committed ${r.committed.txs}`);
      if (r.undrained !== 0)
        assert.fail(
          `${r.undrained} admitted transfers never committed; ganache's pool holds ${await queuedAtGanache(peer.rpcUrl)} as queued (future nonce)`,
        );
      assert.equal(r.committedTotal, r.admitted);
      assert.deepEqual(r.refused, {});
      assert.deepEqual(r.failedReceipts, {});
      const l = r.latencyMs;
      assert.ok(l, 'latencies were measured');
      assert.ok(l.samples > 0);
      assert.ok(l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max, JSON.stringify(l));
      assert.deepEqual(r.sampledReceipts, { OK: 10 });
      assert.equal(outcome.nodes.length, 1);
      assert.ok(outcome.nodes[0]!.cpuCores > 0);
      assert.ok(outcome.nodes[0]!.peakRssBytes > 0);
      assert.equal(outcome.nodes[0]!.loopBusy, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await peer.stop();
    }
  });
});
