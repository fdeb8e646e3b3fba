import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { GenesisJson } from '../genesis.js';
import { PeersSchema } from './peers.js';
import {
  AccountSchema,
  BlockReceiptsSchema,
  BlockSchema,
  EventMessageSchema,
  HeaderSchema,
  HealthSchema,
  HookReceiptsSchema,
  ModulesSchema,
  ProvenQuerySchema,
  QuerySchema,
  StateSchema,
  StatusSchema,
  SubmitBatchRequestSchema,
  SubmitBatchSchema,
  SubmitRequestSchema,
  SubmitSchema,
  TxSchema,
  ValidatorsSchema,
} from './responses.js';
import { Schemas } from './schemas.js';

export type HttpMethod = 'GET' | 'POST';

/**
 * One route of the node's API, defined once: the node's router matches it, its handler is
 * typed by `response`, `/v1/openapi.json` is generated from it, and the SDK builds its
 * requests from `method`, `path` and `params` and checks answers against `response`.
 */
export interface ApiRoute {
  readonly method: HttpMethod;
  /** Literal segments and `{name}` segments (one path segment each). */
  readonly path: string;
  readonly summary: string;
  /** Path parameters: strings, each with the pattern the router matches (else the route does not match). */
  readonly params?: TObject;
  /** Query parameters, checked before the handler runs (a bad one is a 400 naming it). */
  readonly query?: TObject;
  /** Other query parameters are allowed too (a module query's own, an event filter's `attr.NAME`). */
  readonly openQuery?: boolean;
  /** A JSON request body; `binary` documents an `application/octet-stream` alternative. */
  readonly body?: { readonly json: TSchema; readonly binary?: string };
  readonly response: TSchema;
  /** The media type of the answer (default JSON). */
  readonly produces?: 'application/json' | 'text/plain';
  /** Success statuses besides 200, with what each means. */
  readonly alsoOk?: Readonly<Record<number, string>>;
  /** Refusals by HTTP status: the stable codes each may carry. */
  readonly errors: Readonly<Record<number, readonly string[]>>;
  /** A WebSocket: `response` is the schema of each message. */
  readonly upgrade?: boolean;
}

/** The largest height the API takes (15 digits: every such number is exact in JSON and JavaScript). */
export const MAX_API_HEIGHT = 999_999_999_999_999;
const height = Type.String({
  pattern: '^([1-9][0-9]{0,14}|latest)$',
  description: 'A height (1, 2, ...) or latest',
});
const positiveHeight = Type.Integer({ minimum: 1, maximum: MAX_API_HEIGHT });
const hash = Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: '32-byte hash, hex' });
const moduleName = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$', description: 'Module name, e.g. bank' });
const entryName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' });

const BAD = ['API_BAD_REQUEST'] as const;
const NOT_FOUND = ['API_NOT_FOUND'] as const;
const BODY = {
  400: ['API_BAD_REQUEST', 'API_BAD_JSON'],
  413: ['API_BODY_TOO_LARGE', 'TX_TOO_LARGE'],
  415: ['API_UNSUPPORTED_MEDIA_TYPE'],
  503: ['API_BUSY'],
} as const;

