// `@pujiang/sdk/verify`: the verification API alone, with no HTTP client, WebSocket or other
// Node dependency, so that it bundles for a browser (test/browser-bundle.test.ts proves it).
// Keep this a plain list of re-exports.
export type { DocumentDigest, Genesis, GenesisJson } from '@pujiang/protocol';
export { parseGenesis } from '@pujiang/protocol';
export type { SdkErrorCode, VerificationCheck } from '../errors.js';
export { VerificationError } from '../errors.js';
export type { NotaryDocument } from '../notary/batch.js';
export { digestDocument, NotaryBatch } from '../notary/batch.js';
export type { LineageProof } from '../notary/lineage.js';
export type { NotaryReceipt } from '../notary/receipt.js';
export type {
  CertifiedHeader,
  TrustedValidators,
  TrustParameters,
  VerifyHeaderParameters,
} from './header.js';
export { verifyHeader } from './header.js';
export type { VerifiedLineage } from './lineage.js';
export { parseLineageProof, verifyLineage, verifyLineageProof } from './lineage.js';
export type {
  VerifyNotaryReceiptErrorType,
  VerifyNotaryReceiptParameters,
  VerifyNotaryReceiptReturnType,
} from './notary.js';
export { parseNotaryReceipt, verifyNotaryReceipt } from './notary.js';
export type { VerifiedBalance, VerifiedQuery, VerifyProvenQueryOptions } from './query.js';
export { verifyBalanceQuery, verifyProvenQuery } from './query.js';
export type { VerifiedStateRead } from './state.js';
export { verifyStateRead } from './state.js';
export type { VerifiedTransaction } from './transaction.js';
export { verifyTransaction } from './transaction.js';
