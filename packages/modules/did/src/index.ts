// `@pujiang/module-did`: the did:pujiang method's formats, documents, keys and resolution
// (browser-safe). The chain module is `./chain`, client calls `./client`, offline
// verification `./verify`, commands `./cli`. The method: docs/did-method.md.

export type { AccreditationJson, AccreditationRole } from './accreditation-formats.js';
export { Accredit, TrustRoots, WithdrawAccreditation } from './accreditation-formats.js';
export type { AccreditationPath, AccreditationSources } from './credentials/accreditation-check.js';
export { checkAccreditation } from './credentials/accreditation-check.js';
export {
  BUNDLED_CONTEXTS,
  contextRegistry,
  DATA_CONTEXT_URL,
  DOCS_CONTEXT_URL,
  VC_V2_CONTEXT,
} from './credentials/contexts.js';
export type { Cryptosuite, CryptosuiteName } from './credentials/cryptosuites.js';
export { CRYPTOSUITE_NAMES, CRYPTOSUITES } from './credentials/cryptosuites.js';
export type { JsonObject } from './credentials/data-model.js';
export { checkCredentialDataModel, checkPresentationDataModel } from './credentials/data-model.js';
export type { CredentialCheck } from './credentials/errors.js';
export { CredentialError } from './credentials/errors.js';
export { checkJsonLd, checkSize, issueCredential, MAX_CREDENTIAL_BYTES } from './credentials/issue.js';
export type { DocumentLoader } from './credentials/loader.js';
export { documentLoader } from './credentials/loader.js';
export type { PresentationReport, PresentParameters } from './credentials/presentations.js';
export { presentCredentials, verifyPresentation } from './credentials/presentations.js';
export type { ChainLookup, DidResolver, IssuanceRecord } from './credentials/resolvers.js';
export { didKeyDocument, didResolver, didWebUrl } from './credentials/resolvers.js';
export type { IssueSdJwtParameters, JwsKey, SdJwtVerification } from './credentials/sd-jwt.js';
export { issueSdJwtVc, presentSdJwtVc, publicJwk, sdJwtDigest, verifySdJwtVc } from './credentials/sd-jwt.js';
export type { IssuerKey } from './credentials/signers.js';
export { signerFor } from './credentials/signers.js';
export type { CheckOutcome, VerificationReport, VerifyCredentialOptions } from './credentials/verify.js';
export { proofDigest, verifyCredential } from './credentials/verify.js';
export type { PujiangDid } from './did-syntax.js';
export {
  DID_METHOD,
  didMethodOf,
  didOf,
  isDid,
  parsePujiangDid,
  splitDidUrl,
  uniqueIdOf,
} from './did-syntax.js';
export type { DidDocument, VerificationMethodJson } from './document.js';
export { checkDocument, partsFromDocument, renderDocument, singleKeyDocument } from './document.js';
export type { Relationship } from './formats.js';
export {
  AnchorIssuance,
  CreateDid,
  DeactivateDid,
  DID_LIMITS,
  DID_MODULE,
  DidHead,
  DidVersion,
  DocumentParts,
  headStateKey,
  IssuanceAnchor,
  issuedStateKey,
  RELATIONSHIPS,
  UpdateDid,
  versionStateKey,
} from './formats.js';
export type { DidKey, KeyAlgorithm } from './keys.js';
export { didKeyOfChainKey, fromJwk, fromMultibase, KEY_ALGORITHMS, toJwk, toMultibase } from './keys.js';
export type { DidRead, DidState, ResolveOptions } from './resolution.js';
export { resolutionResult, resolveDidState, xmlDateTime } from './resolution.js';
export { IssuanceQuery, ResolveQuery } from './schemas.js';
export type { StatusEntryState, StatusPurpose } from './status-formats.js';
export {
  CreateStatusList,
  MIN_STATUS_LIST_BITS,
  readStatusEntry,
  SetStatus,
  statusListKey,
  statusListStateKey,
} from './status-formats.js';