/** The core API. Module queries, searches and routes are added per chain from the modules' definitions. */
export const API = {
  status: {
    method: 'GET',
    path: '/v1/status',
    summary: 'Node and chain status',
    response: StatusSchema,
    errors: {},
  },
  genesis: {
    method: 'GET',
    path: '/v1/genesis',
    summary: 'The genesis document (pin it out of band rather than trusting this answer)',
    response: Type.Unsafe<GenesisJson>(
      Type.Object({ chainId: Type.String(), chainHash: Type.String() }, { additionalProperties: true }),
    ),
    errors: {},
  },
  modules: {
    method: 'GET',
    path: '/v1/modules',
    summary:
      "The chain's modules: messages, queries, events, error codes, exports, imports, hooks and routes",
    response: ModulesSchema,
    errors: {},
  },
  openapi: {
    method: 'GET',
    path: '/v1/openapi.json',
    summary: "This document: the core API and the enabled modules' queries, searches and routes",
    // OpenAPI 3.1's own schema describes the rest; an OpenAPI document may carry extensions.
    response: Type.Object(
      {
        openapi: Type.String(),
        info: Type.Unknown(),
        servers: Type.Optional(Type.Array(Type.Unknown())),
        security: Type.Optional(Type.Array(Type.Unknown())),
        paths: Type.Record(Type.String(), Type.Unknown()),
        components: Type.Unknown(),
      },
      { additionalProperties: true },
    ),
    errors: {},
  },
  validators: {
    method: 'GET',
    path: '/v1/validators',
    summary: 'The validator set of a height (default: the next height)',
    query: Type.Object({ height: Type.Optional(positiveHeight) }),
    response: ValidatorsSchema,
    errors: { 400: BAD, 404: NOT_FOUND },
  },
  peers: {
    method: 'GET',
    path: '/v1/peers',
    summary:
      "The node's peers: linked peers with organization, validator or not, score and rate-limit drops; banned peers with the reason and until when; failed signature and membership checks by source",
    response: PeersSchema,
    errors: {},
  },
  blockByHash: {
    method: 'GET',
    path: '/v1/blocks/hash/{hash}',
    summary: 'A block by its hash',
    params: Type.Object({ hash }),
    response: BlockSchema,
    errors: { 400: BAD, 404: NOT_FOUND, 410: ['API_PRUNED'] },
  },
  hooks: {
    method: 'GET',
    path: '/v1/blocks/{height}/hooks',
    summary:
      "The block's module hook receipts (they follow its transactions' in the results tree), each with its inclusion proof under header height + 1 (null until that header exists)",
    params: Type.Object({ height }),
    response: HookReceiptsSchema,
    errors: { 400: BAD, 404: NOT_FOUND },
  },
  receipts: {
    method: 'GET',
    path: '/v1/blocks/{height}/receipts',
    summary:
      "The block's transactions' receipts in block order (an indexer's one request per block), each with its inclusion proof under header height + 1 (null until that header exists)",
    params: Type.Object({ height }),
    response: BlockReceiptsSchema,
    errors: { 400: BAD, 404: NOT_FOUND, 410: ['API_PRUNED'] },
  },
  block: {
    method: 'GET',
    path: '/v1/blocks/{height}',
    summary: 'A block with its transactions and commit certificate',
    params: Type.Object({ height }),
    response: BlockSchema,
    errors: { 400: BAD, 404: NOT_FOUND, 410: ['API_PRUNED'] },
  },
  header: {
    method: 'GET',
    path: '/v1/headers/{height}',
    summary: 'A header and its commit certificate (for light clients)',
    params: Type.Object({ height }),
    response: HeaderSchema,
    errors: { 400: BAD, 404: NOT_FOUND },
  },
  submitBatch: {
    method: 'POST',
    path: '/v1/txs/batch',
    summary: 'Submit up to 10,000 signed transactions; each is admitted or refused on its own',
    body: {
      json: SubmitBatchRequestSchema,
      binary:
        'Each transaction as a 4-byte big-endian length and its canonical encoding, back to back (no hex or JSON to parse, for high-rate clients)',
    },
    response: SubmitBatchSchema,
    errors: BODY,
  },
  submit: {
    method: 'POST',
    path: '/v1/txs',
    summary: 'Submit a signed transaction, optionally waiting for its commit',
    body: { json: SubmitRequestSchema },
    response: SubmitSchema,
    alsoOk: { 202: 'Admitted to the mempool (without wait, or the wait ran out)' },
    errors: {
      ...BODY,
      400: ['API_BAD_REQUEST', 'API_BAD_JSON', 'TX_*', 'MEMPOOL_*', 'MEMBER_*', 'AUTH_*'],
      429: ['MEMPOOL_FULL', 'MEMPOOL_SENDER_FULL'],
    },
  },
  tx: {
    method: 'GET',
    path: '/v1/txs/{hash}',
    summary: 'A transaction: status, result, events, block and inclusion proofs',
    params: Type.Object({ hash }),
    response: TxSchema,
    errors: { 400: BAD, 404: NOT_FOUND },
  },
  account: {
    method: 'GET',
    path: '/v1/accounts/{address}',
    summary: "An account's committed and pending nonces",
    params: Type.Object({
      address: Type.String({ pattern: '^[0-9a-fA-F]{42}$', description: '21-byte address' }),
    }),
    response: AccountSchema,
    errors: { 400: BAD },
  },
  query: {
    method: 'GET',
    path: '/v1/query/{module}/{name}',
    summary:
      "A module query; other query parameters are the query's own (each module query has its own path in this document). Without prove it runs on the state after the latest block. With prove=true it runs on the state that header `height` commits to (its stateRoot: the state after block height - 1; default the latest header), and every state key it read comes with a proof.",
    params: Type.Object({ module: moduleName, name: entryName }),
    query: Type.Object({ prove: Type.Optional(Type.Boolean()), height: Type.Optional(positiveHeight) }),
    openQuery: true,
    response: Type.Union([ProvenQuerySchema, QuerySchema]),
    errors: { 400: ['API_BAD_REQUEST', '<MODULE>_*'], 404: ['QUERY_UNKNOWN'] },
  },
  search: {
    method: 'GET',
    path: '/v1/search/{module}/{name}',
    summary:
      "A module's search over the index this node keeps from committed events. Not proven: prove each hit with a proven query.",
    params: Type.Object({ module: moduleName, name: entryName }),
    openQuery: true,
    response: QuerySchema,
    errors: { 400: ['API_BAD_REQUEST', '<MODULE>_*'], 404: ['API_NOT_FOUND'] },
  },
  state: {
    method: 'GET',
    path: '/v1/state/{key}',
    summary: 'One raw state key with its proof against a header (default: the latest)',
    params: Type.Object({
      key: Type.String({
        pattern: '^([0-9a-f]{2}){1,1024}$',
        description: 'Full state key (1-1024 bytes), lowercase hex',
      }),
    }),
    query: Type.Object({ height: Type.Optional(positiveHeight) }),
    response: StateSchema,
    errors: { 400: BAD, 404: NOT_FOUND },
  },
  events: {
    method: 'GET',
    path: '/v1/events',
    summary:
      'WebSocket (upgrade): block, tx and event messages, then caughtUp after a replay from fromHeight. Filters in the URL; attr.NAME=value filters on an attribute (repeatable for other names).',
    query: Type.Object({
      fromHeight: Type.Optional(positiveHeight),
      blocks: Type.Optional(Type.Boolean({ description: 'Send block messages (default true)' })),
      txs: Type.Optional(
        Type.Boolean({
          description: 'Send transaction results (default true; off when events are filtered)',
        }),
      ),
      events: Type.Optional(Type.Boolean({ description: 'Send events (default true)' })),
      module: Type.Optional(Type.String({ description: 'Only events of this module' })),
      type: Type.Optional(Type.String({ description: 'Only events of this type' })),
    }),
    openQuery: true,
    response: EventMessageSchema,
    upgrade: true,
    errors: { 400: BAD, 503: ['API_TOO_MANY_SUBSCRIBERS'] },
  },
  metrics: {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    response: Type.String(),
    produces: 'text/plain',
    errors: {},
  },
  health: {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: 200 while consensus runs, 503 after a fatal failure',
    response: HealthSchema,
    errors: { 503: ['NODE_CONSENSUS_FAILED'] },
  },
} as const satisfies Record<string, ApiRoute>;

