// `@pujiang/module-notary`: formats, document formats and batches (browser-safe). The chain
// module is `./chain`, client calls `./client`, offline verification `./verify`.
export type { NotaryDocument } from './batch.js';
export { digestDocument, NotaryBatch } from './batch.js';
export type { LineageProof, NotaryReceipt } from './documents.js';
export {
  LINEAGE_PROOF_FORMAT,
  lineageProofProblem,
  NOTARY_RECEIPT_FORMAT,
  notaryReceiptProblem,
} from './documents.js';
export type {
  AnchorRecordJson,
  AssetRecordJson,
  DocumentDigest,
  LineageEventJson,
  LineageJson,
} from './formats.js';
export {
  AnchorRecord,
  ASSET_ID,
  AssetRecord,
  anchorKey,
  anchorRecordToJson,
  anchorStateKey,
  assetKey,
  assetRecordToJson,
  assetStateKey,
  CreateAsset,
  DOCUMENT_DIGESTS,
  EVENT_TYPE,
  encodeNotaryLeaf,
  eventKey,
  eventStateKey,
  LINEAGE_EVENT_TYPES,
  LineageEvent,
  lineageEventHash,
  lineageEventToJson,
  MAX_BATCH_DIGESTS,
  NOTARY_LIMITS,
  NOTARY_MODULE,
  NotaryAnchor,
  NotaryLeaf,
  RecordEvent,
  singleDigestRoot,
} from './formats.js';
export { AnchorQuery, AssetQuery, LineageQuery } from './schemas.js';
