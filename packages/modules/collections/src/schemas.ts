import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';

/** The JSON answers of the collections module's queries and routes. */
const { address, hash32, u64 } = Schemas;
const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const Key = Type.String({ pattern: '^[A-Za-z0-9._:/#@-]{1,128}$' });

export const CollectionSchema = Type.Object({
  name: Type.String(),
  orgs: Type.Array(Type.String()),
  roles: Type.Array(Type.String()),
  retentionBlocks: Type.Integer({ minimum: 1 }),
  label: Type.String(),
  creator: address(),
  height: u64(),
});

export const EntrySchema = Type.Object({
  collection: Type.String(),
  key: Type.String(),
  hash: hash32(),
  writer: address(),
  writerOrg: Type.String(),
  endorsedBy: Type.Array(Type.String()),
  height: u64(),
  expiresAt: u64(),
  purged: Type.Boolean(),
});

export const CollectionQuery = defineQueryContract({
  module: 'collections',
  name: 'collection',
  summary: 'A private data collection: its organizations and retention (null if none)',
  params: Type.Object({ name: Name }),
  result: Type.Object({ collection: Type.Union([CollectionSchema, Type.Null()]) }),
  invalidParams: 'COLLECTIONS_BAD_NAME',
});

export const EntryQuery = defineQueryContract({
  module: 'collections',
  name: 'entry',
  summary: "A private entry's on-chain record: the salted hash, writer and retention (never the value)",
  params: Type.Object({ collection: Name, key: Key }),
  result: Type.Object({ entry: Type.Union([EntrySchema, Type.Null()]) }),
  invalidParams: 'COLLECTIONS_BAD_NAME',
});

/** What `GET /v1/modules/collections/data` answers a reader the collection admits. */
export const PrivateDataSchema = Type.Object({
  collection: Type.String(),
  key: Type.String(),
  /** The value, base64. */
  value: Type.String(),
  /** The salt, hex. */
  salt: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  entry: EntrySchema,
});

export const PutBodySchema = Type.Object({
  /** The signed `collections/put` transaction, hex. */
  tx: Type.String({ pattern: '^([0-9a-f]{2})+$', maxLength: 131_072 }),
  /** The value, base64. */
  value: Type.String({ maxLength: 360_000 }),
  salt: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  /** Wait until the write commits (default true). */
  wait: Type.Optional(Type.Boolean()),
});

export const PutAnswerSchema = Type.Object({
  txHash: hash32(),
  hash: hash32(),
  status: Type.Union([Type.Literal('committed'), Type.Literal('pending')]),
  height: Type.Optional(u64()),
  code: Type.Optional(Type.String()),
  /** The member organizations' peers the value was sent to. */
  sentTo: Type.Integer({ minimum: 0 }),
});
