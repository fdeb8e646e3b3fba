import type { ChainModule, ModuleRoute, QueryDefinition, TObject } from '@pujiang/module-kit';
import { openApiDocument } from './openapi.js';

/**
 * The OpenAPI document of a chain: the core API plus, from each enabled module's
 * definitions, a path per typed query (`/v1/query/<module>/<name>` with its parameters and
 * result) and per route. Nothing here is kept by hand: it is derived from the same schemas
 * the node checks requests against.
 */
export function openApiFor(modules: readonly ChainModule[]): Record<string, unknown> {
  const paths: Record<string, unknown> = { ...openApiDocument.paths };
  for (const module of modules) {
    for (const [name, query] of Object.entries(module.queries ?? {}))
      paths[`/v1/query/${module.name}/${name}`] = { get: queryOperation(module, name, query) };
    for (const [name, search] of Object.entries(module.searches ?? {}))
      paths[`/v1/search/${module.name}/${name}`] = {
        get: {
          summary: `${module.name}/${name}: ${search.summary} (unproven: prove hits with queries)`,
          tags: [module.name],
          parameters: parametersOf(search.params, 'query'),
          responses: {
            '200': {
              description: 'The result and the height of the state it was read from',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { height: { type: 'integer' }, result: search.result },
                    required: ['height', 'result'],
                  },
                },
              },
            },
            '400': errorResponse(`Malformed parameters (${search.invalidParams})`),
          },
        },
      };
    for (const route of module.routes ?? []) {
      const existing = (paths[route.path] ?? {}) as Record<string, unknown>;
      paths[route.path] = { ...existing, [route.method.toLowerCase()]: routeOperation(module, route) };
    }
  }
  return { ...openApiDocument, paths };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function parametersOf(schema: TObject | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

function queryOperation(module: ChainModule, name: string, query: QueryDefinition) {
  const codes = [query.invalidParams, ...Object.values(query.paramCodes ?? {})];
  return {
    summary: `${module.name}/${name}: ${query.summary}`,
    tags: [module.name],
    parameters: [
      ...parametersOf(query.params, 'query'),
      { name: 'prove', in: 'query', required: false, schema: { type: 'boolean' } },
      { name: 'height', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
    ],
    responses: {
      '200': {
        description: 'The result (with prove=true, also stateRoot and the proven reads)',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { height: { type: 'integer' }, result: query.result },
              required: ['height', 'result'],
            },
          },
        },
      },
      '400': errorResponse(`Malformed parameters (${[...new Set(codes)].join(', ')})`),
    },
  };
}

function routeOperation(module: ChainModule, route: ModuleRoute) {
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  return {
    summary: route.summary,
    tags: [module.name],
    parameters: [
      ...pathNames.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...parametersOf(route.query, 'query'),
    ],
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }),
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: route.response } } },
      '400': errorResponse(`Bad input (${[route.invalidInput, ...(route.errors ?? [])].join(', ')})`),
    },
  };
}
