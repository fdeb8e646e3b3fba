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

/** The most messages one batch submits (one request to the node, consecutive nonces). */
const MAX_BATCH = 256;

/**
 * Sends the steward key's transactions (access receipts, automatic grants, revocations) in
 * batches: messages arriving together share one submission with consecutive nonces, so one
 * key never races itself for a nonce and receipts keep up with deliveries instead of taking a
 * block each. Each caller waits for its own transaction to commit, and gets its failure code.
 */
export class StewardTransactions {
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly client: ChainClient,
    private readonly key: KeyPair,
    private readonly timeoutMs = 30_000,
  ) {}

  submit(type: string, payload: Uint8Array): Promise<CommittedTransaction> {
    return new Promise((resolve, reject) => {
      this.pending.push({ type, payload, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.send(batch).catch((error) => {
          for (const p of batch) p.reject(error);
        });
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Submits a batch and returns once the node admitted it: the next batch takes the nonces
   * after it (the node's pending nonce counts its mempool), so batches pipeline while each
   * caller waits for its own commit.
   */
  private async send(batch: readonly Pending[]): Promise<void> {
    const { results } = await this.client.sendTransactions({
      key: this.key,
      messages: batch.map((p) => ({ module: DATA_MODULE, type: p.type, payload: p.payload })),
    });
    for (const [i, p] of batch.entries()) void this.settle(p, results[i]);
  }

  private async settle(p: Pending, result: unknown): Promise<void> {
    const r = result as { hash?: string; error?: { code: string; message: string } } | undefined;
    try {
      if (!r?.hash)
        throw new PujiangError(
          r?.error?.code ?? 'DATA_SERVICE_UNAVAILABLE',
          r?.error?.message ?? 'not admitted',
        );
      const tx = await this.client.waitForTx(r.hash, this.timeoutMs, { throwOnFailure: false });
      const receipt = tx.receipt;
      if (tx.status !== 'committed' || !receipt)
        throw new PujiangError('DATA_SERVICE_UNAVAILABLE', 'the transaction did not commit in time', {
          txHash: r.hash,
        });
      if (receipt.code !== 'OK')
        throw new PujiangError(receipt.code, receipt.message ?? 'the transaction failed', { txHash: r.hash });
      p.resolve({ txHash: r.hash, height: tx.height ?? 0, events: receipt.events });
    } catch (error) {
      p.reject(error);
    }
  }
}
