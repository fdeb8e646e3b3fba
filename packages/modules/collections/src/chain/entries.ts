import { decode, encode } from '@pujiang/codec';
import { ROLES } from '@pujiang/module-governance';
import { defineQuery, type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  admits,
  COLLECTION_NAME,
  CollectionRecord,
  collectionKey,
  type Define,
  ENTRY_KEY,
  EntryRecord,
  entryKey,
  MAX_RETENTION_BLOCKS,
  ORG_ID,
  type Purge,
  type Put,
} from '../formats.js';
import { CollectionQuery, EntryQuery } from '../schemas.js';

/**
 * The chain's side of private data: collections and each entry's salted hash. Only a valid
 * identity of a listed organization writes; the tx's endorsers of listed organizations are
 * recorded with the write. The value itself never reaches the chain.
 */
interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

function identity(ctx: MessageContext, address: string): IdentityView {
  const found = ctx.call('governance', 'identityOf', { address }) as IdentityView | null;
  if (!found?.valid)
    throw moduleError('COLLECTIONS_NOT_MEMBER', `${address} is not a valid member identity`, { address });
  return found;
}

export function readCollection(read: StateRead, name: string): CollectionRecord | undefined {
  const bytes = read(collectionKey(name));
  return bytes ? decode(CollectionRecord, bytes) : undefined;
}

export function readEntry(read: StateRead, collection: string, key: string): EntryRecord | undefined {
  const bytes = read(entryKey(collection, key));
  return bytes ? decode(EntryRecord, bytes) : undefined;
}

export function define(ctx: MessageContext, m: Define): void {
  if (!COLLECTION_NAME.test(m.name))
    throw moduleError('COLLECTIONS_BAD_NAME', 'a collection name is 1-64 of a-z 0-9 . _ -', { name: m.name });
  if (m.orgs.length === 0 || new Set(m.orgs).size !== m.orgs.length || !m.orgs.every((o) => ORG_ID.test(o)))
    throw moduleError('COLLECTIONS_BAD_ORGS', 'a collection names 1 to 32 distinct organizations');
  if (
    new Set(m.roles).size !== m.roles.length ||
    !m.roles.every((r) => (ROLES as readonly string[]).includes(r))
  )
    throw moduleError('COLLECTIONS_BAD_ORGS', `roles are distinct, of ${ROLES.join(', ')}`);
  if (m.retentionBlocks < 1 || m.retentionBlocks > MAX_RETENTION_BLOCKS)
    throw moduleError('COLLECTIONS_BAD_RETENTION', `retention is 1 to ${MAX_RETENTION_BLOCKS} blocks`);
  if (m.label.length > 128 || !m.label.isWellFormed())
    throw moduleError('COLLECTIONS_BAD_NAME', 'label is too long');
  const sender = identity(ctx, ctx.sender);
  if (!admits(m, sender.org, sender.role))
    throw moduleError(
      'COLLECTIONS_NOT_MEMBER',
      "the sender's organization and role must be among the collection's",
    );
  if (ctx.get(collectionKey(m.name)) !== undefined)
    throw moduleError('COLLECTIONS_EXISTS', `collection ${m.name} exists`, { name: m.name });
  const record: CollectionRecord = { ...m, creator: hexToBytes(ctx.sender), height: ctx.height };
  ctx.set(collectionKey(m.name), encode(CollectionRecord, record));
  ctx.emit('defined', {
    collection: m.name,
    orgs: m.orgs.join(','),
    retentionBlocks: String(m.retentionBlocks),
  });
}

