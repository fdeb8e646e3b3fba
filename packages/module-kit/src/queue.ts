import { decodeU64, encodeU64 } from '@pujiang/protocol';
import type { PujiangError } from '@pujiang/types';
import { GAS } from './gas.js';
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

/** Items one drain takes at most: each may emit events, and a receipt holds at most 1,024. */
export const MAX_DRAIN_ITEMS = 100;

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
 * The most gas what follows an item can cost: the failure event (codes are at most 64
 * bytes), deleting the item, and the final cursor write. Priced from `GAS`, so a drain
 * never starts an item it could not finish recording.
 */
function tailGas(queue: string, failedEvent: string): number {
  const itemKeyLength = itemKey(queue, 0n).length;
  const eventSize =
    failedEvent.length + 8 + ('queue'.length + queue.length + 6) + (3 + 20 + 6) + (4 + 64 + 6);
  const event = GAS.event + eventSize * GAS.eventByte;
  const deleteItem = GAS.writeBase + itemKeyLength * GAS.writeByte;
  const writeHead = GAS.writeBase + (headKey(queue).length + 8) * GAS.writeByte;
  return event + deleteItem + writeHead;
}

/**
 * Handles queued items in order. Each item is read, then run in its own `attempt` capped at
 * `itemGas` only when that and everything after it still fit the hook's gas; a failing item's
 * writes are dropped, `failedEvent` is emitted with its sequence and code, and the cursor
 * moves on. At most `maxItems` (default 100) per call. Give the hook at least `itemGas` plus
 * about 8,000 gas (an item's read and what follows it), or no item ever fits.
 */
export function drainQueue(
  ctx: ModuleContext,
  queue: string,
  o: {
    readonly itemGas: number;
    readonly failedEvent: string;
    readonly maxItems?: number;
    handle(item: Uint8Array, seq: bigint): void;
  },
): DrainResult {
  let head = decodeU64(ctx.get(headKey(queue)));
  const tail = decodeU64(ctx.get(tailKey(queue)));
  const after = tailGas(queue, o.failedEvent);
  const maxItems = Math.min(o.maxItems ?? MAX_DRAIN_ITEMS, MAX_DRAIN_ITEMS);
  const readGas = (length: number) => GAS.readBase + (itemKey(queue, 0n).length + length) * GAS.readByte;
  let done = 0;
  let failed = 0;
  // Room to read an item of up to 4 KiB before deciding.
  while (head < tail && done + failed < maxItems && ctx.gasLeft() >= readGas(4096) + o.itemGas + after) {
    const seq = head;
    const item = ctx.get(itemKey(queue, seq));
    if (ctx.gasLeft() < o.itemGas + after) break; // a larger item than expected: leave it for the next block
    const outcome = ctx.attempt(() => {
      if (item !== undefined) o.handle(item, seq);
    }, o.itemGas);
    if (outcome.ok) done++;
    else {
      failed++;
      ctx.emit(o.failedEvent, {
        queue,
        seq: String(seq),
        code: (outcome.error as PujiangError).code.slice(0, 64),
      });
    }
    ctx.set(itemKey(queue, seq), undefined);
    head++;
  }
  ctx.set(headKey(queue), encodeU64(head));
  return { done, failed, left: tail - head };
}
