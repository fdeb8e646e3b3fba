import {
  type ChainClient,
  hashArgument,
  invalidArgument,
  listArgument,
  objectArgument,
  type RequestOptions,
  stringArgument,
} from '@pujiang/module-kit';
import { merkleProofToJson } from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { NotaryBatch } from '../batch.js';
import { NOTARY_RECEIPT_FORMAT, type NotaryReceipt } from '../documents.js';

/** Receipts for every document of a batch whose anchor transaction was signed (not yet in a block). */
export function pendingNotaryReceipts(parameters: {
  chainId: string;
  batch: NotaryBatch;
  txHash: string;
  txRaw: Uint8Array | string;
}): NotaryReceipt[] {
  const { batch, chainId } = objectArgument(parameters, 'parameters');
  if (!(batch instanceof NotaryBatch)) throw invalidArgument('batch must be a NotaryBatch', 'batch');
  stringArgument(chainId, 'chainId');
  hashArgument(parameters.txHash, 'txHash');
  const txRaw = parameters.txRaw;
  if (!(txRaw instanceof Uint8Array) && (typeof txRaw !== 'string' || !/^([0-9a-f]{2})+$/.test(txRaw)))
    throw invalidArgument('txRaw must be bytes or hex', 'txRaw');
  const raw = typeof txRaw === 'string' ? txRaw : bytesToHex(txRaw);
  const root = bytesToHex(batch.root);
  return batch.leaves.map((leaf, index) => ({
    format: NOTARY_RECEIPT_FORMAT,
    version: 1,
    status: 'pending',
    chainId,
    chainHash: batch.chainHash,
    document: { algorithm: leaf.algorithm, digest: bytesToHex(leaf.digest) },
    batch: { root, index, size: batch.size, path: merkleProofToJson(batch.path(index)).path },
    tx: { hash: parameters.txHash, raw },
  }));
}

/**
 * Fills in pending receipts from a node (one lookup per transaction): each becomes complete
 * once its block and the next are decided, else stays pending. Complete receipts pass
 * through. Nothing here is trusted: `verifyNotaryReceipt` checks what was filled in.
 */
export async function completeNotaryReceipts(
  client: ChainClient,
  receipts: readonly NotaryReceipt[],
  options?: RequestOptions,
): Promise<NotaryReceipt[]> {
  const byTx = new Map<string, Inclusion | null>();
  listArgument(receipts, 'receipts').forEach((r, i) => {
    if (typeof r !== 'object' || r === null || typeof r.tx?.hash !== 'string')
      throw invalidArgument(`receipts[${i}] must be a notary receipt`, `receipts[${i}]`);
  });
  for (const receipt of receipts) {
    if (receipt.status === 'complete' || byTx.has(receipt.tx.hash)) continue;
    byTx.set(receipt.tx.hash, await fetchInclusion(client, receipt.tx.hash, options));
  }
  return receipts.map((receipt) => {
    const found = receipt.status === 'complete' ? null : byTx.get(receipt.tx.hash);
    if (!found) return receipt;
    const { result, ...block } = found;
    return { ...receipt, status: 'complete', block, result };
  });
}

type Inclusion = NonNullable<NotaryReceipt['block']> & { result: NonNullable<NotaryReceipt['result']> };

async function fetchInclusion(
  client: ChainClient,
  hash: string,
  options?: RequestOptions,
): Promise<Inclusion | null> {
  let tx: Awaited<ReturnType<ChainClient['getTx']>>;
  try {
    tx = await client.getTx(hash, options);
  } catch (error) {
    // Not yet seen by this node (or dropped): still pending.
    if (error instanceof PujiangError && error.code === 'API_NOT_FOUND') return null;
    throw error;
  }
  if (
    tx.status !== 'committed' ||
    tx.height === undefined ||
    tx.index === undefined ||
    tx.receipt === undefined ||
    !tx.proof ||
    tx.proof.receipt === null
  )
    return null;
  const [header, next] = await Promise.all([
    client.getHeader(tx.height, options),
    client.getHeader(tx.height + 1, options),
  ]);
  return {
    height: tx.height,
    index: tx.index,
    proof: tx.proof.tx,
    header: header.header,
    certificate: header.certificate,
    result: {
      receipt: tx.receipt,
      proof: tx.proof.receipt,
      header: next.header,
      certificate: next.certificate,
    },
  };
}
