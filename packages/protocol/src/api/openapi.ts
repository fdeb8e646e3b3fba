import type { TObject, TSchema } from '@sinclair/typebox';
import { API, type ApiRoute } from './routes.js';
import { ErrorBodySchema, SHARED_SCHEMAS } from './schemas.js';

/**
 * OpenAPI 3.1 generated from the API contract: nothing here is written by hand. Schemas that
 * carry an `$id` are published once under `components.schemas` and referenced elsewhere.
 */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    description: string;
    license?: { name: string; identifier: string };
  };
  servers?: { url: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
    responses?: Record<string, unknown>;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * TypeBox writes a tuple in draft-07's form (`items` as a list, `additionalItems: false`);
 * OpenAPI 3.1 is JSON Schema 2020-12, where that is `prefixItems` and `items: false`.
 */
function tuplesAsPrefixItems(node: { [key: string]: Json }): { [key: string]: Json } {
  if (!Array.isArray(node.items)) return node;
  const { items, additionalItems, ...rest } = node;
  return { ...rest, prefixItems: items, ...(additionalItems === false ? { items: false } : {}) };
}

/** Builds JSON Schema for OpenAPI: `$id`'d subschemas become `$ref`s into `components`. */
export class SchemaPublisher {
  readonly components: Record<string, unknown> = {};

  constructor() {
    for (const schema of [ErrorBodySchema, ...SHARED_SCHEMAS]) this.schema(schema);
  }

  /** The schema as plain JSON (TypeBox's symbol keys dropped), with `$id`'d parts referenced. */
  schema(schema: TSchema): unknown {
    return this.walk(JSON.parse(JSON.stringify(schema)) as Json);
  }

  private walk(node: Json): Json {
    if (Array.isArray(node)) return node.map((item) => this.walk(item));
    if (node === null || typeof node !== 'object') return node;
    const { $id, ...rest } = tuplesAsPrefixItems(node);
    const body: Record<string, Json> = {};
    for (const [key, value] of Object.entries(rest)) body[key] = this.walk(value);
    if (typeof $id !== 'string') return body;
    this.components[$id] ??= body;
    return { $ref: `#/components/schemas/${$id}` };
  }

  parameters(schema: TObject | undefined, where: 'path' | 'query'): unknown[] {
    if (!schema) return [];
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties).map(([name, s]) => {
      const { description, ...rest } = this.schema(s) as { description?: string };
      return {
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description === undefined ? {} : { description }),
        schema: rest,
      };
    });
  }

  errorResponses(errors: ApiRoute['errors']): Record<string, unknown> {
    const responses: Record<string, unknown> = {};
    for (const [status, codes] of Object.entries(errors))
      responses[status] = {
        description: `Refused: ${codes.join(', ')}`,
        content: { 'application/json': { schema: this.schema(ErrorBodySchema) } },
      };
    return responses;
  }
}

/** The OpenAPI operation of one route of the contract. */
export function operationOf(
  id: string,
  route: ApiRoute,
  publisher: SchemaPublisher,
): Record<string, unknown> {
  const media = route.produces ?? 'application/json';
  const ok = route.upgrade
    ? {
        '101': {
          description: 'Switching to WebSocket; each message is `x-message-schema`',
          'x-message-schema': publisher.schema(route.response),
        },
      }
    : {
        '200': { description: 'OK', content: { [media]: { schema: publisher.schema(route.response) } } },
        ...Object.fromEntries(
          Object.entries(route.alsoOk ?? {}).map(([status, description]) => [
            status,
            { description, content: { [media]: { schema: publisher.schema(route.response) } } },
          ]),
        ),
      };
  const body = route.body
    ? {
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: publisher.schema(route.body.json) },
            ...(route.body.binary
              ? {
                  'application/octet-stream': {
                    schema: { type: 'string', format: 'binary', description: route.body.binary },
                  },
                }
              : {}),
          },
        },
      }
    : {};
  return {
    operationId: id,
    summary: route.summary,
    tags: [route.path.startsWith('/v1/') ? 'core' : 'operations'],
    parameters: [
      ...publisher.parameters(route.params, 'path'),
      ...publisher.parameters(route.query, 'query'),
    ],
    ...body,
    // Unknown or repeated query parameters are refused on every route that does not take the module's own.
    responses: {
      ...ok,
      ...publisher.errorResponses(
        route.errors[400] || route.openQuery ? route.errors : { 400: ['API_BAD_REQUEST'], ...route.errors },
      ),
    },
  };
}

/** The core API's document; a chain's document adds its modules' paths (see the node's `openApiFor`). */
export function coreOpenApi(publisher = new SchemaPublisher()): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, route] of Object.entries(API) as [string, ApiRoute][]) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(id, route, publisher);
  }
  return finishOpenApi({
    openapi: '3.1.0',
    info: {
      title: 'Pujiang node API',
      version: '1.0.0',
      description:
        'HTTP/JSON API of a Pujiang node. Bytes are lowercase hex, u64 values decimal strings, heights numbers. Every error is `{"error": {"code", "message", "details"}}` with a stable code. Header H commits to the state after block H-1 (`stateRoot`) and to the receipts of block H-1 (`resultsRoot`). Any operation may answer 503 (`API_BUSY`: too many request bytes in flight; `STORAGE_CLOSED`: the node is stopping); a method a path does not have is 405 `API_METHOD_NOT_ALLOWED`, an unknown path 404 `API_NOT_FOUND`. A node whose config says `api.reads: "members"` serves reads (GET, the event stream) only to requests a registered member signed (HTTP Message Signatures, RFC 9421: label `pujiang`, covering `@method`, `@path`, `@query` and, with a body, `content-digest`; parameters `created`, `nonce`, `keyid` = the member address, `alg` = its suite), except status, genesis, modules, this document, metrics, health and the public standards routes (DID resolution, status lists, credential verification); others get 401 (`API_UNAUTHENTICATED`, `API_SIGNATURE_MALFORMED`, `API_SIGNATURE_INVALID`, `API_SIGNATURE_EXPIRED`, `API_SIGNATURE_REPLAYED`) or 403 (`API_FORBIDDEN`: the signer is not a valid member).',
    },
    paths,
    components: { schemas: publisher.components },
  });
}

const UNAVAILABLE = 'Unavailable';

/**
 * What every document of a node shares, applied last: where it is served (relative to the
 * node that serves it), the license, the bearer-token scheme of routes that want one (others
 * are public: `security: []`), and the 503 any operation may answer.
 */
export function finishOpenApi(document: OpenApiDocument): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, operations] of Object.entries(document.paths)) {
    paths[path] = {};
    for (const [method, operation] of Object.entries(operations)) {
      const op = operation as { security?: unknown; responses: Record<string, unknown> };
      paths[path]![method] = {
        ...op,
        security: op.security ?? [],
        responses: {
          ...op.responses,
          '503': op.responses['503'] ?? { $ref: `#/components/responses/${UNAVAILABLE}` },
        },
      };
    }
  }
  return {
    ...document,
    info: { ...document.info, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    servers: [
      { url: '/', description: 'The node that serves this document (npm start: http://127.0.0.1:26657)' },
    ],
    paths,
    components: {
      ...document.components,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: "A token the node's configuration accepts (the VC-API's issuing and status routes)",
        },
      },
      responses: {
        [UNAVAILABLE]: {
          description:
            'API_BUSY (too many request bytes in flight: retry shortly) or STORAGE_CLOSED (the node is stopping)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
