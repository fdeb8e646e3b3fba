import type { BlockWatcherOptions, ChainWatcher } from './block-watcher.js';
import type { Presigned } from './presign.js';
import type { TransportFactory } from './transport.js';

/** What the load generator needs of a chain; the schedule, counting and statistics are shared. */
export interface LoadDriver {
  /** Signs `perSender` transactions for every sender, from each one's next nonce on the chain. */
  presign(perSender: number): Promise<Presigned>;
  readonly transport: TransportFactory;
  /** Follows the first API's decided blocks. */
  watcher(o: BlockWatcherOptions): ChainWatcher;
  /** The receipt code of each transaction (hash, hex), 'NOT_COMMITTED' for those in no block. */
  receiptCodes(hashes: readonly string[]): Promise<string[]>;
}
