import { type ApiError, type HashAlgorithm, isPujiangError, type PujiangClient } from '@pujiang/sdk';
import { blockTxs } from './block-txs.js';
import { indexerError } from './errors.js';
import type { Limiter } from './limiter.js';
import type { FetchedBlock } from './rows.js';

/** What the event stream announced of a block, checked against what the API gives. */
export interface BlockNotice {
  readonly height: number;
  readonly hash: string;
  readonly time: string;
  readonly txCount: number;
}

function pruned(error: unknown, height: number): never {
  if (isPujiangError(error) && (error as ApiError).code === 'API_PRUNED')
    throw indexerError('INDEX_BLOCK_PRUNED', `the node no longer keeps block ${height}`, { height }, error);
  throw error;
}

function inconsistent(message: string, details: Record<string, unknown>): never {
  throw indexerError('INDEX_NODE_INCONSISTENT', message, details);
}

/**
 * Fetches what the event stream lacks for a block, in three requests whatever its size:
 * `GET /v1/blocks/{height}` (the transactions' encodings: sender, module, type, nonce, gas
 * limit; proposer), `GET /v1/blocks/{height}/receipts` (each transaction's code, gas used and
 * events) and `GET /v1/blocks/{height}/hooks` (the module hooks' receipts). The requests
 * share `limiter`.
 */
export async function fetchBlock(
  node: { readonly client: PujiangClient },
  chainHash: HashAlgorithm,
  limiter: Limiter,
  height: number,
  notice: BlockNotice | undefined,
): Promise<FetchedBlock> {
  const { client } = node;
  const [block, receipts, hooks] = await Promise.all([
    limiter.run(() => client.getBlock(height)).catch((e) => pruned(e, height)),
    limiter.run(() => client.getBlockReceipts(height)).catch((e) => pruned(e, height)),
    limiter.run(() => client.getHookReceipts(height)).catch((e) => pruned(e, height)),
  ]);
  if (block.header.height !== height)
    inconsistent(`asked for block ${height}, got ${block.header.height}`, { height });
  if (
    notice &&
    (notice.hash !== block.hash ||
      notice.time !== block.header.time ||
      notice.txCount !== block.txHashes.length)
  )
    inconsistent(`block ${height} differs from what the event stream announced`, {
      height,
      announced: notice,
      fetched: { hash: block.hash, time: block.header.time, txCount: block.txHashes.length },
    });
  return {
    height,
    hash: block.hash,
    timeMs: Number(block.header.time),
    proposer: block.header.proposer,
    txs: blockTxs(chainHash, block, receipts, height),
    hooks: hooks.hooks.map((h) => ({ txHash: h.receipt.txHash, events: h.receipt.events })),
  };
}
