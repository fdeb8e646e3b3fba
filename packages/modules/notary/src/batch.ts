import {
  type HashAlgorithm,
  hash,
  hashLeaf,
  type MerkleProof,
  merkleLevels,
  merkleProofFromLevels,
} from '@pujiang/crypto';
import {
  bytesArgument,
  chainHashArgument,
  invalidArgument,
  listArgument,
  objectArgument,
  sdkError,
} from '@pujiang/module-kit';
import { hexToBytes } from '@pujiang/types';
import {
  DOCUMENT_DIGESTS,
  type DocumentDigest,
  encodeNotaryLeaf,
  MAX_BATCH_DIGESTS,
  type NotaryLeaf,
} from './formats.js';

/** A document to notarize: its digest (32 bytes, or hex) under SM3 or SHA-256. */
export interface NotaryDocument {
  algorithm: DocumentDigest;
  digest: Uint8Array | string;
}

/** The digest of a document's content (which never leaves the client). */
export function digestDocument(algorithm: DocumentDigest, content: Uint8Array): Uint8Array {
  if (!DOCUMENT_DIGESTS.includes(algorithm))
    throw invalidArgument(`algorithm must be one of ${DOCUMENT_DIGESTS.join(', ')}`, 'algorithm');
  return hash(algorithm, bytesArgument(content, 'content'));
}

function leafOf(document: NotaryDocument, index: number): NotaryLeaf {
  const parameter = `documents[${index}]`;
  objectArgument(document, parameter);
  if (!DOCUMENT_DIGESTS.includes(document.algorithm))
    throw sdkError('SDK_INVALID_ARGUMENT', `document ${index}: algorithm must be sm3 or sha256`, {
      index,
      parameter: `${parameter}.algorithm`,
    });
  let digest: Uint8Array;
  try {
    digest = typeof document.digest === 'string' ? hexToBytes(document.digest) : document.digest;
  } catch {
    throw sdkError('SDK_INVALID_ARGUMENT', `document ${index}: digest is not hex`, {
      index,
      parameter: `${parameter}.digest`,
    });
  }
  if (!(digest instanceof Uint8Array) || digest.length !== 32)
    throw sdkError('SDK_INVALID_ARGUMENT', `document ${index}: a digest is 32 bytes`, {
      index,
      parameter: `${parameter}.digest`,
    });
  return { algorithm: document.algorithm, digest };
}

/**
 * The leaves of 1 to 100,000 documents of one digest algorithm: anything else is
 * `SDK_INVALID_ARGUMENT` naming the document (checked before a batch is built or sent).
 */
export function notaryLeaves(documents: readonly NotaryDocument[]): NotaryLeaf[] {
  const list = listArgument(documents, 'documents');
  if (list.length < 1 || list.length > MAX_BATCH_DIGESTS)
    throw sdkError('SDK_INVALID_ARGUMENT', `a batch holds 1 to ${MAX_BATCH_DIGESTS} documents`, {
      count: list.length,
      parameter: 'documents',
    });
  const leaves = list.map(leafOf);
  // The anchor names one digest algorithm for the whole batch.
  if (leaves.some((leaf) => leaf.algorithm !== leaves[0]!.algorithm))
    throw sdkError('SDK_INVALID_ARGUMENT', 'every document of a batch is digested with the same algorithm', {
      parameter: 'documents',
    });
  return leaves;
}

/**
 * Up to 100,000 document digests under one Merkle root (RFC 6962 shape, under the chain's
 * hash), so one `notary/anchor` transaction anchors them all. The tree is built once and
 * kept, so every document's path costs only its ~17 sibling lookups.
 */
export class NotaryBatch {
  readonly leaves: readonly NotaryLeaf[];
  readonly root: Uint8Array;
  /** levels[0] = leaf hashes, up to the root's level. */
  private readonly levels: readonly Uint8Array[][];

  constructor(
    readonly chainHash: HashAlgorithm,
    documents: readonly NotaryDocument[],
  ) {
    chainHashArgument(chainHash);
    this.leaves = notaryLeaves(documents);
    this.levels = merkleLevels(
      chainHash,
      this.leaves.map((leaf) => hashLeaf(chainHash, encodeNotaryLeaf(leaf))),
    );
    this.root = this.levels[this.levels.length - 1]![0]!;
  }

  get size(): number {
    return this.leaves.length;
  }

  /** The sibling hashes from document `index`'s leaf up to the root (what a receipt carries). */
  path(index: number): MerkleProof {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw sdkError('SDK_INVALID_ARGUMENT', `no document ${index} in a batch of ${this.size}`, { index });
    return merkleProofFromLevels(this.levels, index);
  }
}
