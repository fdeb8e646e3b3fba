import type { KeyPair } from '@pujiang/crypto';
import type { ChainClient } from '@pujiang/module-kit';
import type { ChainEvent } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';
import { DATA_MODULE } from '../formats.js';

/** A steward transaction once committed: its hash, block and events. */
export interface CommittedTransaction {
  readonly txHash: string;
  readonly height: number;
  readonly events: readonly ChainEvent[];
}

interface Pending {
  readonly type: string;
  readonly payload: Uint8Array;
  resolve(tx: CommittedTransaction): void;
  reject(error: unknown): void;
}

/**
 * Transactions of one key the node holds before they commit: kept under the mempool's
 * per-sender bound (100 by default), so the service's own receipts are never refused for it.
 */
const MAX_IN_FLIGHT = 64;
/** Refusals worth another try after a pause: the mempool was full for a moment. */
const RETRYABLE = new Set(['MEMPOOL_FULL', 'MEMPOOL_SENDER_FULL']);
const RETRIES = 50;
const RETRY_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends the steward key's transactions (access receipts, automatic grants) in batches with
 * consecutive nonces: messages arriving together share one submission, so one key never races
 * itself for a nonce and receipts keep up with deliveries instead of taking a block each. A
 * batch goes once the node admitted the one before (pipelined), with at most 64 uncommitted.
 * A message the node refuses for a full mempool is sent again with its own nonce (the ones
 * after it wait on that nonce), so no gap is left; each caller waits for its own commit and
 * gets its failure code. The key should serve only this service: another sender of it takes
 * nonces these batches expect.
 */
export class StewardTransactions {
  private queue: Pending[] = [];
  private flushing = false;
  private inFlight = 0;
  /** Refused nonces being sent again: no batch goes meanwhile, or it would take that nonce. */
  private retrying = 0;
  private readonly drained: (() => void)[] = [];

  constructor(
    private readonly client: ChainClient,
    private readonly key: KeyPair,
    private readonly timeoutMs = 30_000,
  ) {}

  submit(type: string, payload: Uint8Array): Promise<CommittedTransaction> {
    return new Promise((resolve, reject) => {
      this.queue.push({ type, payload, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        while (this.inFlight >= MAX_IN_FLIGHT || this.retrying > 0)
          await new Promise<void>((r) => this.drained.push(r));
        const batch = this.queue.splice(0, MAX_IN_FLIGHT - this.inFlight);
        this.inFlight += batch.length;
        await this.send(batch).catch((error) => {
          for (const p of batch) this.finish(p, error);
        });
      }
    } finally {
      this.flushing = false;
    }
  }

  private finish(p: Pending, outcome: CommittedTransaction | unknown, ok = false): void {
    this.inFlight--;
    this.drained.shift()?.();
    if (ok) p.resolve(outcome as CommittedTransaction);
    else p.reject(outcome);
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    const { nonce, results } = await this.client.sendTransactions({
      key: this.key,
      messages: batch.map((p) => ({ module: DATA_MODULE, type: p.type, payload: p.payload })),
    });
    for (const [i, p] of batch.entries()) {
      const r = results[i] as { hash?: string; error?: { code: string; message: string } } | undefined;
      if (r?.hash) void this.settle(p, r.hash);
      else {
        this.retrying++;
        void this.retry(p, nonce + BigInt(i), r?.error).finally(() => {
          this.retrying--;
          this.drained.shift()?.();
        });
      }
    }
  }

  /** Sends a refused message again with its own nonce, so the ones after it are not left waiting. */
  private async retry(p: Pending, nonce: bigint, error: { code: string; message: string } | undefined) {
    let last = error;
    for (let tries = 0; last && RETRYABLE.has(last.code) && tries < RETRIES; tries++) {
      await sleep(RETRY_MS);
      try {
        const { results } = await this.client.sendTransactions({
          key: this.key,
          nonce,
          messages: [{ module: DATA_MODULE, type: p.type, payload: p.payload }],
        });
        const r = results[0] as { hash?: string; error?: { code: string; message: string } } | undefined;
        if (r?.hash) {
          void this.settle(p, r.hash); // admitted: the queue may go on while it commits
          return;
        }
        last = r?.error;
      } catch (e) {
        last = { code: 'DATA_SERVICE_UNAVAILABLE', message: (e as Error).message };
      }
    }
    this.finish(
      p,
      new PujiangError(
        last?.code ?? 'DATA_SERVICE_UNAVAILABLE',
        last?.message ?? 'the node did not admit it',
        {
          nonce: String(nonce),
        },
      ),
    );
  }

  private async settle(p: Pending, hash: string): Promise<void> {
    try {
      const tx = await this.client.waitForTx(hash, this.timeoutMs, { throwOnFailure: false });
      const receipt = tx.receipt;
      if (tx.status !== 'committed' || !receipt)
        throw new PujiangError('DATA_SERVICE_UNAVAILABLE', 'the transaction did not commit in time', {
          txHash: hash,
        });
      if (receipt.code !== 'OK')
        throw new PujiangError(receipt.code, receipt.message ?? 'the transaction failed', { txHash: hash });
      this.finish(p, { txHash: hash, height: tx.height ?? 0, events: receipt.events }, true);
    } catch (error) {
      this.finish(p, error);
    }
  }
}
