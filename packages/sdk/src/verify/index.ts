// `@pujiang/sdk/verify`: the verification API alone, with no HTTP client, WebSocket or other
// Node dependency, so that it bundles for a browser (test/browser-bundle.test.ts proves it).
// Keep this a plain list of re-exports.

export type { VerifiedBalance } from '@pujiang/module-bank/verify';
export { verifyBalanceQuery } from '@pujiang/module-bank/verify';
export type { DocumentDigest, LineageProof, NotaryDocument, NotaryReceipt } from '@pujiang/module-notary';
export { digestDocument, NotaryBatch } from '@pujiang/module-notary';
export type {
  VerifiedLineage,
  VerifyNotaryReceiptErrorType,
  VerifyNotaryReceiptParameters,
  VerifyNotaryReceiptReturnType,
} from '@pujiang/module-notary/verify';
export {
  parseLineageProof,
  parseNotaryReceipt,
  verifyLineage,
  verifyLineageProof,
  verifyNotaryReceipt,
} from '@pujiang/module-notary/verify';
export type { Genesis, GenesisJson } from '@pujiang/protocol';
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
export { committedTxProof, verifyTransaction } from './transaction.js';
