import { encode, fixedBytes, type Infer, list, literals, string, struct, u32, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH, HASH_LENGTH, type HashAlgorithm, hash, hashLeaf } from '@pujiang/crypto';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, concatBytes, utf8ToBytes } from '@pujiang/types';

/**
 * The `notary` module's formats: anchors of document digests (one digest, or the Merkle root
 * of a client-built batch) and the lineage of data assets (an append-only, hash-linked chain
 * of events). Clients build messages, receipts and lineage proofs with these without the node.
 */
export const NOTARY_MODULE = 'notary';

/** How a document's content is digested (the content never goes on chain). */
export const DOCUMENT_DIGESTS = ['sm3', 'sha256'] as const;
export type DocumentDigest = (typeof DOCUMENT_DIGESTS)[number];

/** The most digests one anchor may stand for (the client batches them into one Merkle root). */
export const MAX_BATCH_DIGESTS = 100_000;
export const NOTARY_LIMITS = {
  owner: 128,
  docType: 64,
  tag: 64,
  tags: 16,
  ref: 256,
  asset: 128,
  assetType: 64,
  eventType: 32,
  action: 256,
  digests: 64,
  participants: 32,
} as const;

const Digest = fixedBytes(HASH_LENGTH);
const Address = fixedBytes(ADDRESS_LENGTH);
const AddressOrNone = list(Address, { max: 1 });

/** A batch leaf: a document's digest with its algorithm. Leaf hash = H(0x00 || encoding) (RFC 6962). */
export const NotaryLeaf = struct('NotaryLeaf', {
  algorithm: literals('DocumentDigest', DOCUMENT_DIGESTS),
  digest: Digest,
});
export type NotaryLeaf = Infer<typeof NotaryLeaf>;

/** What an anchor says about its documents: the message's fields, and the start of the stored record. */
const ANCHOR_FIELDS = {
  root: Digest,
  count: u32,
  algorithm: literals('DocumentDigest', DOCUMENT_DIGESTS),
  /** Who owns the documents (an address, an organization, a DID); empty: the sender. */
  owner: string({ max: NOTARY_LIMITS.owner }),
  docType: string({ max: NOTARY_LIMITS.docType }),
  tags: list(string({ max: NOTARY_LIMITS.tag }), { max: NOTARY_LIMITS.tags }),
  /** A reference into an external system (a case number, a URL); may be empty. */
  ref: string({ max: NOTARY_LIMITS.ref }),
};

/** `notary/anchor`: anchors `count` digests under `root` (one digest: the root is its leaf hash). */
export const NotaryAnchor = struct('NotaryAnchor', ANCHOR_FIELDS);
export type NotaryAnchor = Infer<typeof NotaryAnchor>;

/** What the module stores for an anchor, at `anchor/<root hex>`: the first anchoring stands. */
export const AnchorRecord = struct('AnchorRecord', {
  ...ANCHOR_FIELDS,
  sender: Address,
  height: u64,
  time: u64,
  /** The transaction that anchored it: a receipt can be built from it at any time. */
  txHash: Digest,
});
export type AnchorRecord = Infer<typeof AnchorRecord>;

/** Event types with a fixed meaning; others (custom) are lowercase words. */
export const LINEAGE_EVENT_TYPES = [
  'created',
  'transformed',
  'shared',
  'unshared',
  'accessed',
  'transferred',
] as const;

/** `notary/createAsset`: registers a data asset; its first event (`created`) is written with it. */
export const CreateAsset = struct('CreateAsset', {
  asset: string({ max: NOTARY_LIMITS.asset }),
  assetType: string({ max: NOTARY_LIMITS.assetType }),
  action: string({ max: NOTARY_LIMITS.action }),
  outputs: list(Digest, { max: NOTARY_LIMITS.digests }),
});
export type CreateAsset = Infer<typeof CreateAsset>;

/**
 * `notary/recordEvent`: appends an event. `prev` must be the asset's current head (the hash
 * of its last event), so two writers cannot both append after the same event unnoticed.
 * `to` names the new owner (`transferred`) or the party shared with (`shared`, `unshared`).
 */
export const RecordEvent = struct('RecordEvent', {
  asset: string({ max: NOTARY_LIMITS.asset }),
  eventType: string({ max: NOTARY_LIMITS.eventType }),
  action: string({ max: NOTARY_LIMITS.action }),
  inputs: list(Digest, { max: NOTARY_LIMITS.digests }),
  outputs: list(Digest, { max: NOTARY_LIMITS.digests }),
  to: AddressOrNone,
  prev: Digest,
});
export type RecordEvent = Infer<typeof RecordEvent>;

/** One stored lineage event, at `event/<seq>/<asset>`; its hash links the next one. */
export const LineageEvent = struct('LineageEvent', {
  asset: string({ max: NOTARY_LIMITS.asset }),
  seq: u32,
  eventType: string({ max: NOTARY_LIMITS.eventType }),
  /** The signer who wrote it. */
  actor: Address,
  action: string({ max: NOTARY_LIMITS.action }),
  inputs: list(Digest, { max: NOTARY_LIMITS.digests }),
  outputs: list(Digest, { max: NOTARY_LIMITS.digests }),
  to: AddressOrNone,
  /** Hash of the previous event (32 zero bytes for `created`). */
  prev: Digest,
  height: u64,
  time: u64,
});
export type LineageEvent = Infer<typeof LineageEvent>;

