// `@pujiang/sdk/verify`: the verification API alone, with no HTTP client, WebSocket or other
// Node dependency, so that it bundles for a browser (test/browser-bundle.test.ts proves it).
// Keep this a plain list of re-exports.
export type { Genesis, GenesisJson } from '@pujiang/protocol';
export { parseGenesis } from '@pujiang/protocol';
export type { SdkErrorCode, VerificationCheck } from '../errors.js';
export { VerificationError } from '../errors.js';
export type {
  CertifiedHeader,
  TrustedValidators,
  TrustParameters,
  VerifyHeaderParameters,
} from './header.js';
export { verifyHeader } from './header.js';
export type { VerifiedBalance, VerifiedQuery, VerifyProvenQueryOptions } from './query.js';
export { verifyBalanceQuery, verifyProvenQuery } from './query.js';
export type { VerifiedStateRead } from './state.js';
export { verifyStateRead } from './state.js';
export type { VerifiedTransaction } from './transaction.js';
export { verifyTransaction } from './transaction.js';
