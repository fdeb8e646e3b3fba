export type { VerificationCheck } from './errors.js';
export { objectParameter, parseFor, VerificationError } from './errors.js';
export type {
  CertifiedHeader,
  TrustedValidators,
  TrustParameters,
  VerifyHeaderParameters,
} from './header.js';
export { certifiedHeaderArgument, trustOf, verifyHeader } from './header.js';
export type { VerifiedQuery, VerifyProvenQueryOptions } from './query.js';
export { verifyProvenQuery } from './query.js';
export type { VerifiedStateRead } from './state.js';
export { verifyStateRead } from './state.js';
export type { CommittedTxProof, VerifiedTransaction } from './transaction.js';
export { verifyHookReceipt, verifyTransaction } from './transaction.js';