export function put(ctx: MessageContext, m: Put): void {
  const collection = readCollection((k) => ctx.get(k), m.collection);
  if (!collection) throw moduleError('COLLECTIONS_UNKNOWN', `there is no collection ${m.collection}`);
  if (!ENTRY_KEY.test(m.key))
    throw moduleError('COLLECTIONS_BAD_KEY', 'an entry key is 1-128 of A-Z a-z 0-9 . _ : / # @ -');
  const writer = identity(ctx, ctx.sender);
  if (!admits(collection, writer.org, writer.role))
    throw moduleError(
      'COLLECTIONS_NOT_MEMBER',
      `${writer.org}'s ${writer.role}s do not write to ${m.collection}`,
      {
        org: writer.org,
        role: writer.role,
      },
    );
  // An entry is its writer's: only it replaces it, and only while it stands (a purged or
  // expired entry's record keeps proving what was there).
  const existing = readEntry((k) => ctx.get(k), m.collection, m.key);
  if (
    existing &&
    (bytesToHex(existing.writer) !== ctx.sender || existing.purged || ctx.height >= existing.expiresAt)
  )
    throw moduleError(
      'COLLECTIONS_EXISTS',
      `entry ${m.key} of ${m.collection} is another writer's, or was purged`,
      {
        key: m.key,
      },
    );
  const endorsedBy = new Set<string>();
  for (const e of ctx.endorsers) {
    const who = ctx.call('governance', 'identityOf', { address: e.address }) as IdentityView | null;
    if (who?.valid && collection.orgs.includes(who.org) && who.org !== writer.org) endorsedBy.add(who.org);
  }
  const expiresAt = ctx.height + BigInt(collection.retentionBlocks);
  const record: EntryRecord = {
    hash: m.hash,
    writer: hexToBytes(ctx.sender),
    writerOrg: writer.org,
    endorsedBy: [...endorsedBy].sort(),
    height: ctx.height,
    expiresAt,
    purged: false,
  };
  ctx.set(entryKey(m.collection, m.key), encode(EntryRecord, record));
  ctx.emit('put', {
    collection: m.collection,
    key: m.key,
    hash: bytesToHex(m.hash),
    writer: ctx.sender,
    expiresAt: String(expiresAt),
  });
}

export function purge(ctx: MessageContext, m: Purge): void {
  const entry = readEntry((k) => ctx.get(k), m.collection, m.key);
  if (!entry) throw moduleError('COLLECTIONS_UNKNOWN', `there is no entry ${m.key} in ${m.collection}`);
  if (entry.purged || ctx.height >= entry.expiresAt)
    throw moduleError('COLLECTIONS_PURGED', `entry ${m.key} of ${m.collection} was purged`);
  const sender = identity(ctx, ctx.sender);
  const isWriter = bytesToHex(entry.writer) === ctx.sender;
  if (!isWriter && !(sender.role === 'admin' && sender.org === entry.writerOrg))
    throw moduleError(
      'COLLECTIONS_NOT_AUTHORIZED',
      "only the writer or an admin of the writer's organization purges",
    );
  ctx.set(entryKey(m.collection, m.key), encode(EntryRecord, { ...entry, purged: true }));
  ctx.emit('purged', { collection: m.collection, key: m.key, by: ctx.sender });
}

export const entryJson = (collection: string, key: string, e: EntryRecord) => ({
  collection,
  key,
  hash: bytesToHex(e.hash),
  writer: bytesToHex(e.writer),
  writerOrg: e.writerOrg,
  endorsedBy: e.endorsedBy,
  height: e.height.toString(),
  expiresAt: e.expiresAt.toString(),
  purged: e.purged,
});

export const collectionQuery = defineQuery({
  ...CollectionQuery,
  run: (read, { name }) => {
    const c = readCollection(read, name);
    return {
      collection: c
        ? {
            name: c.name,
            orgs: c.orgs,
            roles: c.roles,
            retentionBlocks: c.retentionBlocks,
            label: c.label,
            creator: bytesToHex(c.creator),
            height: c.height.toString(),
          }
        : null,
    };
  },
});

export const entryQuery = defineQuery({
  ...EntryQuery,
  run: (read, { collection, key }) => {
    const e = readEntry(read, collection, key);
    return { entry: e ? entryJson(collection, key, e) : null };
  },
});
