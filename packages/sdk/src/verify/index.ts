// `@pujiang/sdk/verify`: the verification API alone, with no HTTP client, WebSocket or other
// Node dependency, so that it bundles for a browser (test/browser-bundle.test.ts proves it).
// Keep this a plain list of re-exports.

export type { DocumentDigest, LineageProof, NotaryDocument, NotaryReceipt } from '@pujiang/module-notary';
export { digestDocument, NotaryBatch } from '@pujiang/module-notary';
// Every module's offline verifiers, from the module list.
export * from '@pujiang/modules/verify';
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
export { verifyHeader, verifyHookReceipt, verifyProvenQuery, verifyStateRead } from '@pujiang/verify';
export type { SdkErrorCode, VerificationCheck } from '../errors.js';
export { VerificationError } from '../errors.js';
export { committedTxProof, verifyTransaction } from './transaction.js';
