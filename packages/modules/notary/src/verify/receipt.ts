import { decode } from '@pujiang/codec';
import { deriveAddress, hashLeaf, rootFromProof } from '@pujiang/crypto';
import { sdkError } from '@pujiang/module-kit';
import { decodeTx, type SignedTx, senderKey, txHash, verifyTxSignature } from '@pujiang/protocol';
import { bytesToHex, equalBytes, hexToBytes, invalidArgument, type PujiangError } from '@pujiang/types';
import {
  objectParameter,
  type TrustParameters,
  trustOf,
  VerificationError,
  verifyHeader,
  verifyTransaction,
} from '@pujiang/verify';
import { digestDocument } from '../batch.js';
import { type NotaryReceipt, notaryReceiptProblem } from '../documents.js';
import { encodeNotaryLeaf, NOTARY_MODULE, NotaryAnchor } from '../formats.js';

export type VerifyNotaryReceiptParameters = {
  /** The receipt: a parsed object or its JSON text. */
  receipt: unknown;
  /** The pinned validators: a genesis, or a chain id, hash and validator set. */
  trust: TrustParameters;
} & (
  | { /** The document's content: its digest is recomputed. */ content: Uint8Array }
  | {
      /** Or the document's digest (32 bytes or hex), when the content is elsewhere. */ digest:
        | Uint8Array
        | string;
    }
);

interface AnchorFacts {
  chainId: string;
  digest: string;
  algorithm: 'sm3' | 'sha256';
  root: string;
  batchIndex: number;
  batchSize: number;
  txHash: string;
  sender: string;
  owner: string;
  docType: string;
  tags: string[];
  ref: string;
}

export type VerifyNotaryReceiptReturnType =
  | (AnchorFacts & {
      status: 'valid';
      /** The block that holds the anchor, and its time (ms since the epoch, from the certified header). */
      height: number;
      time: string;
      blockHash: string;
    })
  | (AnchorFacts & { status: 'pending' });

export type VerifyNotaryReceiptErrorType = VerificationError | PujiangError<'SDK_DOCUMENT_MALFORMED'>;

const malformed = (message: string, details: Record<string, unknown> = {}) =>
  sdkError('SDK_DOCUMENT_MALFORMED', message, details);

/** Parses a notary receipt (object or JSON text): a receipt that is not one is `SDK_DOCUMENT_MALFORMED`. */
export function parseNotaryReceipt(input: unknown): NotaryReceipt {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw malformed('the receipt is not JSON');
    }
  }
  const bad = notaryReceiptProblem(value);
  if (bad !== undefined) throw malformed(`not a version 1 notary receipt (field ${bad})`, { field: bad });
  const receipt = value as NotaryReceipt;
  if (receipt.status === 'complete' && (receipt.block === undefined || receipt.result === undefined))
    throw malformed('a complete receipt has block and result', { field: 'block' });
  return receipt;
}

function expectedDigest(parameters: VerifyNotaryReceiptParameters, receipt: NotaryReceipt): string {
  if ('content' in parameters) {
    if (!(parameters.content instanceof Uint8Array))
      throw invalidArgument('content must be bytes', 'content');
    return bytesToHex(digestDocument(receipt.document.algorithm, parameters.content));
  }
  const digest: unknown = parameters.digest;
  const hex =
    typeof digest === 'string'
      ? digest.toLowerCase()
      : digest instanceof Uint8Array
        ? bytesToHex(digest)
        : '';
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw invalidArgument('digest must be 32 bytes or 64 hex digits', 'digest');
  return hex;
}

