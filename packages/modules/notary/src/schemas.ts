import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';

/** The JSON answers of the notary's queries (published in OpenAPI, checked by clients). */
const { hex, hash32, u64, address } = Schemas;

export const AnchorRecordSchema = Type.Object({
  root: hash32(),
  count: Type.Integer({ minimum: 1 }),
  algorithm: Type.Union([Type.Literal('sm3'), Type.Literal('sha256')]),
  owner: Type.String(),
  docType: Type.String(),
  tags: Type.Array(Type.String()),
  ref: Type.String(),
  sender: address(),
  height: u64(),
  time: u64(),
  txHash: hash32(),
});

export const AssetRecordSchema = Type.Object({
  asset: Type.String(),
  assetType: Type.String(),
  owner: address(),
  creator: address(),
  createdHeight: u64(),
  createdTime: u64(),
  participants: Type.Array(address()),
  count: Type.Integer({ minimum: 0 }),
  head: hex(),
});

export const LineageEventSchema = Type.Object({
  asset: Type.String(),
  seq: Type.Integer({ minimum: 0 }),
  eventType: Type.String(),
  actor: address(),
  action: Type.String(),
  inputs: Type.Array(hex()),
  outputs: Type.Array(hex()),
  to: Type.Union([address(), Type.Null()]),
  prev: hex(),
  height: u64(),
  time: u64(),
});

export const LineageSchema = Type.Object({
  asset: Type.Union([AssetRecordSchema, Type.Null()]),
  events: Type.Array(LineageEventSchema),
});

/** Asset ids: what protocol's `ASSET_ID` accepts. */
export const AssetIdParam = Type.String({ pattern: '^[A-Za-z0-9._:/#@-]{1,128}$' });

/** `notary/anchor?root=HEX`: an anchored root's record (null if never anchored). */
export const AnchorQuery = defineQueryContract({
  module: 'notary',
  name: 'anchor',
  summary: "An anchored root's record (null if it was never anchored)",
  params: Type.Object({ root: hash32() }),
  result: Type.Object({ anchor: Type.Union([AnchorRecordSchema, Type.Null()]) }),
  invalidParams: 'NOTARY_BAD_ROOT',
});

/** `notary/asset?asset=ID`: an asset's record (null if there is none). */
export const AssetQuery = defineQueryContract({
  module: 'notary',
  name: 'asset',
  summary: "An asset's record (null if there is none)",
  params: Type.Object({ asset: AssetIdParam }),
  result: Type.Object({ asset: Type.Union([AssetRecordSchema, Type.Null()]) }),
  invalidParams: 'NOTARY_BAD_ASSET',
});

/** The most events one lineage answer carries (page with `from`). */
export const LINEAGE_PAGE = 1000;

/** `notary/lineage?asset=ID[&from=N][&limit=N]`: an asset and its events from `from`. */
export const LineageQuery = defineQueryContract({
  module: 'notary',
  name: 'lineage',
  summary: 'An asset and its lineage events from `from` (at most 1,000 per answer)',
  params: Type.Object({
    asset: AssetIdParam,
    from: Type.Optional(Schemas.integer(0, 0xffff_ffff)),
    limit: Type.Optional(Schemas.integer(0, LINEAGE_PAGE)),
  }),
  result: LineageSchema,
  invalidParams: 'NOTARY_BAD_ASSET',
  paramCodes: { from: 'NOTARY_BAD_PAGE', limit: 'NOTARY_BAD_PAGE' },
});

const SearchText = Type.String({ minLength: 1, maxLength: 256 });
const SearchTime = Type.String({ pattern: '^[0-9]{1,16}$', description: 'ms since the epoch' });

/** The parameters of both notary searches: owner, type, a time range, a page, a cursor. */
export const SearchParams = Type.Object({
  owner: Type.Optional(SearchText),
  type: Type.Optional(SearchText),
  from: Type.Optional(SearchTime),
  to: Type.Optional(SearchTime),
  limit: Type.Optional(Schemas.integer(1, 1000)),
  after: Type.Optional(SearchText),
});

/** `GET /v1/search/notary/anchors`: anchors by owner, document type and time (unproven). */
export const AnchorSearch = defineQueryContract({
  module: 'notary',
  name: 'anchors',
  summary: 'Anchors by owner, document type and time of anchoring, paged',
  params: SearchParams,
  result: Type.Object({
    results: Type.Array(AnchorRecordSchema),
    next: Type.Union([Type.String(), Type.Null()]),
  }),
  invalidParams: 'NOTARY_BAD_SEARCH',
});

/** `GET /v1/search/notary/assets`: assets by owner, type and time of creation (unproven). */
export const AssetSearch = defineQueryContract({
  module: 'notary',
  name: 'assets',
  summary: 'Assets by owner, type and time of creation, paged',
  params: SearchParams,
  result: Type.Object({
    results: Type.Array(AssetRecordSchema),
    next: Type.Union([Type.String(), Type.Null()]),
  }),
  invalidParams: 'NOTARY_BAD_SEARCH',
});
