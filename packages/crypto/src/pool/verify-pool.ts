import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CryptoError } from '../errors.js';
import type { SecretKey } from '../keys.js';
import { getSuite } from '../suites/registry.js';
import { packBatch, type VerifyItem } from './batch.js';
import type { SignRequest, VerifyRequest, VerifyResponse } from './verify-worker.js';

export interface VerifyPoolOptions {
  /** Worker threads; default: one per available core. */
  workers?: number;
  /** Largest number of items sent to a worker at once; default 256. */
  maxChunk?: number;
}

interface Pending {
  resolve(results: Uint8Array): void;
  reject(error: Error): void;
  worker: PoolWorker;
}

interface PoolWorker {
  thread: Worker;
  inFlight: number;
}

const codeOf = (suite: VerifyItem['suite']) => getSuite(suite).code;

/**
 * Verifies signatures on worker threads so the event loop stays free for consensus and I/O.
 * Batches are cut into chunks spread over the least-busy workers; results keep input order.
 * Single `verify` calls made in the same tick are coalesced into one batch.
 */
export class VerifyPool {
  readonly size: number;
  private readonly maxChunk: number;
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private queued: { item: VerifyItem; resolve(ok: boolean): void; reject(e: Error): void }[] = [];

  constructor(options: VerifyPoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? availableParallelism());
    this.maxChunk = Math.max(1, options.maxChunk ?? 256);
    for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
  }

  private spawn(): PoolWorker {
    const thread = new Worker(new URL('./verify-worker.js', import.meta.url));
    const worker: PoolWorker = { thread, inFlight: 0 };
    thread.unref();
    thread.on('message', ({ id, results }: VerifyResponse) => this.settle(id, (p) => p.resolve(results)));
    thread.on('error', (error) => this.fail(worker, error));
    thread.on('exit', (code) => {
      if (!this.closed) this.fail(worker, new Error(`verification worker exited with code ${code}`));
    });
    return worker;
  }

  private settle(id: number, action: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.worker.inFlight--;
    if (p.worker.inFlight === 0) p.worker.thread.unref(); // idle workers never hold the process open
    action(p);
  }

  /** A crashed worker fails its own chunks with a typed error and is replaced. */
  private fail(worker: PoolWorker, cause: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.settle(id, (x) =>
        x.reject(
          new CryptoError('CRYPTO_POOL_WORKER_FAILED', 'a verification worker failed', {
            cause: cause.message,
          }),
        ),
      );
    }
    const index = this.workers.indexOf(worker);
    if (index >= 0 && !this.closed) {
      void worker.thread.terminate();
      this.workers[index] = this.spawn();
    }
  }

  private dispatch(items: readonly VerifyItem[]): Promise<Uint8Array> {
    const worker = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    const packed = packBatch(items, codeOf);
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      if (worker.inFlight++ === 0) worker.thread.ref();
      const request: VerifyRequest = { id, packed };
      worker.thread.postMessage(request, [packed.buffer as ArrayBuffer]);
    });
  }

  /** Verifies every item; result i belongs to item i. Malformed keys give false, not an error. */
  async verifyBatch(items: readonly VerifyItem[]): Promise<boolean[]> {
    if (this.closed) throw new CryptoError('CRYPTO_POOL_CLOSED', 'the verification pool is closed');
    if (items.length === 0) return [];
    for (const item of items) getSuite(item.suite); // unknown suites are bad input, reported up front
    // At least one chunk per worker so that all cores work, at most maxChunk items each.
    const chunks = Math.max(Math.min(this.size, items.length), Math.ceil(items.length / this.maxChunk));
    const per = Math.ceil(items.length / chunks);
    const parts: Promise<Uint8Array>[] = [];
    for (let i = 0; i < items.length; i += per) parts.push(this.dispatch(items.slice(i, i + per)));
    const results = await Promise.all(parts);
    const out: boolean[] = [];
    for (const chunk of results) for (const r of chunk) out.push(r === 1);
    return out;
  }

  /**
   * Signs on a worker (a node's handshake signatures, kept off the thread that runs
   * consensus). The key is copied to the worker for the call and not kept there.
   */
  sign(secretKey: SecretKey, message: Uint8Array): Promise<Uint8Array> {
    if (this.closed)
      return Promise.reject(new CryptoError('CRYPTO_POOL_CLOSED', 'the verification pool is closed'));
    const worker = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (signature) =>
          signature.length > 0
            ? resolve(signature)
            : reject(new CryptoError('CRYPTO_POOL_WORKER_FAILED', 'the worker could not sign', {})),
        reject,
        worker,
      });
      if (worker.inFlight++ === 0) worker.thread.ref();
      const request: SignRequest = {
        id,
        sign: { suite: codeOf(secretKey.suite), secretKey: secretKey.bytes, message },
      };
      worker.thread.postMessage(request);
    });
  }

  /** Verifies one item; calls in the same tick share a batch. */
  verify(item: VerifyItem): Promise<boolean> {
    if (this.closed)
      return Promise.reject(new CryptoError('CRYPTO_POOL_CLOSED', 'the verification pool is closed'));
    return new Promise((resolve, reject) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const queued = this.queued;
    this.queued = [];
    this.verifyBatch(queued.map((q) => q.item)).then(
      (results) => {
        for (const [i, q] of queued.entries()) q.resolve(results[i]!);
      },
      (error: Error) => {
        for (const q of queued) q.reject(error);
      },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [id] of this.pending) {
      this.settle(id, (p) =>
        p.reject(new CryptoError('CRYPTO_POOL_CLOSED', 'the verification pool was closed')),
      );
    }
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}
