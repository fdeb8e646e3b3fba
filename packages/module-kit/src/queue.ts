import { decodeU64, encodeU64 } from '@pujiang/protocol';
import type { PujiangError } from '@pujiang/types';
import type { ModuleContext } from './module.js';

/**
 * A FIFO work queue in a module's own state, for block hooks: items are appended by
 * messages (or hooks), and `drainQueue` takes what fits the hook's gas. The cursor lives in
 * state, so what does not fit carries over to the next block; an item that fails (or needs
 * more than `itemGas` alone) is skipped with an event, so no item can stall the queue.
 *
 * Keys: `<queue>/head`, `<queue>/tail` (u64), `<queue>/item/<20-digit sequence>`.
 */
const headKey = (queue: string) => `${queue}/head`;
const tailKey = (queue: string) => `${queue}/tail`;
const itemKey = (queue: string, seq: bigint) => `${queue}/item/${seq.toString().padStart(20, '0')}`;

export function enqueue(ctx: ModuleContext, queue: string, item: Uint8Array): bigint {
  const tail = decodeU64(ctx.get(tailKey(queue)));
  ctx.set(itemKey(queue, tail), item);
  ctx.set(tailKey(queue), encodeU64(tail + 1n));
  return tail;
}

export function queueLength(ctx: ModuleContext, queue: string): bigint {
  return decodeU64(ctx.get(tailKey(queue))) - decodeU64(ctx.get(headKey(queue)));
}

export interface DrainResult {
  readonly done: number;
  readonly failed: number;
  readonly left: bigint;
}

/**
 * Handles queued items in order while at least `itemGas` (plus the cursor's writes) is left.
 * Each item runs in its own `attempt`, capped at `itemGas`: a failing item's writes are
 * dropped, the `failedEvent` is emitted with its sequence and code, and the cursor moves on.
 */
export function drainQueue(
  ctx: ModuleContext,
  queue: string,
  o: {
    readonly itemGas: number;
    readonly failedEvent: string;
    handle(item: Uint8Array, seq: bigint): void;
  },
): DrainResult {
  let head = decodeU64(ctx.get(headKey(queue)));
  const tail = decodeU64(ctx.get(tailKey(queue)));
  // Room for the cursor write and a failure event after the last item.
  const reserve = 2_000;
  let done = 0;
  let failed = 0;
  while (head < tail && ctx.gasLeft() >= o.itemGas + reserve) {
    const seq = head;
    const item = ctx.get(itemKey(queue, seq));
    const outcome = ctx.attempt(() => {
      if (item !== undefined) o.handle(item, seq);
    }, o.itemGas);
    if (outcome.ok) done++;
    else {
      failed++;
      ctx.emit(o.failedEvent, { queue, seq: String(seq), code: (outcome.error as PujiangError).code });
    }
    ctx.set(itemKey(queue, seq), undefined);
    head++;
  }
  ctx.set(headKey(queue), encodeU64(head));
  return { done, failed, left: tail - head };
}
