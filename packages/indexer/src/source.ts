import { type EventMessage, isPujiangError, type Subscription, subscribe } from '@pujiang/sdk';
import type { BlockNotice } from './fetcher.js';

/** Server refusals that retrying cannot fix (a malformed subscription); anything else is retried. */
const FATAL = new Set(['API_BAD_REQUEST', 'API_UNAUTHENTICATED', 'API_FORBIDDEN']);
/** Notices held for blocks not yet fetched; past this the stream is paused and resumed later from a height. */
const MAX_NOTICES = 20_000;
const RETRY_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Follows the node's `/v1/events` for block messages from a height: each announces a
 * committed block (height, hash, time, transaction count) and so how far the node is. The
 * indexer fetches blocks by height up to `head`, so nothing the stream skips can make a gap.
 * A dropped stream (node restart, too slow a reader) is resumed from the next height not
 * yet announced, with backoff; too many unread notices pause it the same way.
 */
export class BlockSource {
  /** The highest height the node has announced. */
  head = 0;
  /** True once the replay reached the node's latest block (until a resubscription). */
  caughtUp = false;
  private readonly notices = new Map<number, BlockNotice>();
  private subscription: Subscription | undefined;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private fatal: Error | undefined;

  constructor(
    private readonly nodeUrl: string,
    private next: number,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.connect();
  }

  /** The notice for `height`, removed (each is checked once). */
  take(height: number): BlockNotice | undefined {
    const notice = this.notices.get(height);
    this.notices.delete(height);
    if (
      this.subscription === undefined &&
      this.retryTimer === undefined &&
      this.notices.size < MAX_NOTICES / 2
    )
      this.connect();
    return notice;
  }

  /** Resolves when the head moves (or the source fails or stops); rejects with a fatal stream error. */
  async changed(): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    if (this.fatal) throw this.fatal;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.subscription?.close();
    this.subscription = undefined;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private connect(): void {
    if (this.stopped) return;
    this.caughtUp = false;
    const from = this.next;
    const subscription = subscribe(
      { url: this.nodeUrl, fromHeight: from, blocks: true, txs: false, events: false },
      (m) => this.onMessage(m),
    );
    this.subscription = subscription;
    void subscription.done.then((error) => {
      if (this.subscription === subscription) this.subscription = undefined;
      if (this.stopped || error === undefined) return;
      if (isPujiangError(error) && FATAL.has(error.code)) {
        this.fatal = error;
        this.notify();
        return;
      }
      const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
      this.failures++;
      this.log(`event stream ended (${error.message}); resubscribing from ${this.next} in ${delay} ms`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.connect();
      }, delay);
    });
  }

  private onMessage(m: EventMessage): void {
    if (m.type === 'block') {
      if (m.height < this.next) return; // announced already, by an earlier subscription
      this.failures = 0;
      this.notices.set(m.height, { height: m.height, hash: m.hash, time: m.time, txCount: m.txCount });
      this.next = m.height + 1;
      if (m.height > this.head) this.head = m.height;
      if (this.notices.size >= MAX_NOTICES) {
        // Paused: `take` resumes from `next` once the indexer has used half of them.
        const s = this.subscription;
        this.subscription = undefined;
        s?.close();
      }
      this.notify();
    } else if (m.type === 'caughtUp') {
      this.caughtUp = true;
      if (m.height > this.head) this.head = m.height;
      if (m.height >= this.next) this.next = m.height + 1;
      this.notify();
    }
  }
}
