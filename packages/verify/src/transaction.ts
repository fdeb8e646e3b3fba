import { type MerkleProof, verifyMerkleProof } from '@pujiang/crypto';
import {
  type BlockHookPhase,
  decodeReceipt,
  decodeTx,
  encodeReceipt,
  hookId,
  type MerkleProofJson,
  merkleProofFromJson,
  type Receipt,
  type SignedTx,
  txHash,
} from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { objectParameter, parseFor, VerificationError } from './errors.js';
import { type CertifiedHeader, certifiedHeaderArgument } from './header.js';

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

/** What a committed transaction's proofs are: its bytes, position, receipt and both inclusion proofs. */
export interface CommittedTxProof {
  readonly hash: string;
  /** The transaction's canonical encoding, hex. */
  readonly raw: string;
  readonly height: number;
  readonly index: number;
  readonly receipt?: Receipt;
  readonly proof: { readonly tx: MerkleProofJson; readonly receipt: MerkleProofJson | null };
}

/**
 * A Merkle root does not bind its tree's size, so the proof's position and size are
 * pinned to what the certified header and the claimed index say before the path is checked.
 * A block's results hold its transactions' receipts, then its modules' block-hook receipts,
 * whose number no header states: a receipt proof may name a larger tree than `txCount`.
 * That is sound because the leaf names its transaction (checked by the caller) and leaves
 * and inner nodes are hashed apart, so a proof of another size cannot show another leaf.
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
  const sizeOk = check === 'tx-inclusion' ? proof.treeSize === treeSize : proof.treeSize >= treeSize;
  if (proof.leafIndex !== index || !sizeOk)
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
 * (`height + 1`), its receipt is that leaf of the results root.
 */
export function verifyTransaction(
  response: CommittedTxProof,
  header: CertifiedHeader,
  nextHeader?: CertifiedHeader,
): VerifiedTransaction {
  objectParameter(response, 'response');
  certifiedHeaderArgument(header);
  if (nextHeader !== undefined) certifiedHeaderArgument(nextHeader, 'nextHeader');
  const hash = String(response.hash).toLowerCase();
  const { height, index } = response;
  const proof = parseFor('tx-inclusion', 'proof', () => objectParameter(response.proof, 'proof'));
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
  const leaf = parseFor('receipt-inclusion', 'receipt', () => encodeReceipt(receiptJson));
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
  // Every transaction of block `height` has a receipt, in block order (hook receipts follow).
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

/**
 * Checks a module's block-hook receipt (`GET /v1/blocks/{height}/hooks`) against the
 * certified header of its block (`header`, for the transaction count) and the next one
 * (`nextHeader`, whose results root holds it): it is a leaf past the block's transactions,
 * and, when `expected` names the module and phase, it is that hook's.
 */
export function verifyHookReceipt(
  item: { readonly index: number; readonly receipt: Receipt; readonly proof: MerkleProofJson | null },
  header: CertifiedHeader,
  nextHeader: CertifiedHeader,
  expected?: { readonly module: string; readonly phase: BlockHookPhase },
): Receipt {
  objectParameter(item, 'item');
  certifiedHeaderArgument(header);
  certifiedHeaderArgument(nextHeader, 'nextHeader');
  checkHeight(header.height + 1, nextHeader, 'the next header');
  const txCount = header.header.txCount;
  if (!Number.isSafeInteger(item.index) || item.index < txCount)
    throw new VerificationError('receipt-inclusion', "a hook receipt follows the block's transactions", {
      index: item.index,
      txCount,
    });
  if (item.proof === null) throw new VerificationError('receipt-inclusion', 'no proof to check', {});
  const leaf = parseFor('receipt-inclusion', 'receipt', () => encodeReceipt(item.receipt));
  const receipt = decodeReceipt(leaf);
  if (expected !== undefined) {
    const id = hookId(header.chainHash, expected.phase, expected.module, BigInt(header.height));
    if (receipt.txHash !== id)
      throw new VerificationError(
        'receipt-inclusion',
        `the receipt is not ${expected.module}'s ${expected.phase}`,
        {
          expected: id,
          actual: receipt.txHash,
        },
      );
  }
  const proof = parseFor('receipt-inclusion', 'receipt proof', () => merkleProofFromJson(item.proof));
  checkInclusion(
    'receipt-inclusion',
    nextHeader,
    nextHeader.header.resultsRoot,
    leaf,
    proof,
    item.index,
    txCount + 1,
  );
  return receipt;
}
