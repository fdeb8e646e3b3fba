import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { DOCS_LIMITS, DOCUMENT_STATUSES, DOCUMENT_TYPES } from './formats.js';

/** The JSON answers of the docs module's queries. */
const { address, hash32, u64 } = Schemas;

/** The most holder-history entries one `holders` answer carries. */
export const MAX_HOLDERS_PAGE = 100;

export const DocumentSchema = Type.Object({
  id: hash32(),
  type: Type.Union(DOCUMENT_TYPES.map((t) => Type.Literal(t))),
  issuer: Type.String(),
  subject: Type.String(),
  number: Type.String(),
  /** SHA-256 of the attached file (hex), or null. */
  fileDigest: Type.Union([hash32(), Type.Null()]),
  credentialDigest: hash32(),
  transferable: Type.Boolean(),
  status: Type.Union(DOCUMENT_STATUSES.map((s) => Type.Literal(s))),
  supersededBy: Type.Union([hash32(), Type.Null()]),
  holder: Type.Union([address(), Type.Null()]),
  /** Entries in the holder history (the first holder is entry 0). */
  holders: Type.Integer({ minimum: 0 }),
  /** The notary anchor's root of the file, or null. */
  anchorRoot: Type.Union([hash32(), Type.Null()]),
  registrant: address(),
  height: u64(),
  time: u64(),
  txHash: hash32(),
  statusHeight: u64(),
});

export const HolderEntrySchema = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  holder: address(),
  height: u64(),
  time: u64(),
  txHash: hash32(),
});

const Id = hash32();

export const DocumentQuery = defineQueryContract({
  module: 'docs',
  name: 'document',
  summary: "A document's registry record: type, issuer, number, digests, status, holder (null if none)",
  params: Type.Object({ id: Id }),
  result: Type.Object({ document: Type.Union([DocumentSchema, Type.Null()]) }),
  invalidParams: 'DOCS_BAD_QUERY',
});

export const ByFileQuery = defineQueryContract({
  module: 'docs',
  name: 'byFile',
  summary:
    "The issuer's document a file backs, by the issuer's DID and the SHA-256 of the file (null if none)",
  params: Type.Object({
    issuer: Type.String({ minLength: 1, maxLength: DOCS_LIMITS.did }),
    digest: hash32(),
  }),
  result: Type.Object({ document: Type.Union([DocumentSchema, Type.Null()]) }),
  invalidParams: 'DOCS_BAD_QUERY',
});

export const HoldersQuery = defineQueryContract({
  module: 'docs',
  name: 'holders',
  summary: `A transferable document's holders in order, from entry \`from\` (at most ${MAX_HOLDERS_PAGE})`,
  params: Type.Object({
    id: Id,
    from: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HOLDERS_PAGE })),
  }),
  result: Type.Object({ holders: Type.Array(HolderEntrySchema), total: Type.Integer({ minimum: 0 }) }),
  invalidParams: 'DOCS_BAD_QUERY',
});
