import type { Chain } from '../chain/chain.js';
import type { Mempool } from '../mempool/mempool.js';

/**
 * When the next height starts (CometBFT's create_empty_blocks_interval). With the chain's
 * `emptyBlockIntervalMs` at 0, at once. Otherwise at once when a transaction is waiting, after
 * a block that had transactions (so the state it produced becomes provable: a header proves
 * the state after the block before it), or for height 1; else when a transaction arrives or
 * the interval since the last block has passed, whichever is first. Not a validity rule: a
 * peer that started earlier is followed (the driver starts on its messages).
 */
export class Pacing {
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly chain: Chain,
    private readonly mempool: Mempool,
  ) {}

  /** Resolves when the height after the chain's head should start. */
  gate(): Promise<void> {
    this.release();
    const interval = this.chain.config().emptyBlockIntervalMs;
    const head = this.chain.height;
    if (interval === 0 || head === 0n || this.includable() || (this.chain.header(head)?.txCount ?? 0) > 0)
      return Promise.resolve();
    const due = Number(this.chain.lastBlockTime) + interval - Date.now();
    if (due <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.release(), due);
    });
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