export type ApiRouteId = keyof typeof API;

/** The body a route answers with. */
export type ResponseOf<K extends ApiRouteId> = Static<(typeof API)[K]['response']>;

/**
 * A route path as a matcher: literal segments, and `{name}` segments captured (any one
 * segment: the server then checks each against its schema, so a malformed value is a 400
 * naming the parameter rather than a 404).
 */
export function compilePath(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const parts = path
    .split('/')
    .slice(1)
    .map((segment) => {
      if (!segment.startsWith('{')) return segment.replace(/[.~-]/g, (c) => `\\${c}`);
      names.push(segment.slice(1, -1));
      return '([^/]+)';
    });
  return { regex: new RegExp(`^/${parts.join('/')}$`), names };
}

/** The first path parameter that does not match its schema, or undefined. */
export function pathParamProblem(
  route: ApiRoute,
  values: Readonly<Record<string, string>>,
): string | undefined {
  for (const [name, schema] of Object.entries(route.params?.properties ?? {}))
    if (!Value.Check(schema, values[name])) return name;
  return undefined;
}

/**
 * The first query parameter that is not as the route declares it (malformed, repeated, or
 * unknown on a route without `openQuery`), with the reason; undefined when all are.
 */
export function queryParamProblem(
  route: ApiRoute,
  search: Iterable<[string, string]>,
): { parameter: string; message: string } | undefined {
  const declared = route.query?.properties ?? {};
  const seen = new Set<string>();
  for (const [name, value] of search) {
    if (seen.has(name)) return { parameter: name, message: 'is given more than once' };
    seen.add(name);
    const schema = declared[name];
    if (schema === undefined) {
      if (route.openQuery) continue;
      return { parameter: name, message: 'is not a parameter of this endpoint' };
    }
    if (!Value.Check(schema, Value.Convert(schema, value)))
      return { parameter: name, message: `must be ${describe(schema)}` };
  }
  return undefined;
}

function describe(schema: TSchema): string {
  const s = schema as { type?: string; minimum?: number; maximum?: number; pattern?: string };
  if (s.type === 'integer') return `an integer from ${s.minimum ?? '-'} to ${s.maximum ?? '-'}`;
  if (s.type === 'boolean') return 'true or false';
  if (s.pattern) return `a string matching ${s.pattern}`;
  return `a ${s.type ?? 'value'}`;
}

/** The route's path with its `{name}` segments filled in (URI-encoded). */
export function pathOf(route: ApiRoute, values: Readonly<Record<string, string>> = {}): string {
  return route.path.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}

export { Schemas };
