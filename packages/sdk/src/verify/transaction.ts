import { type MerkleProof, verifyMerkleProof } from '@pujiang/crypto';
import {
  decodeReceipt,
  decodeTx,
  encodeReceipt,
  merkleProofFromJson,
  type Receipt,
  type SignedTx,
  type TxResponse,
  txHash,
} from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { parseFor, sdkError, VerificationError } from '../errors.js';
import { expectShape } from '../shapes.js';
import type { CertifiedHeader } from './header.js';

export interface VerifiedTransaction {
  readonly hash: string;
  readonly height: number;
  readonly index: number;
  /** Decoded from the proven bytes (the server's `tx` view is not used). */
  readonly tx: SignedTx;
  readonly raw: Uint8Array;
  /** The receipt as proven against the next header; null when that header was not given. */
  readonly receipt: Receipt | null;
}

function checkHeight(expected: number, header: CertifiedHeader, what: string): void {
  if (header.height !== expected)
    throw new VerificationError('header-height', `${what} must be header ${expected}, got ${header.height}`, {
      expected,
      actual: header.height,
    });
}

/**
 * A Merkle root does not bind its tree's size, so the proof's position and size are
 * pinned to what the certified header and the claimed index say before the path is checked.
 */
function checkInclusion(
  check: 'tx-inclusion' | 'receipt-inclusion',
  header: CertifiedHeader,
  root: Uint8Array,
  leaf: Uint8Array,
  proof: MerkleProof,
  index: number,
  treeSize: number,
): void {
  if (proof.leafIndex !== index || proof.treeSize !== treeSize)
    throw new VerificationError(check, 'the proof is for another position', {
      index,
      treeSize,
      proofIndex: proof.leafIndex,
      proofTreeSize: proof.treeSize,
    });
  if (!verifyMerkleProof(header.chainHash, root, leaf, proof))
    throw new VerificationError(check, 'the proof does not lead to the certified root', { index });
}

/**
 * Checks a committed transaction against certified headers: its bytes hash to the
 * requested id and are leaf `index` of header `height`'s tx root; with the next header
 * (`height + 1`), its receipt is that leaf of the results root. A pending transaction is
 * `SDK_TX_PENDING`.
 */
export function verifyTransaction(
  response: TxResponse,
  header: CertifiedHeader,
  nextHeader?: CertifiedHeader,
): VerifiedTransaction {
  const hash = String(response.hash).toLowerCase();
  if (response.status !== 'committed')
    throw sdkError('SDK_TX_PENDING', `transaction ${hash} is not in a block yet`, { hash });
  const { height, index, proof } = response;
  if (height === undefined || index === undefined || proof === undefined)
    throw new VerificationError('tx-inclusion', 'a committed transaction without height, index or proof', {
      hash,
    });
  checkHeight(height, header, 'the header');

  const raw = parseFor('tx-hash', 'transaction bytes', () => hexToBytes(response.raw));
  const tx = parseFor('tx-hash', 'transaction', () => decodeTx(raw));
  const computed = txHash(header.chainHash, tx);
  if (computed !== hash)
    throw new VerificationError('tx-hash', 'the transaction bytes have another hash', { hash, computed });

  const txProof = parseFor('tx-inclusion', 'tx proof', () => merkleProofFromJson(proof.tx));
  const txCount = header.header.txCount;
  checkInclusion('tx-inclusion', header, header.header.txRoot, raw, txProof, index, txCount);

  if (nextHeader === undefined) return { hash, height, index, tx, raw, receipt: null };
  checkHeight(height + 1, nextHeader, 'the next header');
  if (response.receipt === undefined || proof.receipt === null)
    throw new VerificationError('receipt-inclusion', 'no receipt or receipt proof to check', { hash });
  const receiptJson = response.receipt;
  const leaf = parseFor('receipt-inclusion', 'receipt', () =>
    encodeReceipt(expectShape('receipt', receiptJson, 'receipt')),
  );
  // What is returned is decoded from the proven leaf, so it is exactly what was proven.
  const receipt = decodeReceipt(leaf);
  if (receipt.txHash !== hash)
    throw new VerificationError('receipt-inclusion', 'the receipt is for another transaction', {
      hash,
      receiptTxHash: receipt.txHash,
    });
  const receiptProof = parseFor('receipt-inclusion', 'receipt proof', () =>
    merkleProofFromJson(proof.receipt),
  );
  // Every transaction of block `height` has a receipt, in block order.
  checkInclusion(
    'receipt-inclusion',
    nextHeader,
    nextHeader.header.resultsRoot,
    leaf,
    receiptProof,
    index,
    txCount,
  );
  return { hash, height, index, tx, raw, receipt };
}
