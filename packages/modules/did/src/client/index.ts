// `@pujiang/module-did/client`: DIDs from an application (the SDK re-exports it, with the
// formats an application needs to write documents).

export { BUNDLED_CONTEXTS, contextRegistry } from '../credentials/contexts.js';
export type { JsonObject } from '../credentials/data-model.js';
export { CredentialError } from '../credentials/errors.js';
export { issueCredential } from '../credentials/issue.js';
export { documentLoader } from '../credentials/loader.js';
export { presentCredentials, verifyPresentation } from '../credentials/presentations.js';
export type { ChainLookup, DidResolver } from '../credentials/resolvers.js';
export { didKeyDocument, didResolver } from '../credentials/resolvers.js';
export type { JwsKey } from '../credentials/sd-jwt.js';
export {
  issueSdJwtVc,
  presentSdJwtVc,
  publicJwk,
  sdJwtDigest,
  verifySdJwtVc,
} from '../credentials/sd-jwt.js';
export type { IssuerKey } from '../credentials/signers.js';
export type { VerificationReport } from '../credentials/verify.js';
export { proofDigest, verifyCredential } from '../credentials/verify.js';
export { didOf, parsePujiangDid } from '../did-syntax.js';
export type { DidDocument } from '../document.js';
export { partsFromDocument, renderDocument, singleKeyDocument } from '../document.js';
export type { DidKey } from '../keys.js';
export { didKeyOfChainKey, fromJwk, fromMultibase, toJwk, toMultibase } from '../keys.js';
export type { DidState, ResolveOptions } from '../resolution.js';

export * from './credentials.js';
export * from './dids.js';
