import {
  type ApiError,
  addressOf,
  type HashAlgorithm,
  isPujiangError,
  type PujiangClient,
  publicKeyFromHex,
} from '@pujiang/sdk';
import { indexerError } from './errors.js';
import type { Limiter } from './limiter.js';
import type { FetchedBlock, FetchedTx } from './rows.js';
import { readTx } from './tx-reader.js';

/** What the event stream announced of a block, checked against what the API gives. */
export interface BlockNotice {
  readonly height: number;
  readonly hash: string;
  readonly time: string;
  readonly txCount: number;
}

/** Senders repeat: their addresses (a hash of suite and key) are remembered, within a bound. */
const addresses = new Map<string, string>();
const MAX_ADDRESSES = 100_000;

function senderAddress(chainHash: HashAlgorithm, suite: string, publicKey: string): string {
  const key = `${chainHash}:${suite}:${publicKey}`;
  let address = addresses.get(key);
  if (address === undefined) {
    address = addressOf(chainHash, publicKeyFromHex(suite, publicKey));
    if (addresses.size >= MAX_ADDRESSES) addresses.clear();
    addresses.set(key, address);
  }
  return address;
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
 * Fetches what the event stream lacks for a block: its transactions' bodies from
 * `GET /v1/blocks/{height}` (sender, module, type, nonce, gas limit), each receipt (code,
 * gas used, events) from `GET /v1/txs/{hash}`, and the module hooks' receipts from
 * `GET /v1/blocks/{height}/hooks`. Requests for transactions share `limiter`.
 */
export async function fetchBlock(
  node: { readonly client: PujiangClient; readonly fetch: typeof fetch },
  chainHash: HashAlgorithm,
  limiter: Limiter,
  height: number,
  notice: BlockNotice | undefined,
): Promise<FetchedBlock> {
  const { client } = node;
  const [block, hooks] = await Promise.all([
    limiter.run(() => client.getBlock(height)).catch((e) => pruned(e, height)),
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
  const txs = await Promise.all(
    block.txHashes.map(async (hash, index): Promise<FetchedTx> => {
      const tx = await limiter.run(() => readTx(node.fetch, client.url, hash));
      const receipt = tx.receipt;
      if (
        tx.status !== 'committed' ||
        tx.height !== height ||
        tx.index !== index ||
        tx.raw !== block.txs[index]
      )
        inconsistent(`transaction ${hash} is not where block ${height} has it`, { height, index, hash });
      return {
        hash,
        index,
        sender: senderAddress(chainHash, tx.tx.suite, tx.tx.publicKey),
        module: tx.tx.module,
        type: tx.tx.type,
        nonce: tx.tx.nonce,
        gasLimit: tx.tx.gasLimit,
        code: receipt.code,
        gasUsed: receipt.gasUsed,
        events: receipt.events,
      };
    }),
  );
  return {
    height,
    hash: block.hash,
    timeMs: Number(block.header.time),
    proposer: block.header.proposer,
    txs,
    hooks: hooks.hooks.map((h) => ({ txHash: h.receipt.txHash, events: h.receipt.events })),
  };
}