/** What the receipt says before any block is consulted: digest -> batch root -> signed anchor transaction. */
function checkAnchor(receipt: NotaryReceipt, digest: string): { tx: SignedTx; facts: AnchorFacts } {
  const { document, batch, chainHash } = receipt;
  if (digest !== document.digest)
    throw new VerificationError('document-digest', "the document does not have the receipt's digest", {
      expected: document.digest,
      actual: digest,
    });
  const leaf = hashLeaf(
    chainHash,
    encodeNotaryLeaf({ algorithm: document.algorithm, digest: hexToBytes(digest) }),
  );
  const root = rootFromProof(chainHash, leaf, {
    leafIndex: batch.index,
    treeSize: batch.size,
    path: batch.path.map(hexToBytes),
  });
  if (root === undefined || bytesToHex(root) !== batch.root)
    throw new VerificationError('batch-path', 'the batch path does not lead from the document to the root', {
      index: batch.index,
      size: batch.size,
    });

  let tx: SignedTx;
  try {
    tx = decodeTx(hexToBytes(receipt.tx.raw));
  } catch (error) {
    throw new VerificationError('anchor', 'the anchor transaction does not decode', { cause: String(error) });
  }
  const computed = txHash(chainHash, tx);
  if (computed !== receipt.tx.hash)
    throw new VerificationError('tx-hash', 'the transaction bytes have another hash', {
      hash: receipt.tx.hash,
      computed,
    });
  const { body } = tx;
  if (body.chainId !== receipt.chainId)
    throw new VerificationError('chain-id', `the transaction is for chain ${body.chainId}`, {
      expected: receipt.chainId,
      actual: body.chainId,
    });
  if (body.module !== NOTARY_MODULE || body.type !== 'anchor')
    throw new VerificationError(
      'anchor',
      `the transaction is ${body.module}/${body.type}, not notary/anchor`,
    );
  let message: NotaryAnchor;
  try {
    message = decode(NotaryAnchor, body.payload);
  } catch (error) {
    throw new VerificationError('anchor', 'the anchor message does not decode', { cause: String(error) });
  }
  if (
    !equalBytes(message.root, hexToBytes(batch.root)) ||
    message.count !== batch.size ||
    message.algorithm !== document.algorithm
  )
    throw new VerificationError('anchor', 'the transaction anchors another root, size or digest algorithm', {
      root: bytesToHex(message.root),
      count: message.count,
      algorithm: message.algorithm,
    });
  if (!verifyTxSignature(tx))
    throw new VerificationError('tx-signature', "the anchor transaction's signature does not verify");
  const sender = bytesToHex(deriveAddress(chainHash, senderKey(body)));
  return {
    tx,
    facts: {
      chainId: receipt.chainId,
      digest,
      algorithm: document.algorithm,
      root: batch.root,
      batchIndex: batch.index,
      batchSize: batch.size,
      txHash: computed,
      sender,
      owner: message.owner === '' ? sender : message.owner,
      docType: message.docType,
      tags: message.tags,
      ref: message.ref,
    },
  };
}

/**
 * Verifies a notary receipt offline, trusting only the pinned validators: the document's
 * digest, its path to the batch root, the signed anchor transaction of that root, the
 * transaction's inclusion under certified header H, and its OK result under certified
 * header H+1. Returns `valid` with where and when, or `pending` (a receipt not yet
 * completed: the document-to-transaction part checked, nothing on chain yet). Every failure
 * is a `VerificationError` naming its check; a receipt that is not one is
 * `SDK_DOCUMENT_MALFORMED`. No network, no Node built-ins: it runs in a browser.
 */
export function verifyNotaryReceipt(
  parameters: VerifyNotaryReceiptParameters,
): VerifyNotaryReceiptReturnType {
  const receipt = parseNotaryReceipt(objectParameter(parameters, 'parameters').receipt);
  const trust = trustOf(parameters.trust);
  if (trust.chainId !== receipt.chainId)
    throw new VerificationError(
      'chain-id',
      `the receipt is for chain ${receipt.chainId}, not ${trust.chainId}`,
      {
        expected: trust.chainId,
        actual: receipt.chainId,
      },
    );
  if (trust.chainHash !== receipt.chainHash)
    throw new VerificationError(
      'chain-id',
      `the receipt uses ${receipt.chainHash}, the chain ${trust.chainHash}`,
    );
  const { facts } = checkAnchor(receipt, expectedDigest(parameters, receipt));
  if (receipt.status === 'pending') return { status: 'pending', ...facts };

  const block = receipt.block!;
  const result = receipt.result!;
  const header = verifyHeader({ ...trust, header: block.header, certificate: block.certificate });
  const next = verifyHeader({
    ...trust,
    header: result.header,
    certificate: result.certificate,
    height: header.height + 1,
  });
  if (!equalBytes(next.header.previousHash, hexToBytes(header.hash)))
    throw new VerificationError('header-hash', 'header H+1 does not follow header H', {
      height: header.height,
    });
  const verified = verifyTransaction(
    {
      hash: receipt.tx.hash,
      raw: receipt.tx.raw,
      height: block.height,
      index: block.index,
      receipt: result.receipt,
      proof: { tx: block.proof, receipt: result.proof },
    },
    header,
    next,
  );
  if (verified.receipt?.code !== 'OK')
    throw new VerificationError(
      'tx-result',
      `the anchor transaction failed in its block: ${verified.receipt?.code}`,
      {
        code: verified.receipt?.code,
        message: verified.receipt?.message,
      },
    );
  return {
    status: 'valid',
    ...facts,
    height: header.height,
    time: String(header.header.time),
    blockHash: header.hash,
  };
}
