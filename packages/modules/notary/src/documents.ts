import { HASH_ALGORITHMS, type HashAlgorithm } from '@pujiang/crypto';
import type {
  BlockHeaderJson,
  CommitCertificateJson,
  MerkleProofJson,
  ProvenQueryResponse,
  Receipt,
} from '@pujiang/protocol';
import {
  any,
  array,
  certificate,
  hash32,
  header,
  hex,
  is,
  literal,
  merkleProof,
  nat,
  object,
  optional,
  receipt,
  shapeProblemOf,
  stateRead,
  str,
} from '@pujiang/verify/shape';
import type { DocumentDigest } from './formats.js';

/** The notary's documents: receipts and lineage proofs, which clients keep and anyone checks offline. */

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

export const LINEAGE_PROOF_FORMAT = 'pujiang-lineage-proof';

/**
 * An asset's lineage as a self-contained, versioned document: the proven `notary/lineage`
 * query, and the header (with its commit certificate) whose state root the proofs lead to.
 * `verifyLineageProof` checks it offline against pinned validators.
 */
export interface LineageProof {
  format: typeof LINEAGE_PROOF_FORMAT;
  version: 1;
  chainId: string;
  chainHash: HashAlgorithm;
  asset: string;
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
  /** The proven `notary/lineage` answers, all at the header's height: 1,000 events per page, in order. */
  pages: ProvenQueryResponse[];
}

const notaryReceiptShape = object({
  format: literal(NOTARY_RECEIPT_FORMAT),
  version: is((v) => v === 1),
  status: literal('pending', 'complete'),
  chainId: str,
  chainHash: literal(...HASH_ALGORITHMS),
  document: object({ algorithm: literal('sm3', 'sha256'), digest: hash32 }),
  batch: object({ root: hash32, index: nat, size: nat, path: array(hash32) }),
  tx: object({ hash: hash32, raw: hex }),
  block: optional(object({ height: nat, index: nat, proof: merkleProof, header, certificate })),
  result: optional(object({ receipt, proof: merkleProof, header, certificate })),
});

const lineageProofShape = object({
  format: literal(LINEAGE_PROOF_FORMAT),
  version: is((v) => v === 1),
  chainId: str,
  chainHash: literal(...HASH_ALGORITHMS),
  asset: str,
  header,
  certificate,
  pages: array(object({ height: nat, stateRoot: hash32, result: any, reads: array(object(stateRead)) })),
});

/** The path of the first field that is not a version 1 notary receipt's, or undefined. */
export const notaryReceiptProblem = (value: unknown): string | undefined =>
  shapeProblemOf(notaryReceiptShape, value);
/** The path of the first field that is not a version 1 lineage proof's, or undefined. */
export const lineageProofProblem = (value: unknown): string | undefined =>
  shapeProblemOf(lineageProofShape, value);