/** The asset, at `asset/<id>`: who owns it, who it is shared with, and its lineage's head. */
export const AssetRecord = struct('AssetRecord', {
  asset: string({ max: NOTARY_LIMITS.asset }),
  assetType: string({ max: NOTARY_LIMITS.assetType }),
  owner: Address,
  creator: Address,
  createdHeight: u64,
  createdTime: u64,
  /** Parties an owner shared the asset with: they may record `accessed`, `transformed` and custom events. */
  participants: list(Address, { max: NOTARY_LIMITS.participants }),
  /** Number of events; they are `event/0/<id>` .. `event/<count-1>/<id>`. */
  count: u32,
  /** Hash of the last event. */
  head: Digest,
});
export type AssetRecord = Infer<typeof AssetRecord>;

export const anchorKey = (rootHex: string): string => `anchor/${rootHex}`;
export const assetKey = (asset: string): string => `asset/${asset}`;
/** The sequence number comes first, so no asset id can make one key look like another's. */
export const eventKey = (asset: string, seq: number): string => `event/${seq}/${asset}`;
export const anchorStateKey = (rootHex: string): Uint8Array => moduleKey(NOTARY_MODULE, anchorKey(rootHex));
export const assetStateKey = (asset: string): Uint8Array => moduleKey(NOTARY_MODULE, assetKey(asset));
export const eventStateKey = (asset: string, seq: number): Uint8Array =>
  moduleKey(NOTARY_MODULE, eventKey(asset, seq));

/** The encoding of a batch leaf. */
export const encodeNotaryLeaf = (leaf: NotaryLeaf): Uint8Array => encode(NotaryLeaf, leaf);

/** A single digest's anchor root: its leaf hash, i.e. the root of a one-leaf tree. */
export const singleDigestRoot = (chainHash: HashAlgorithm, leaf: NotaryLeaf): Uint8Array =>
  hashLeaf(chainHash, encodeNotaryLeaf(leaf));

const EVENT_DOMAIN = utf8ToBytes('pujiang/lineage-event/v1\u0000');

/** The hash that links an event to the next: H(domain || encoding) under the chain's hash. */
export function lineageEventHash(chainHash: HashAlgorithm, event: LineageEvent): Uint8Array {
  return hash(chainHash, concatBytes(EVENT_DOMAIN, encode(LineageEvent, event)));
}

/** Asset ids: 1-128 printable characters without spaces (letters, digits and `._:/-#@`). */
export const ASSET_ID = /^[A-Za-z0-9._:/#@-]{1,128}$/;
/** Custom event types: a lowercase word (`inspected`, `customs-cleared`). */
export const EVENT_TYPE = /^[a-z][a-z0-9-]{0,31}$/;

const hex = bytesToHex;
const addressOrNull = (to: readonly Uint8Array[]): string | null => (to[0] ? hex(to[0]) : null);

export interface AnchorRecordJson {
  root: string;
  count: number;
  algorithm: DocumentDigest;
  owner: string;
  docType: string;
  tags: string[];
  ref: string;
  sender: string;
  height: string;
  time: string;
  txHash: string;
}

export function anchorRecordToJson(r: AnchorRecord): AnchorRecordJson {
  return {
    root: hex(r.root),
    count: r.count,
    algorithm: r.algorithm,
    owner: r.owner,
    docType: r.docType,
    tags: [...r.tags],
    ref: r.ref,
    sender: hex(r.sender),
    height: String(r.height),
    time: String(r.time),
    txHash: hex(r.txHash),
  };
}

export interface AssetRecordJson {
  asset: string;
  assetType: string;
  owner: string;
  creator: string;
  createdHeight: string;
  createdTime: string;
  participants: string[];
  count: number;
  head: string;
}

export function assetRecordToJson(r: AssetRecord): AssetRecordJson {
  return {
    asset: r.asset,
    assetType: r.assetType,
    owner: hex(r.owner),
    creator: hex(r.creator),
    createdHeight: String(r.createdHeight),
    createdTime: String(r.createdTime),
    participants: r.participants.map(hex),
    count: r.count,
    head: hex(r.head),
  };
}

export interface LineageEventJson {
  asset: string;
  seq: number;
  eventType: string;
  actor: string;
  action: string;
  inputs: string[];
  outputs: string[];
  to: string | null;
  prev: string;
  height: string;
  time: string;
}

/** An event as JSON (its hash, the next event's `prev`, is `lineageEventHash` of the decoded event). */
export function lineageEventToJson(e: LineageEvent): LineageEventJson {
  return {
    asset: e.asset,
    seq: e.seq,
    eventType: e.eventType,
    actor: hex(e.actor),
    action: e.action,
    inputs: e.inputs.map(hex),
    outputs: e.outputs.map(hex),
    to: addressOrNull(e.to),
    prev: hex(e.prev),
    height: String(e.height),
    time: String(e.time),
  };
}

/** `notary/lineage`'s answer: the asset and a page of its events (all of them by default). */
export interface LineageJson {
  asset: AssetRecordJson | null;
  events: LineageEventJson[];
}
