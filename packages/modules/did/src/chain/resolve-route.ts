import { defineRoute, type RouteHost, RouteReply, Type } from '@pujiang/module-kit';
import { didMethodOf, parsePujiangDid } from '../did-syntax.js';
import {
  DID_JSON,
  DID_LD_JSON,
  type DidState,
  RESOLUTION_MEDIA_TYPE,
  resolutionError,
  resolutionResult,
} from '../resolution.js';

/** What each `Accept` asks for: the resolution result, or the document alone in one of its representations. */
function representationFor(
  accept: string | undefined,
): 'result' | typeof DID_LD_JSON | typeof DID_JSON | undefined {
  if (accept === undefined || accept.trim() === '') return 'result';
  const types = accept.split(',').map((t) => t.trim().toLowerCase());
  for (const type of types) {
    const base = type.split(';')[0]!.trim();
    if (base === 'application/ld+json' && (type.includes('did-resolution') || !type.includes('profile')))
      return 'result';
    if (base === 'application/did-resolution' || base === 'application/json' || base === '*/*')
      return 'result';
    if (base === DID_LD_JSON) return DID_LD_JSON;
    if (base === DID_JSON) return DID_JSON;
  }
  return undefined;
}

const fail = (status: number, error: string, message: string) =>
  new RouteReply(status, resolutionError(error, message), RESOLUTION_MEDIA_TYPE);

/** `versionTime` as DID Core writes it (an XML datetime, UTC), in ms; undefined if malformed. */
function parseVersionTime(text: string): bigint | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? BigInt(ms) : undefined;
}

function resolve(
  host: RouteHost,
  did: string,
  query: { versionId?: string; versionTime?: string; proof?: string },
  accept: string | undefined,
): RouteReply {
  const representation = representationFor(accept);
  if (representation === undefined)
    return fail(
      406,
      'representationNotSupported',
      `cannot answer ${accept}; ask for a DID Resolution result or a DID document`,
    );
  const method = didMethodOf(did);
  if (method === undefined) return fail(400, 'invalidDid', `${did} is not a DID`);
  if (method !== 'pujiang')
    return fail(501, 'methodNotSupported', `this resolver resolves did:pujiang, not did:${method}`);
  const parsed = parsePujiangDid(did);
  if (!parsed) return fail(400, 'invalidDid', `${did} is not a well-formed did:pujiang DID`);
  if (parsed.namespace !== host.chainId)
    return fail(
      404,
      'notFound',
      `${did} belongs to chain ${parsed.namespace}; this node serves ${host.chainId}`,
    );
  const params: Record<string, string> = { did };
  if (query.versionId !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(query.versionId) || Number(query.versionId) > 0xffff_ffff)
      return fail(400, 'invalidDidUrl', 'versionId must be a version number (1, 2, ...)');
    params.versionId = query.versionId;
  }
  if (query.versionTime !== undefined) {
    const time = parseVersionTime(query.versionTime);
    if (time === undefined || params.versionId !== undefined)
      return fail(
        400,
        'invalidDidUrl',
        'versionTime must be an XML datetime in UTC (2026-01-01T00:00:00Z), without versionId',
      );
    params.versionTime = String(time);
  }
  if (query.proof !== undefined && query.proof !== 'true' && query.proof !== 'false')
    return fail(400, 'invalidOptions', 'proof must be true or false');
  const proven = query.proof === 'true' ? host.queryProven('did', 'resolve', params) : undefined;
  const { state } = (proven?.result ?? host.query('did', 'resolve', params)) as { state: DidState | null };
  if (state === null)
    return fail(
      404,
      'notFound',
      params.versionId || params.versionTime ? `${did} has no such version` : `${did} was not found`,
    );
  const proof = proven && { height: proven.height, stateRoot: proven.stateRoot, reads: proven.reads };
  const status = state.deactivated ? 410 : 200;
  if (representation !== 'result') {
    const result = resolutionResult(state, representation);
    return new RouteReply(status, result.didDocument, representation);
  }
  return new RouteReply(status, resolutionResult(state, DID_LD_JSON, proof), RESOLUTION_MEDIA_TYPE);
}

const ResolutionResult = Type.Object({
  '@context': Type.Optional(Type.String()),
  didDocument: Type.Unknown(),
  didDocumentMetadata: Type.Record(Type.String(), Type.Unknown()),
  didResolutionMetadata: Type.Record(Type.String(), Type.Unknown()),
});
const DidDocumentJson = Type.Object({ id: Type.String() }, { additionalProperties: true });

/** A resolution that failed: the result with `didResolutionMetadata.error`, in the resolution media type. */
const resolutionFailure = (description: string) => ({
  description,
  schema: Type.Object({
    '@context': Type.Optional(Type.String()),
    didDocument: Type.Null(),
    didDocumentMetadata: Type.Record(Type.String(), Type.Unknown()),
    didResolutionMetadata: Type.Object(
      { error: Type.String(), errorMessage: Type.Optional(Type.String()) },
      { additionalProperties: true },
    ),
  }),
  mediaTypes: [RESOLUTION_MEDIA_TYPE],
});

/** W3C DID Resolution over HTTP(S) at the Universal Resolver's path. */
export const resolveRoute = defineRoute({
  method: 'GET',
  path: '/1.0/identifiers/{did}',
  wellKnown: true,
  // Public by design, even where a node's reads are members-only.
  public: true,
  summary:
    'Resolves a DID (W3C DID Resolution): the resolution result, or the document alone by Accept; versionId, versionTime and proof=true (state proofs for the SDK to check)',
  query: Type.Object({
    versionId: Type.Optional(Type.String({ maxLength: 16 })),
    versionTime: Type.Optional(Type.String({ maxLength: 40 })),
    proof: Type.Optional(Type.String({ maxLength: 8 })),
  }),
  response: ResolutionResult,
  errors: ['invalidDid', 'invalidDidUrl', 'notFound', 'methodNotSupported', 'representationNotSupported'],
  replies: {
    200: {
      description: 'The DID Resolution result, or by Accept the DID document alone',
      schema: Type.Union([ResolutionResult, DidDocumentJson]),
      mediaTypes: [RESOLUTION_MEDIA_TYPE, DID_LD_JSON, DID_JSON],
    },
    400: resolutionFailure('invalidDid, invalidDidUrl or invalidOptions'),
    404: resolutionFailure('notFound: not on this chain, or no such version'),
    406: resolutionFailure('representationNotSupported: the Accept header asks for neither'),
    410: {
      description: 'Deactivated: the result (or document) with didDocumentMetadata.deactivated',
      schema: Type.Union([ResolutionResult, DidDocumentJson]),
      mediaTypes: [RESOLUTION_MEDIA_TYPE, DID_LD_JSON, DID_JSON],
    },
    501: resolutionFailure('methodNotSupported: not a did:pujiang DID'),
  },
  invalidInput: 'DID_BAD_QUERY',
  handle: (host, { path, query, headers }) => resolve(host, path.did!, query, headers.accept),
});
