import { createHmac } from 'node:crypto';
import type { AlertChange } from './alerts.js';

/** Changes waiting for delivery; past this the oldest non-critical are dropped first (and counted). */
const MAX_QUEUE = 1_000;
/** Delays before each retry of one delivery: bounded, so a dead endpoint costs a few seconds per change. */
const RETRY_DELAYS_MS: readonly number[] = [250, 1_000, 4_000];

export const SIGNATURE_HEADER = 'x-pujiang-signature';

/** What `x-pujiang-signature` carries for `body`: `sha256=` and the hex HMAC-SHA256 under the shared secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookStats {
  delivered: number;
  failed: number;
  dropped: number;
}

/**
 * POSTs each alert change as JSON to a URL, one at a time, in order, with bounded retries;
 * `send` only queues, so a slow or dead endpoint never blocks the monitor's loop. With a
 * secret, each body is signed (HMAC-SHA256) so the receiver can tell it came from here.
 */
export class Webhook {
  private readonly queue: AlertChange[] = [];
  private running = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly stats: WebhookStats = { delivered: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly url: string,
    private readonly o: {
      timeoutMs?: number;
      retryDelaysMs?: readonly number[];
      log?: (line: string) => void;
      onResult?: (ok: boolean) => void;
      /** Signs each body: `x-pujiang-signature: sha256=<hex HMAC-SHA256 of the body>`. */
      secret?: string;
      maxQueue?: number;
    } = {},
  ) {}

  send(change: AlertChange): void {
    if (this.stopped) return;
    if (this.queue.length >= (this.o.maxQueue ?? MAX_QUEUE)) {
      // A critical alert is never dropped while an info or warning one waits.
      const victim = this.queue.findIndex((c) => c.alert.severity !== 'critical');
      if (victim < 0 && change.alert.severity !== 'critical') {
        this.stats.dropped++;
        return;
      }
      this.queue.splice(Math.max(0, victim), 1);
      this.stats.dropped++;
    }
    this.queue.push(change);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (!this.stopped && this.queue.length > 0) {
      const change = this.queue.shift()!;
      const ok = await this.deliver(change);
      if (ok) this.stats.delivered++;
      else {
        this.stats.failed++;
        this.o.log?.(`webhook: ${change.change} ${change.alert.id} not delivered to ${this.url}`);
      }
      this.o.onResult?.(ok);
    }
    this.running = false;
  }

  private async deliver(change: AlertChange): Promise<boolean> {
    const body = JSON.stringify({ source: 'pujiang-monitor', ...change });
    const delays = this.o.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; attempt <= delays.length && !this.stopped; attempt++) {
      if (attempt > 0) await this.sleep(delays[attempt - 1]!);
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.o.secret ? { [SIGNATURE_HEADER]: webhookSignature(this.o.secret, body) } : {}),
          },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 5_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return true;
        // A 4xx other than 408/429 will not succeed on retry.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) return false;
      } catch {
        // refused, reset or timed out: retry
      }
    }
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
