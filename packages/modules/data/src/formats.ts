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
import { ADDRESS_LENGTH, type HashAlgorithm, hash } from '@pujiang/crypto';
import { moduleParamKey } from '@pujiang/protocol';
import { utf8ToBytes } from '@pujiang/types';

/**
 * The `data` module's formats: the government trusted data service center. Agencies publish
 * datasets (schema, classification, legal bases, steward, endpoint; every version kept);
 * requesters ask for a dataset or one subject's record, under a legal basis; stewards grant
 * (or a policy on chain does); the agency's data service delivers off chain, and each
 * delivery leaves an access receipt. Who is asked about, and why, are never on chain in the
 * clear: a request carries salted tags and an envelope sealed to the steward, the
 * auditors and the subject.
 */
export const DATA_MODULE = 'data';

export const DATASET_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const CLASSIFICATIONS = ['public', 'request', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const SCOPES = ['dataset', 'record'] as const;
export type Scope = (typeof SCOPES)[number];
export const REQUEST_STATUSES = ['pending', 'granted', 'refused', 'revoked'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** A legal basis or refusal reason: a short term (a statute's article, a code). */
export const TERM = /^[A-Za-z0-9][A-Za-z0-9 ._:/#()-]{0,127}$/;

export const DATA_LIMITS = {
  did: 256,
  title: 256,
  endpoint: 512,
  /** A dataset's JSON Schema, as text. */
  schema: 32 * 1024,
  legalBases: 16,
  orgs: 32,
  /** A request's sealed envelope (subject, purpose, salt and the consent credential). */
  sealed: 24 * 1024,
  auditors: 8,
  /** The longest grant: two years. */
  maxGrantMs: 2n * 366n * 24n * 3600n * 1000n,
} as const;

const Did = string({ max: DATA_LIMITS.did });
const Term = string({ max: 128 });
const Address = fixedBytes(ADDRESS_LENGTH);

/** How a steward's grants are made: by hand, or on chain when a request meets the policy. */
export const GrantPolicy = struct('GrantPolicy', {
  /** Grant matching requests at once (public and on-request data; restricted data needs the steward's consent check). */
  auto: bool,
  /** Requesting organizations the policy grants (empty: every member organization). */
  orgs: list(string({ max: 64 }), { max: DATA_LIMITS.orgs }),
  /** Legal bases the policy grants under (a subset of the dataset's). */
  legalBases: list(Term, { max: DATA_LIMITS.legalBases }),
  /** The longest grant the policy makes (ms). */
  maxDurationMs: u64,
});
export type GrantPolicy = Infer<typeof GrantPolicy>;

const DATASET_FIELDS = {
  id: string({ max: 64 }),
  title: string({ max: DATA_LIMITS.title }),
  /** The DID that answers for the dataset (the sender must act for it). */
  steward: Did,
  classification: literals('Classification', CLASSIFICATIONS),
  legalBases: list(Term, { max: DATA_LIMITS.legalBases }),
  /** Where the agency's data service serves it (`pujiang data serve`). */
  endpoint: string({ max: DATA_LIMITS.endpoint }),
  /** JSON Schema (2020-12) of one record, as text. */
  schema: string({ max: DATA_LIMITS.schema }),
  /** The record field that names its subject (an enterprise's DID or registration number). */
  subjectField: string({ max: 64 }),
  policy: GrantPolicy,
};

/** `data/registerDataset`: version 1 of a dataset, by its steward. */
export const RegisterDataset = struct('RegisterDataset', DATASET_FIELDS);
export type RegisterDataset = Infer<typeof RegisterDataset>;

/** `data/updateDataset`: the next version (`version` names the one it replaces). */
export const UpdateDataset = struct('UpdateDataset', { ...DATASET_FIELDS, version: u32 });
export type UpdateDataset = Infer<typeof UpdateDataset>;

/** A dataset as of one version (kept for every version, so schema changes stay on record). */
export const DatasetRecord = struct('DatasetRecord', {
  ...DATASET_FIELDS,
  version: u32,
  /** The publishing agency (the steward's sender's organization). */
  org: string({ max: 64 }),
  schemaHash: fixedBytes(32),
  height: u64,
  time: u64,
});
export type DatasetRecord = Infer<typeof DatasetRecord>;

/** `data/request`: a dataset, or one subject's record of it, under a legal basis. */
export const RequestData = struct('RequestData', {
  dataset: string({ max: 64 }),
  /** The requester's DID (the sender acts for it), or '' for the sender's member identity. */
  requesterDid: Did,
  scope: literals('Scope', SCOPES),
  legalBasis: Term,
  /** Salted tags of the subject and the purpose (`subjectTag`, `purposeTag`); zeros for no subject. */
  subjectTag: fixedBytes(32),
  purposeTag: fixedBytes(32),
  /** Whether the sealed envelope carries the subject's consent credential. */
  consent: bool,
  /** Until when the requester asks (ms). */
  validUntil: u64,
  /** The X25519 key deliveries are encrypted to. */
  replyKey: fixedBytes(32),
  /** Subject, purpose, salt (and consent) sealed to the steward, auditors and subject. */
  sealed: bytes({ max: DATA_LIMITS.sealed }),
});
export type RequestData = Infer<typeof RequestData>;

/** A request and what became of it, at `req/<id>` (id: the request's transaction hash). */
export const RequestRecord = struct('RequestRecord', {
  dataset: string({ max: 64 }),
  datasetVersion: u32,
  requester: Address,
  requesterDid: Did,
  requesterOrg: string({ max: 64 }),
  scope: literals('Scope', SCOPES),
  legalBasis: Term,
  subjectTag: fixedBytes(32),
  purposeTag: fixedBytes(32),
  consent: bool,
  validUntil: u64,
  replyKey: fixedBytes(32),
  sealed: bytes({ max: DATA_LIMITS.sealed }),
  height: u64,
  time: u64,
  status: literals('RequestStatus', REQUEST_STATUSES),
  /** Until when the grant holds (0 unless granted). */
  grantedUntil: u64,
  /** 'policy', or the address that decided. */
  decidedBy: string({ max: 64 }),
  decidedAt: u64,
  /** Who ended the grant early and when (empty and 0 unless revoked); the grant's decision stays above. */
  revokedBy: string({ max: 64 }),
  revokedAt: u64,
  /** Why refused or revoked (a term), '' otherwise. */
  reason: Term,
  /** Deliveries made under it. */
  receipts: u32,
});
export type RequestRecord = Infer<typeof RequestRecord>;

/** `data/grant`: the steward grants a pending request, until a time no later than asked. */
export const Grant = struct('GrantRequest', { request: fixedBytes(32), validUntil: u64 });
export type Grant = Infer<typeof Grant>;

/** `data/refuse`: the steward refuses a pending request, saying why. */
export const Refuse = struct('RefuseRequest', { request: fixedBytes(32), reason: Term });
export type Refuse = Infer<typeof Refuse>;

/** `data/revokeGrant`: the steward (or the requester, giving it up) ends a grant. */
export const RevokeGrant = struct('RevokeGrant', { request: fixedBytes(32), reason: Term });
export type RevokeGrant = Infer<typeof RevokeGrant>;

/** `data/receipt`: the steward's data service records a delivery under a live grant. */
export const Receipt = struct('AccessReceipt', {
  request: fixedBytes(32),
  /** `deliveryDigest` of what was delivered. */
  digest: fixedBytes(32),
  bytes: u32,
});
export type Receipt = Infer<typeof Receipt>;

/** An access receipt, at `rcpt/<dataset>/<seq>`: numbered per dataset, so none can go missing unseen. */
export const ReceiptRecord = struct('ReceiptRecord', {
  seq: u32,
  request: fixedBytes(32),
  requester: Address,
  digest: fixedBytes(32),
  bytes: u32,
  /** Who recorded it (the steward's key). */
  by: Address,
  height: u64,
  time: u64,
  txHash: fixedBytes(32),
});
export type ReceiptRecord = Infer<typeof ReceiptRecord>;

/** The `auditors` parameter: the DIDs every request is also sealed to (set by governance). */
export const Auditors = list(Did, { max: DATA_LIMITS.auditors });
export const AUDITORS_PARAM = 'auditors';
export const auditorsKey = moduleParamKey(AUDITORS_PARAM);

const pad = (n: number) => String(n).padStart(9, '0');
export const datasetKey = (id: string) => `ds/${id}`;
export const datasetVersionKey = (id: string, version: number) => `dsv/${id}/${pad(version)}`;
export const datasetCountKey = 'dsn';
export const datasetIndexKey = (seq: number) => `dsi/${pad(seq)}`;
export const requestKey = (id: string) => `req/${id}`;
export const receiptCountKey = (dataset: string) => `rcn/${dataset}`;
export const receiptKey = (dataset: string, seq: number) => `rcpt/${dataset}/${pad(seq)}`;

/**
 * A request's tags: H("pujiang/data/<what>/v1\0" dataset "\0" salt value) under the chain's
 * hash. The 32-byte salt keeps an enumerable value (a registration number, a stock purpose)
 * from being found by hashing candidates; the sealed envelope gives the salt to those who may know.
 */
export function requestTag(
  algorithm: HashAlgorithm,
  what: 'subject' | 'purpose',
  dataset: string,
  salt: Uint8Array,
  value: string,
): Uint8Array {
  return hash(algorithm, utf8ToBytes(`pujiang/data/${what}/v1\0${dataset}\0`), salt, utf8ToBytes(value));
}

/**
 * What a request's envelope is bound to: the chain, the dataset and the requester's address, so
 * another member cannot copy it into a request of its own (and learn whom it is about).
 */
export const sealContext = (chainId: string, dataset: string, requester: string): Uint8Array =>
  utf8ToBytes(`pujiang/data/request/v1\0${chainId}\0${dataset}\0${requester}`);

/** What a delivery is bound to: the request it answers. */
export const deliveryContext = (chainId: string, request: string): Uint8Array =>
  utf8ToBytes(`pujiang/data/delivery/v1\0${chainId}\0${request}`);

/** The digest an access receipt keeps: H("pujiang/data/delivery/v1\0" plaintext) of the delivery's canonical bytes. */
export const deliveryDigest = (algorithm: HashAlgorithm, plaintext: Uint8Array): Uint8Array =>
  hash(algorithm, utf8ToBytes('pujiang/data/delivery/v1\0'), plaintext);
