import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';

/** The JSON answers of the data module's queries. */
const { address, hash32, hex, u64 } = Schemas;
const DatasetId = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const PAGE = 500;

export const PolicySchema = Type.Object({
  auto: Type.Boolean(),
  orgs: Type.Array(Type.String()),
  legalBases: Type.Array(Type.String()),
  maxDurationMs: u64(),
});

export const DatasetSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  title: Type.String(),
  org: Type.String(),
  steward: Type.String(),
  classification: Type.Union([Type.Literal('public'), Type.Literal('request'), Type.Literal('restricted')]),
  legalBases: Type.Array(Type.String()),
  endpoint: Type.String(),
  schema: Type.String({ description: 'JSON Schema of one record, as text' }),
  schemaHash: hash32(),
  subjectField: Type.String(),
  policy: PolicySchema,
  height: u64(),
  time: u64(),
});

export const RequestSchema = Type.Object({
  id: hash32(),
  dataset: Type.String(),
  datasetVersion: Type.Integer({ minimum: 1 }),
  requester: address(),
  requesterDid: Type.String(),
  requesterOrg: Type.String(),
  scope: Type.Union([Type.Literal('dataset'), Type.Literal('record')]),
  legalBasis: Type.String(),
  subjectTag: hash32(),
  purposeTag: hash32(),
  consent: Type.Boolean(),
  validUntil: u64(),
  replyKey: hash32(),
  sealed: hex('the envelope sealed to the steward, auditors and subject'),
  height: u64(),
  time: u64(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('granted'),
    Type.Literal('refused'),
    Type.Literal('revoked'),
  ]),
  grantedUntil: u64(),
  decidedBy: Type.String(),
  decidedAt: u64(),
  revokedBy: Type.String(),
  revokedAt: u64(),
  reason: Type.String(),
  receipts: Type.Integer({ minimum: 0 }),
});

export const ReceiptSchema = Type.Object({
  dataset: Type.String(),
  seq: Type.Integer({ minimum: 0 }),
  request: hash32(),
  requester: address(),
  digest: hash32(),
  bytes: Type.Integer({ minimum: 0 }),
  by: address(),
  height: u64(),
  time: u64(),
  txHash: hash32(),
});

export const DatasetQuery = defineQueryContract({
  module: 'data',
  name: 'dataset',
  summary: 'A dataset of the catalog, at its latest version or the one named (null if none)',
  params: Type.Object({ id: DatasetId, version: Type.Optional(Schemas.integer(1, 0xffff_ffff)) }),
  result: Type.Object({ dataset: Type.Union([DatasetSchema, Type.Null()]) }),
  invalidParams: 'DATA_BAD_QUERY',
});

export const CatalogQuery = defineQueryContract({
  module: 'data',
  name: 'catalog',
  summary: `The catalog: datasets from \`from\` in registration order (at most ${PAGE} per answer)`,
  params: Type.Object({
    from: Type.Optional(Schemas.integer(0, 0xffff_ffff)),
    limit: Type.Optional(Schemas.integer(0, PAGE)),
  }),
  result: Type.Object({ count: Type.Integer({ minimum: 0 }), datasets: Type.Array(DatasetSchema) }),
  invalidParams: 'DATA_BAD_QUERY',
});

export const RequestQuery = defineQueryContract({
  module: 'data',
  name: 'request',
  summary: 'A data request and its grant (null if none); subject and purpose are tags and a sealed envelope',
  params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
  result: Type.Object({ request: Type.Union([RequestSchema, Type.Null()]) }),
  invalidParams: 'DATA_BAD_QUERY',
});

export const AccessLogQuery = defineQueryContract({
  module: 'data',
  name: 'accessLog',
  summary: `A dataset's access receipts from \`from\` (at most ${PAGE} per answer) and how many there are`,
  params: Type.Object({
    dataset: DatasetId,
    from: Type.Optional(Schemas.integer(0, 0xffff_ffff)),
    limit: Type.Optional(Schemas.integer(0, PAGE)),
  }),
  result: Type.Object({ count: Type.Integer({ minimum: 0 }), receipts: Type.Array(ReceiptSchema) }),
  invalidParams: 'DATA_BAD_QUERY',
});

export const AuditorsQuery = defineQueryContract({
  module: 'data',
  name: 'auditors',
  summary: 'The DIDs every request is also sealed to (set by governance proposals)',
  params: Type.Object({}),
  result: Type.Object({ auditors: Type.Array(Type.String()) }),
  invalidParams: 'DATA_BAD_QUERY',
});

export const ACCESS_LOG_PAGE = PAGE;
