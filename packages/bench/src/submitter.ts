import type { BatchTransport } from './transport.js';

/** Submission batches per second aimed at: large batches amortise HTTP, small ones keep the load smooth. */
const BATCHES_PER_SECOND = 20;

export interface SubmitterOptions {
  readonly maxBatch: number;
  readonly maxInFlight: number;
  /** Asked before each batch: false holds the schedule back (the load generator's cap on transactions admitted but not yet committed). */
  readonly mayOffer?: () => boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Open-loop submission of pre-signed transactions in batches through a chain's transport,
 * several requests in flight. The schedule does not wait for commits; it only holds back,
 * as a client must, after the chain says its pool is full (Pujiang's MEMPOOL_FULL), until
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

  /** Submits transactions 0..total-1 of `transport`'s list, in that order. */
  constructor(
    private readonly total: number,
    private readonly transport: BatchTransport,
    private readonly o: SubmitterOptions,
  ) {
    this.sentAt = new Float64Array(total).fill(Number.NaN);
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
      while (
        credit >= batch &&
        !this.paused &&
        this.inFlight < this.o.maxInFlight &&
        (this.o.mayOffer?.() ?? true)
      ) {
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
    this.transport.close();
  }

  private take(n: number, fresh: boolean): number[] {
    const items = this.retry.splice(0, n);
    if (fresh) while (items.length < n && this.fresh < this.total) items.push(this.fresh++);
    return items;
  }

  private count(code: string, n = 1): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + n);
  }

  private post(items: number[]): void {
    const sentAt = performance.now();
    for (const i of items) this.sentAt[i] = sentAt;
    this.inFlight++;
    this.offered += items.length;
    void this.transport.send(items).then((outcome) => {
      this.inFlight--;
      if ('failed' in outcome) {
        this.count(outcome.failed, items.length);
        this.requeue(items);
        this.paused = true;
        return;
      }
      this.settle(items, outcome.codes);
    });
  }

  private settle(items: number[], codes: readonly (string | undefined)[]): void {
    const again: number[] = [];
    items.forEach((index, i) => {
      const code = codes[i];
      if (code === undefined) {
        this.admitted++;
        return;
      }
      this.count(code);
      if (this.transport.full.has(code)) this.paused = true;
      if (this.transport.retryable.has(code)) again.push(index);
    });
    if (again.length > 0) this.requeue(again);
  }

  /** Retries go before fresh transactions, in submission order (which is each sender's nonce order). */
  private requeue(items: readonly number[]): void {
    this.retry = [...this.retry, ...items].sort((a, b) => a - b);
  }
}
