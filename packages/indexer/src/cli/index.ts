import type { CommandIo } from '@pujiang/cli-kit';

export const INDEX_USAGE = `pujiang index --pg URL --node URL [--from HEIGHT] [--listen HOST:PORT]
    [--batch-blocks N] [--batch-txs N] [--concurrency N]
  follows a node's /v1/events into PostgreSQL (blocks, transactions, events, accounts,
  module records), resuming after its checkpoint; --listen serves the read API
  (/v1/index/...). Prints JSON lines: started, caughtUp, indexed (at most one a second),
  stopped. Runs until SIGINT/SIGTERM. docs/indexer.md`;

/** Runs `pujiang index ...`. Every pujiang run imports this file: the indexer loads only when used. */
export async function runIndex(args: string[], io: CommandIo): Promise<number> {
  const { runIndexCommand } = await import('./run.js');
  return runIndexCommand(args, io);
}
