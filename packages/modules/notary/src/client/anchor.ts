import {
  bytesArgument,
  type ChainClient,
  encodePayload,
  invalidArgument,
  listArgument,
  objectArgument,
  type RequestOptions,
  type SendTransactionReturnType,
  sdkError,
} from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { NotaryBatch, type NotaryDocument, notaryLeaves } from '../batch.js';
import type { NotaryReceipt } from '../documents.js';
import { type AnchorRecordJson, NOTARY_MODULE, NotaryAnchor } from '../formats.js';
import type { NotarySendParameters } from './lineage.js';
import { completeNotaryReceipts, pendingNotaryReceipts } from './receipt.js';

export type NotarizeParameters = NotarySendParameters & {
  /**
   * One document or up to 100,000: batched under one Merkle root, anchored by one
   * transaction. Or a batch already built in the chain's hash (`NotaryBatch`).
   */
  documents: readonly NotaryDocument[] | NotaryBatch;
  /** Who owns the documents (an address, organization, DID); default: the sender. */
  owner?: string;
  docType?: string;
  tags?: readonly string[];
  /** A reference into an external system. */
  ref?: string;
};

export interface NotarizeReturnType {
  batch: NotaryBatch;
  sent: SendTransactionReturnType;
  /** One per document, in order; pending until completed (`awaitNotaryReceipts`). */
  receipts: NotaryReceipt[];
}

/** Anchors documents' digests (never their content) in one `notary/anchor` transaction. */
export async function notarize(client: ChainClient, p: NotarizeParameters): Promise<NotarizeReturnType> {
  const documents = objectArgument(p, 'parameters').documents;
  if (!(documents instanceof NotaryBatch)) notaryLeaves(documents);
  const tags = p.tags === undefined ? [] : listArgument(p.tags, 'tags');
  const { chainHash } = await client.getStatus(p);
  const batch = documents instanceof NotaryBatch ? documents : new NotaryBatch(chainHash, documents);
  if (batch.chainHash !== chainHash)
    throw sdkError(
      'SDK_INVALID_ARGUMENT',
      `the batch is built with ${batch.chainHash}, the chain uses ${chainHash}`,
    );
  const payload = encodePayload(NotaryAnchor, {
    root: batch.root,
    count: batch.size,
    algorithm: batch.leaves[0]!.algorithm,
    owner: p.owner ?? '',
    docType: p.docType ?? '',
    tags,
    ref: p.ref ?? '',
  });
  const sent = await client.sendTransaction({ ...p, module: NOTARY_MODULE, type: 'anchor', payload });
  const receipts = pendingNotaryReceipts({
    chainId: sent.built.tx.body.chainId,
    batch,
    txHash: sent.hash,
    txRaw: sent.built.wire,
  });
  return { batch, sent, receipts };
}

/**
 * Completes receipts as their blocks are decided (the anchor's block and the next), polling
 * until every one is complete or `timeoutMs` (default 30 s) passes; returns what it has.
 */
export async function awaitNotaryReceipts(
  client: ChainClient,
  receipts: readonly NotaryReceipt[],
  options: RequestOptions & { timeoutMs?: number; pollIntervalMs?: number } = {},
): Promise<NotaryReceipt[]> {
  const deadline = Date.now() + (objectArgument(options, 'options').timeoutMs ?? 30_000);
  let current = listArgument(receipts, 'receipts');
  for (;;) {
    current = await completeNotaryReceipts(client, current, options.signal ? { signal: options.signal } : {});
    if (current.every((r) => r.status === 'complete') || Date.now() >= deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 250));
  }
}

/** The anchor record of a root (hex), or null: who anchored it, when, and in which transaction. */
export async function getAnchor(
  client: ChainClient,
  root: Uint8Array | string,
  options?: RequestOptions,
): Promise<AnchorRecordJson | null> {
  const hex = typeof root === 'string' ? root.toLowerCase() : bytesToHex(bytesArgument(root, 'root'));
  if (!/^[0-9a-f]{64}$/.test(hex)) throw invalidArgument('root must be 32 bytes or 64 hex digits', 'root');
  const { result } = await client.query(NOTARY_MODULE, 'anchor', { root: hex }, options);
  return (result as { anchor?: AnchorRecordJson | null })?.anchor ?? null;
}

/**
 * Receipts for a batch whose root is already anchored (the first anchoring stands: the same
 * file stamped twice, or by two parties), built from the anchoring transaction the record
 * names and completed from the node; null when the root is not anchored. A receipt shows the
 * first anchor's sender, owner and time: what it proves is that the documents existed then.
 */
export async function receiptsOfExistingAnchor(
  client: ChainClient,
  batch: NotaryBatch,
  options: RequestOptions & { timeoutMs?: number } = {},
): Promise<NotaryReceipt[] | null> {
  if (!(batch instanceof NotaryBatch)) throw invalidArgument('batch must be a NotaryBatch', 'batch');
  const anchor = await getAnchor(client, batch.root, objectArgument(options, 'options'));
  if (anchor === null) return null;
  const tx = await client.getTx(anchor.txHash, options);
  const receipts = pendingNotaryReceipts({
    chainId: tx.tx.chainId,
    batch,
    txHash: anchor.txHash,
    txRaw: tx.raw,
  });
  return awaitNotaryReceipts(client, receipts, options);
}
