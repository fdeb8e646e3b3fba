import type { Chain } from '../chain/chain.js';
import type { NodeClock } from '../clock.js';
import type { Mempool } from '../mempool/mempool.js';

/**
 * When the next height starts (CometBFT's create_empty_blocks_interval). With the chain's
 * `emptyBlockIntervalMs` at 0, at once. Otherwise at once when a transaction is waiting, after
 * a block that had transactions (so the state it produced becomes provable: a header proves
 * the state after the block before it), or for height 1; else when a transaction arrives or
 * the interval since the last block has passed, whichever is first. Not a validity rule: a
 * peer that started earlier is followed (the driver starts on its messages). Time is the
 * node's clock, the one its block times come from.
 */
export class Pacing {
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly chain: Chain,
    private readonly mempool: Mempool,
    private readonly clock: NodeClock,
  ) {
    clock.onChange(() => this.clockMoved());
  }

  /** Resolves when the height after the chain's head should start. */
  gate(): Promise<void> {
    this.release();
    const interval = this.chain.config().emptyBlockIntervalMs;
    const head = this.chain.height;
    if (interval === 0 || head === 0n || this.includable() || (this.chain.header(head)?.txCount ?? 0) > 0)
      return Promise.resolve();
    const due = this.due(interval);
    if (due <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.release(), due);
    });
  }

  /**
   * Milliseconds until the interval since the last block has passed. At most one interval: a
   * last block stamped ahead of this node's clock (another node's offset, or skew) must not
   * stall it, nor a wait past setTimeout's range fire at once.
   */
  private due(interval: number): number {
    return Math.min(interval, Number(this.chain.lastBlockTime) + interval - Number(this.clock.now()));
  }

  /** The clock jumped forward: an idle wait ends now or later by the new reading, not the old. */
  private clockMoved(): void {
    if (this.wake === undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const due = this.due(this.chain.config().emptyBlockIntervalMs);
    if (due <= 0) this.release();
    else this.timer = setTimeout(() => this.release(), due);
  }

  /** A transaction became includable: an idle wait ends. */
  txArrived(): void {
    this.release();
  }

  /** Ends any wait (the node stops, or a new one begins). */
  release(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private includable(): boolean {
    return this.mempool.size > this.mempool.futureSize;
  }
}
