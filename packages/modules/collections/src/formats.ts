import { bool, fixedBytes, type Infer, list, string, struct, u32, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH, type HashAlgorithm, hash } from '@pujiang/crypto';
import { utf8ToBytes } from '@pujiang/types';

/**
 * The `collections` module's formats: private data collections (as Fabric has them). A
 * collection names member organizations and a retention in blocks; a private write puts only
 * a salted hash on chain, while the value travels between the named organizations' nodes and
 * is purged (its per-entry key destroyed) when the retention ends or a writer purges it.
 */
export const COLLECTIONS_MODULE = 'collections';

export const COLLECTION_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const ENTRY_KEY = /^[A-Za-z0-9._:/#@-]{1,128}$/;
export const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_RETENTION_BLOCKS = 10_000_000;
/** The largest private value (the route's body limit is 512 KiB with its base64). */
export const MAX_VALUE_BYTES = 256 * 1024;
export const SALT_BYTES = 32;

const Address = fixedBytes(ADDRESS_LENGTH);
const Org = string({ max: 64 });

/** `collections/define`: a collection of the listed organizations (the sender's among them). */
export const Define = struct('DefineCollection', {
  name: string({ max: 64 }),
  orgs: list(Org, { max: 32 }),
  /** The roles of those organizations that read and write (empty: every role). */
  roles: list(string({ max: 16 }), { max: 8 }),
  retentionBlocks: u32,
  label: string({ max: 128 }),
});
export type Define = Infer<typeof Define>;

export const CollectionRecord = struct('CollectionRecord', {
  name: string({ max: 64 }),
  orgs: list(Org, { max: 32 }),
  roles: list(string({ max: 16 }), { max: 8 }),
  retentionBlocks: u32,
  label: string({ max: 128 }),
  creator: Address,
  height: u64,
});
export type CollectionRecord = Infer<typeof CollectionRecord>;

/** `collections/put`: a private write: the value's salted hash (`privateDataHash`), never the value. */
export const Put = struct('PutPrivate', {
  collection: string({ max: 64 }),
  key: string({ max: 128 }),
  hash: fixedBytes(32),
});
export type Put = Infer<typeof Put>;

/** `collections/purge`: the writer (or an admin of its organization) purges an entry before its retention ends. */
export const Purge = struct('PurgePrivate', { collection: string({ max: 64 }), key: string({ max: 128 }) });
export type Purge = Infer<typeof Purge>;

/** Whether an identity of `org` in `role` belongs to the collection (its organizations, and roles if it names any). */
export const admits = (
  c: { readonly orgs: readonly string[]; readonly roles: readonly string[] },
  org: string,
  role: string,
): boolean => c.orgs.includes(org) && (c.roles.length === 0 || c.roles.includes(role));

/** An entry as the chain keeps it: the hash that proves the value, who wrote it, until when it is kept. */
export const EntryRecord = struct('EntryRecord', {
  hash: fixedBytes(32),
  writer: Address,
  writerOrg: Org,
  /** Organizations of the member identities that endorsed the write. */
  endorsedBy: list(Org, { max: 32 }),
  height: u64,
  expiresAt: u64,
  purged: bool,
});
export type EntryRecord = Infer<typeof EntryRecord>;

export const collectionKey = (name: string): string => `collection/${name}`;
export const entryKey = (collection: string, key: string): string => `entry/${collection}/${key}`;

/**
 * The salted hash the chain keeps: H("pujiang/collections/v1\0" collection "\0" key "\0"
 * salt value) under the chain's hash. The salt (32 random bytes) keeps a guessable value
 * (a yes/no, an amount) from being found by hashing candidates.
 */
export function privateDataHash(
  algorithm: HashAlgorithm,
  collection: string,
  key: string,
  salt: Uint8Array,
  value: Uint8Array,
): Uint8Array {
  return hash(algorithm, utf8ToBytes(`pujiang/collections/v1\0${collection}\0${key}\0`), salt, value);
}
