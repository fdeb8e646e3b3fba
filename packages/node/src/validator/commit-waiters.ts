import type { CommittedBlock } from '../chain/chain.js';

export type CommitListener = (committed: CommittedBlock) => void;

type Where = { height: bigint; index: number };

/**
 * Who waits for what to commit: callers waiting for a transaction (`POST /v1/txs` with
 * `wait`), and listeners of every committed block (the event stream, the network).
 */
export class CommitWaiters {
  private readonly waiters = new Map<string, Set<(at: Where | undefined) => void>>();
  private readonly listeners = new Set<CommitListener>();

  /** Resolves with where the transaction was committed, or undefined after `timeoutMs`. */
  waitFor(
    hash: string,
    timeoutMs: number,
    locate: (hash: string) => Where | undefined,
  ): Promise<Where | undefined> {
    const at = locate(hash);
    if (at) return Promise.resolve(at);
    return new Promise((resolve) => {
      let waiting = this.waiters.get(hash);
      if (!waiting) {
        waiting = new Set();
        this.waiters.set(hash, waiting);
      }
      const done = (found: Where | undefined) => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0 && this.waiters.get(hash) === waiting) this.waiters.delete(hash);
        resolve(found);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiting.add(done);
    });
  }

  /** Calls `listener` after every committed block; returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A block committed: resolve its transactions' waiters, then tell every listener. */
  committed(committed: CommittedBlock): void {
    if (this.waiters.size > 0) {
      committed.txs.forEach((t, index) => {
        const waiting = this.waiters.get(t.hash);
        if (!waiting) return;
        this.waiters.delete(t.hash);
        for (const resolve of waiting) resolve({ height: committed.block.header.height, index });
      });
    }
    for (const listener of this.listeners) {
      try {
        listener(committed);
      } catch {
        // A subscriber's failure is its own; the chain goes on.
      }
    }
  }

  /** The node stops: every waiter gets undefined, listeners are dropped. */
  close(): void {
    this.listeners.clear();
    for (const waiting of this.waiters.values()) for (const resolve of waiting) resolve(undefined);
    this.waiters.clear();
  }
}
