import {
  addressOf,
  type BlockReceiptsResponse,
  decodeTx,
  type HashAlgorithm,
  isPujiangError,
  publicKeyFromHex,
  txHash,
} from '@pujiang/sdk';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { indexerError } from './errors.js';
import type { FetchedTx } from './rows.js';

/** Senders repeat: their addresses (a hash of suite and key) are remembered, within a bound. */
const addresses = new Map<string, string>();
const MAX_ADDRESSES = 100_000;

function senderAddress(chainHash: HashAlgorithm, suite: string, publicKey: Uint8Array): string {
  const key = `${chainHash}:${suite}:${bytesToHex(publicKey)}`;
  let address = addresses.get(key);
  if (address === undefined) {
    address = addressOf(chainHash, publicKeyFromHex(suite, bytesToHex(publicKey)));
    if (addresses.size >= MAX_ADDRESSES) addresses.clear();
    addresses.set(key, address);
  }
  return address;
}

function inconsistent(message: string, details: Record<string, unknown>): never {
  throw indexerError('INDEX_NODE_INCONSISTENT', message, details);
}

/**
 * A block's transactions as the rows take them: each body decoded from the block's own
 * encoding (sender, module, type, nonce, gas limit), joined with its receipt (code, gas used,
 * events) from `GET /v1/blocks/{height}/receipts`. The node's answers must agree: as many
 * receipts as transactions, each at its index, each naming the hash the block gives at that
 * index, and that hash the hash of the transaction's encoding (else `INDEX_NODE_INCONSISTENT`).
 */
export function blockTxs(
  chainHash: HashAlgorithm,
  block: { readonly txs: readonly string[]; readonly txHashes: readonly string[] },
  answer: BlockReceiptsResponse,
  height: number,
): FetchedTx[] {
  const { txs, txHashes } = block;
  const { receipts } = answer;
  if (answer.height !== height)
    inconsistent(`asked for block ${height}'s receipts, got ${answer.height}'s`, { height });
  if (txs.length !== txHashes.length || receipts.length !== txHashes.length)
    inconsistent(`block ${height} has ${txHashes.length} transactions and ${receipts.length} receipts`, {
      height,
      txs: txs.length,
      txHashes: txHashes.length,
      receipts: receipts.length,
    });
  return receipts.map(({ index, receipt }, i): FetchedTx => {
    const hash = txHashes[i]!;
    if (index !== i || receipt.txHash !== hash)
      inconsistent(`receipt ${i} of block ${height} is not transaction ${hash}'s`, {
        height,
        index: i,
        hash,
        receipt: { index, txHash: receipt.txHash },
      });
    const { body } = decoded(chainHash, txs[i]!, hash, height, i);
    return {
      hash,
      index: i,
      sender: senderAddress(chainHash, body.suite, body.publicKey),
      module: body.module,
      type: body.type,
      nonce: String(body.nonce),
      gasLimit: String(body.gasLimit),
      code: receipt.code,
      gasUsed: receipt.gasUsed,
      events: receipt.events,
    };
  });
}

/** A transaction of the block decoded, and checked to be the one the block names at its index. */
function decoded(chainHash: HashAlgorithm, wire: string, hash: string, height: number, index: number) {
  let tx: ReturnType<typeof decodeTx>;
  try {
    tx = decodeTx(hexToBytes(wire));
  } catch (error) {
    if (!isPujiangError(error)) throw error;
    throw indexerError(
      'INDEX_NODE_INCONSISTENT',
      `transaction ${index} of block ${height} does not decode`,
      { height, index, hash },
      error,
    );
  }
  const actual = txHash(chainHash, tx);
  if (actual !== hash)
    inconsistent(`transaction ${index} of block ${height} is not ${hash}`, { height, index, hash, actual });
  return tx;
}
