import { Agent, request } from 'node:http';
import type { SubmitBatchResponse } from '@pujiang/protocol';

/** Refusals that say "not now": the transaction is offered again (the node's typed codes). */
const RETRYABLE = new Set(['MEMPOOL_FULL', 'MEMPOOL_SENDER_FULL', 'TX_NONCE_TOO_HIGH']);
/** Submission batches per second aimed at: large batches amortise HTTP, small ones keep the load smooth. */
const BATCHES_PER_SECOND = 20;

export interface SubmitterOptions {
  readonly apiUrl: string;
  readonly maxBatch: number;
  readonly maxInFlight: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Open-loop submission of pre-signed transactions through `POST /v1/txs/batch` over
 * keep-alive connections, several requests in flight. The schedule does not wait for
 * commits; it only holds back, as a client must, after the node answers MEMPOOL_FULL, until
 * the next block frees room (`resume`). Refused transactions that may succeed later are
 * offered again before fresh ones, so a gap in a sender's nonces (a refusal while a later
 * request got in) closes as soon as the node has room.
 */
export class Submitter {
  /** Transaction submissions made (first tries and retries). */
  offered = 0;
  admitted = 0;
  readonly refused = new Map<string, number>();
  /**
   * When each transaction was last sent (`performance.now()`, NaN if never): set at sending,
   * because a transaction can be committed before its batch's answer arrives.
   */
  readonly sentAt: Float64Array;
  private fresh = 0;
  private retry: number[] = [];
  private inFlight = 0;
  private paused = false;
  private readonly agent: Agent;
  private readonly url: URL;
  /** Each transaction framed for a binary batch: 4-byte big-endian length, then its encoding. */
  private readonly framed: Buffer[];

  constructor(
    private readonly hex: readonly string[],
    private readonly o: SubmitterOptions,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: o.maxInFlight });
    this.url = new URL('/v1/txs/batch', o.apiUrl);
    this.sentAt = new Float64Array(hex.length).fill(Number.NaN);
    this.framed = hex.map((h) => {
      const out = Buffer.alloc(4 + h.length / 2);
      out.writeUInt32BE(h.length / 2, 0);
      out.write(h, 4, 'hex');
      return out;
    });
  }

  /** A block was committed: the mempool has room again. */
  resume(): void {
    this.paused = false;
  }

  /**
   * Offers `rate` submissions per second until `untilMs` (`performance.now()`), taking fresh
   * transactions only if `fresh` (otherwise only retries, to drain). Unused schedule is kept
   * for at most two batches, so a stall is not followed by a burst.
   */
  async offer(rate: number, untilMs: number, fresh: boolean): Promise<void> {
    const batch = Math.max(1, Math.min(this.o.maxBatch, Math.round(rate / BATCHES_PER_SECOND)));
    let credit = 0;
    let last = performance.now();
    while (performance.now() < untilMs) {
      const now = performance.now();
      credit = Math.min(credit + (rate * (now - last)) / 1000, 2 * batch);
      last = now;
      while (credit >= batch && !this.paused && this.inFlight < this.o.maxInFlight) {
        const items = this.take(batch, fresh);
        if (items.length === 0) break;
        credit -= items.length;
        this.post(items);
      }
      if (!fresh && this.retry.length === 0 && this.inFlight === 0) return;
      await sleep(2);
    }
  }

  /** Resolves when no request is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight > 0) await sleep(2);
  }

  close(): void {
    this.agent.destroy();
  }

  private take(n: number, fresh: boolean): number[] {
    const items = this.retry.splice(0, n);
    if (fresh) while (items.length < n && this.fresh < this.hex.length) items.push(this.fresh++);
    return items;
  }

  private count(code: string, n = 1): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + n);
  }

  private post(items: number[]): void {
    // The binary form of a batch: what a high-rate client sends (no hex or JSON to parse).
    const body = Buffer.concat(items.map((i) => this.framed[i]!));
    const sentAt = performance.now();
    for (const i of items) this.sentAt[i] = sentAt;
    this.inFlight++;
    this.offered += items.length;
    const failed = (code: string) => {
      this.count(code, items.length);
      this.requeue(items);
      this.paused = true;
    };
    const req = request(
      this.url,
      {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/octet-stream', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          this.inFlight--;
          if (res.statusCode !== 200) return failed(`HTTP_${res.statusCode}`);
          const { results } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SubmitBatchResponse;
          this.settle(items, results);
        });
      },
    );
    req.on('error', () => {
      this.inFlight--;
      failed('HTTP_ERROR');
    });
    req.end(body);
  }

  private settle(items: number[], results: SubmitBatchResponse['results']): void {
    const again: number[] = [];
    items.forEach((index, i) => {
      const r = results[i]!;
      if ('hash' in r) {
        this.admitted++;
        return;
      }
      this.count(r.error.code);
      if (r.error.code === 'MEMPOOL_FULL') this.paused = true;
      if (RETRYABLE.has(r.error.code)) again.push(index);
    });
    if (again.length > 0) this.requeue(again);
  }

  /** Retries go before fresh transactions, in submission order (which is each sender's nonce order). */
  private requeue(items: readonly number[]): void {
    this.retry = [...this.retry, ...items].sort((a, b) => a - b);
  }
}
