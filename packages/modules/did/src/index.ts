// `@pujiang/module-did`: the did:pujiang method's formats, documents, keys and resolution
// (browser-safe). The chain module is `./chain`, client calls `./client`, offline
// verification `./verify`, commands `./cli`. The method: docs/did-method.md.
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
