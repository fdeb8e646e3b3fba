// `@pujiang/sdk/verify`: the verification API alone, with no HTTP client, WebSocket or other
// Node dependency, so that it bundles for a browser (test/browser-bundle.test.ts proves it).
// Keep this a plain list of re-exports.

export type { VerifiedBalance } from '@pujiang/module-bank/verify';
export { verifyBalanceQuery } from '@pujiang/module-bank/verify';
export type { DocumentDigest, Genesis, GenesisJson } from '@pujiang/protocol';
export { parseGenesis } from '@pujiang/protocol';
export type {
  CertifiedHeader,
  CommittedTxProof,
  TrustedValidators,
  TrustParameters,
  VerifiedQuery,
  VerifiedStateRead,
  VerifiedTransaction,
  VerifyHeaderParameters,
  VerifyProvenQueryOptions,
} from '@pujiang/verify';
export { verifyHeader, verifyProvenQuery, verifyStateRead } from '@pujiang/verify';
export type { SdkErrorCode, VerificationCheck } from '../errors.js';
export { VerificationError } from '../errors.js';
export type { NotaryDocument } from '../notary/batch.js';
export { digestDocument, NotaryBatch } from '../notary/batch.js';
export type { LineageProof } from '../notary/lineage.js';
export type { NotaryReceipt } from '../notary/receipt.js';
export type { VerifiedLineage } from './lineage.js';
export { parseLineageProof, verifyLineage, verifyLineageProof } from './lineage.js';
export type {
  VerifyNotaryReceiptErrorType,
  VerifyNotaryReceiptParameters,
  VerifyNotaryReceiptReturnType,
} from './notary.js';
export { parseNotaryReceipt, verifyNotaryReceipt } from './notary.js';
export { committedTxProof, verifyTransaction } from './transaction.js';
