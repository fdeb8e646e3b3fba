import {
  bool,
  bytes,
  fixedBytes,
  type Infer,
  list,
  literals,
  string,
  struct,
  u32,
  u64,
} from '@pujiang/codec';
import { ADDRESS_LENGTH, HASH_LENGTH } from '@pujiang/crypto';
import { moduleKey } from '@pujiang/protocol';
import { KEY_ALGORITHMS } from './keys.js';

/**
 * The `did` module's formats: a DID document's parts (the module renders the JSON), the
 * create, update, deactivate and issuance-anchor messages, and what the module stores.
 * docs/did-method.md is the method's specification.
 */
export const DID_MODULE = 'did';

export const DID_LIMITS = {
  did: 256,
  controllers: 8,
  methods: 16,
  references: 16,
  services: 16,
  fragment: 64,
  serviceType: 64,
  endpoint: 512,
  keyBytes: 1952,
  anchorDigests: 256,
} as const;

export const METHOD_TYPES = ['Multikey', 'JsonWebKey'] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

const Fragment = string({ max: DID_LIMITS.fragment });
const References = list(Fragment, { max: DID_LIMITS.references });
const Digest = fixedBytes(HASH_LENGTH);

export const VerificationMethodParts = struct('DidVerificationMethod', {
  fragment: Fragment,
  type: literals('DidMethodType', METHOD_TYPES),
  /** The method's controller; empty: the DID itself. */
  controller: string({ max: DID_LIMITS.did }),
  algorithm: literals('DidKeyAlgorithm', KEY_ALGORITHMS),
  /** The key in multicodec form (EC points compressed). */
  key: bytes({ max: DID_LIMITS.keyBytes }),
});
export type VerificationMethodParts = Infer<typeof VerificationMethodParts>;

export const ServiceParts = struct('DidService', {
  fragment: Fragment,
  type: string({ max: DID_LIMITS.serviceType }),
  endpoint: string({ max: DID_LIMITS.endpoint }),
});
export type ServiceParts = Infer<typeof ServiceParts>;

/** A DID document as the module stores it; `renderDocument` gives its JSON. */
export const DocumentParts = struct('DidDocumentParts', {
  controllers: list(string({ max: DID_LIMITS.did }), { max: DID_LIMITS.controllers }),
  methods: list(VerificationMethodParts, { max: DID_LIMITS.methods }),
  authentication: References,
  assertionMethod: References,
  keyAgreement: References,
  capabilityInvocation: References,
  capabilityDelegation: References,
  services: list(ServiceParts, { max: DID_LIMITS.services }),
});
export type DocumentParts = Infer<typeof DocumentParts>;

export const RELATIONSHIPS = [
  'authentication',
  'assertionMethod',
  'keyAgreement',
  'capabilityInvocation',
  'capabilityDelegation',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** `did/create`: the DID is `did:pujiang:<chain id>:<unique id of the transaction's hash>`. */
export const CreateDid = struct('CreateDid', { document: DocumentParts });
export type CreateDid = Infer<typeof CreateDid>;

/** `did/update`: replaces version `version` (the current one) with `document`. */
export const UpdateDid = struct('UpdateDid', {
  did: string({ max: DID_LIMITS.did }),
  version: u32,
  document: DocumentParts,
});
export type UpdateDid = Infer<typeof UpdateDid>;

/** `did/deactivate`: ends the DID after version `version`; it can never change again. */
export const DeactivateDid = struct('DeactivateDid', { did: string({ max: DID_LIMITS.did }), version: u32 });
export type DeactivateDid = Infer<typeof DeactivateDid>;

/** `did/anchor`: records when digests of credential proofs first existed (see docs/did-method.md, section 4). */
export const AnchorIssuance = struct('AnchorIssuance', {
  digests: list(Digest, { max: DID_LIMITS.anchorDigests }),
});
export type AnchorIssuance = Infer<typeof AnchorIssuance>;

/** At `head/<unique id>`: the DID's current version and how it came to be. */
export const DidHead = struct('DidHead', {
  version: u32,
  deactivated: bool,
  /** The member organization whose administrator created it (its administrators may change it), or empty. */
  registrar: string({ max: 64 }),
});
export type DidHead = Infer<typeof DidHead>;

/** At `version/<unique id>/<version, 10 digits>`: one version of the document, with the block that wrote it. */
export const DidVersion = struct('DidVersion', {
  version: u32,
  height: u64,
  /** The block's time (ms since the epoch). */
  time: u64,
  txHash: Digest,
  deactivated: bool,
  document: DocumentParts,
});
export type DidVersion = Infer<typeof DidVersion>;

/** At `issued/<digest hex>`: the first anchoring of a credential proof's digest. */
export const IssuanceAnchor = struct('IssuanceAnchor', {
  height: u64,
  time: u64,
  txHash: Digest,
  sender: fixedBytes(ADDRESS_LENGTH),
});
export type IssuanceAnchor = Infer<typeof IssuanceAnchor>;

export const headKey = (uniqueId: string) => `head/${uniqueId}`;
export const versionKey = (uniqueId: string, version: number) =>
  `version/${uniqueId}/${String(version).padStart(10, '0')}`;
export const issuedKey = (digestHex: string) => `issued/${digestHex}`;

/** Full state keys (for proofs). */
export const headStateKey = (uniqueId: string) => moduleKey(DID_MODULE, headKey(uniqueId));
export const versionStateKey = (uniqueId: string, version: number) =>
  moduleKey(DID_MODULE, versionKey(uniqueId, version));
export const issuedStateKey = (digestHex: string) => moduleKey(DID_MODULE, issuedKey(digestHex));
