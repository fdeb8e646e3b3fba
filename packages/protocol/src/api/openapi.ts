import type { TObject, TSchema } from '@sinclair/typebox';
import { API, type ApiRoute } from './routes.js';
import { ErrorBodySchema, SHARED_SCHEMAS } from './schemas.js';

/**
 * OpenAPI 3.1 generated from the API contract: nothing here is written by hand. Schemas that
 * carry an `$id` are published once under `components.schemas` and referenced elsewhere.
 */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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
    const { $id, ...rest } = node;
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
    responses: { ...ok, ...publisher.errorResponses(route.errors) },
  };
}

/** The core API's document; a chain's document adds its modules' paths (see the node's `openApiFor`). */
export function coreOpenApi(publisher = new SchemaPublisher()): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, route] of Object.entries(API) as [string, ApiRoute][]) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(id, route, publisher);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pujiang node API',
      version: '1.0.0',
      description:
        'HTTP/JSON API of a Pujiang node. Bytes are lowercase hex, u64 values decimal strings, heights numbers. Every error is `{"error": {"code", "message", "details"}}` with a stable code. Header H commits to the state after block H-1 (`stateRoot`) and to the receipts of block H-1 (`resultsRoot`).',
    },
    paths,
    components: { schemas: publisher.components },
  };
}
