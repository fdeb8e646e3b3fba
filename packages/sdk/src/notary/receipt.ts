import type { HashAlgorithm } from '@pujiang/crypto';
import type {
  BlockHeaderJson,
  CommitCertificateJson,
  DocumentDigest,
  MerkleProofJson,
  Receipt,
} from '@pujiang/protocol';
import { merkleProofToJson } from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';
import type { PujiangClient } from '../client.js';
import type { RequestOptions } from '../http.js';
import type { NotaryBatch } from './batch.js';

export const NOTARY_RECEIPT_FORMAT = 'pujiang-notary-receipt';

/**
 * A self-contained, versioned proof that a document's digest was anchored on chain: the
 * digest, its path to the batch root, the anchoring transaction, that transaction's
 * inclusion under block H's certified header, and its successful result under block H+1's
 * (which also commits to header H). `pending` until both blocks are decided; complete it
 * later with `completeNotaryReceipts`.
 */
export interface NotaryReceipt {
  format: typeof NOTARY_RECEIPT_FORMAT;
  version: 1;
  status: 'pending' | 'complete';
  chainId: string;
  chainHash: HashAlgorithm;
  document: { algorithm: DocumentDigest; digest: string };
  batch: { root: string; index: number; size: number; path: string[] };
  /** The signed `notary/anchor` transaction: its hash and canonical encoding. */
  tx: { hash: string; raw: string };
  /** Block H: where the transaction is (complete receipts only). */
  block?: {
    height: number;
    index: number;
    proof: MerkleProofJson;
    header: BlockHeaderJson;
    certificate: CommitCertificateJson;
  };
  /** Block H+1: the transaction's receipt under its results root. */
  result?: {
    receipt: Receipt;
    proof: MerkleProofJson;
    header: BlockHeaderJson;
    certificate: CommitCertificateJson;
  };
}

/** Receipts for every document of a batch whose anchor transaction was signed (not yet in a block). */
export function pendingNotaryReceipts(parameters: {
  chainId: string;
  batch: NotaryBatch;
  txHash: string;
  txRaw: Uint8Array | string;
}): NotaryReceipt[] {
  const { batch, chainId } = parameters;
  const raw = typeof parameters.txRaw === 'string' ? parameters.txRaw : bytesToHex(parameters.txRaw);
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
  client: PujiangClient,
  receipts: readonly NotaryReceipt[],
  options?: RequestOptions,
): Promise<NotaryReceipt[]> {
  const byTx = new Map<string, Inclusion | null>();
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
  client: PujiangClient,
  hash: string,
  options?: RequestOptions,
): Promise<Inclusion | null> {
  let tx: Awaited<ReturnType<PujiangClient['getTx']>>;
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
