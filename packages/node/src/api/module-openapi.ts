import type { ChainModule, ModuleRoute, QueryDefinition, TObject, TSchema } from '@pujiang/module-kit';
import {
  coreOpenApi,
  finishOpenApi,
  type OpenApiDocument,
  SchemaPublisher,
  StateReadSchema,
} from '@pujiang/protocol';

/**
 * The OpenAPI document of a chain: the core API (generated from the API contract) plus, from
 * each enabled module's definitions, a path per typed query (`/v1/query/<module>/<name>`),
 * per search and per route. Nothing here is kept by hand: it is derived from the same schemas
 * the node checks requests against.
 */
export function openApiFor(modules: readonly ChainModule[]): OpenApiDocument {
  const publisher = new SchemaPublisher();
  const document = coreOpenApi(publisher);
  const paths = document.paths;
  for (const module of modules) {
    for (const [name, query] of Object.entries(module.queries ?? {}))
      paths[`/v1/query/${module.name}/${name}`] = { get: queryOperation(publisher, module, name, query) };
    for (const [name, search] of Object.entries(module.searches ?? {}))
      paths[`/v1/search/${module.name}/${name}`] = {
        get: {
          operationId: `${module.name}.search.${name}`,
          summary: `${module.name}/${name}: ${search.summary} (unproven: prove hits with queries)`,
          tags: [module.name],
          parameters: publisher.parameters(search.params, 'query'),
          responses: {
            '200': answer(
              publisher,
              'The result and the height of the state it was read from',
              search.result,
            ),
            ...publisher.errorResponses({ 400: [search.invalidParams] }),
          },
        },
      };
    for (const route of module.routes ?? []) {
      paths[route.path] ??= {};
      paths[route.path]![route.method.toLowerCase()] = routeOperation(publisher, module, route);
    }
  }
  return finishOpenApi({
    ...document,
    components: { ...document.components, schemas: publisher.components },
  });
}

function answer(publisher: SchemaPublisher, description: string, result: TSchema, proven = false) {
  const plain = { height: { type: 'integer' }, result: publisher.schema(result) };
  return {
    description,
    content: {
      'application/json': {
        schema: proven
          ? {
              anyOf: [
                { type: 'object', properties: plain, required: ['height', 'result'] },
                {
                  type: 'object',
                  properties: {
                    ...plain,
                    stateRoot: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                    reads: { type: 'array', items: publisher.schema(StateReadSchema) },
                  },
                  required: ['height', 'result', 'stateRoot', 'reads'],
                },
              ],
            }
          : { type: 'object', properties: plain, required: ['height', 'result'] },
      },
    },
  };
}

function queryOperation(
  publisher: SchemaPublisher,
  module: ChainModule,
  name: string,
  query: QueryDefinition,
) {
  const codes = [query.invalidParams, ...Object.values(query.paramCodes ?? {})];
  return {
    operationId: `${module.name}.query.${name}`,
    summary: `${module.name}/${name}: ${query.summary}`,
    tags: [module.name],
    parameters: [
      ...publisher.parameters(query.params, 'query'),
      { name: 'prove', in: 'query', required: false, schema: { type: 'boolean' } },
      { name: 'height', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
    ],
    responses: {
      '200': answer(
        publisher,
        'The result (with prove=true, also stateRoot and the proven reads)',
        query.result,
        true,
      ),
      ...publisher.errorResponses({ 400: [...new Set(codes)], 404: ['API_NOT_FOUND'] }),
    },
  };
}

function routeOperation(publisher: SchemaPublisher, module: ChainModule, route: ModuleRoute) {
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  return {
    // URL-safe: letters, digits and . _ - only (the path's braces and slashes folded).
    operationId: `${module.name}.${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '')}`,
    summary: route.summary,
    tags: [module.name],
    ...(route.bearer ? { security: [{ bearerToken: [] }] } : {}),
    parameters: [
      ...pathNames.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...publisher.parameters(route.query as TObject | undefined, 'query'),
    ],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: publisher.schema(route.body) } },
          },
        }),
    responses: route.replies
      ? Object.fromEntries(
          Object.entries(route.replies).map(([status, reply]) => [
            status,
            {
              description: reply.description,
              content: Object.fromEntries(
                (reply.mediaTypes ?? ['application/json']).map((media) => [
                  media,
                  { schema: publisher.schema(reply.schema) },
                ]),
              ),
            },
          ]),
        )
      : {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: publisher.schema(route.response) } },
          },
          ...publisher.errorResponses({ 400: [route.invalidInput, ...(route.errors ?? [])] }),
        },
  };
}
