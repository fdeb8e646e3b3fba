import type { PujiangClient } from '@pujiang/sdk/browser';

/** One URL parameter of a module query, from the node's OpenAPI document. */
export interface QueryParam {
  readonly name: string;
  readonly required: boolean;
  readonly type: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly description?: string;
}

export interface ModuleInfo {
  readonly name: string;
  readonly messages: readonly string[];
  readonly queries: readonly string[];
  readonly events: Readonly<Record<string, readonly string[]>> | null;
  readonly routes: readonly string[];
  /** Each query's parameters (`prove` and `height` are the API's own, left out). */
  readonly params: Readonly<Record<string, readonly QueryParam[]>>;
  readonly summaries: Readonly<Record<string, string>>;
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { type?: string; pattern?: string; minimum?: number; maximum?: number; description?: string };
}

const RESERVED = new Set(['prove', 'height']);

/** The node's enabled modules (GET /v1/modules), with their query parameters (GET /v1/openapi.json). */
export async function loadModules(client: PujiangClient): Promise<ModuleInfo[]> {
  const [modules, openapi] = await Promise.all([
    client.requestRoute('GET', '/v1/modules') as Promise<{
      modules: Omit<ModuleInfo, 'params' | 'summaries'>[];
    }>,
    client.requestRoute('GET', '/v1/openapi.json') as Promise<{
      paths: Record<string, { get?: { summary?: string; parameters?: OpenApiParameter[] } }>;
    }>,
  ]);
  return modules.modules.map((m) => {
    const params: Record<string, QueryParam[]> = {};
    const summaries: Record<string, string> = {};
    for (const q of m.queries) {
      const op = openapi.paths[`/v1/query/${m.name}/${q}`]?.get;
      summaries[q] = op?.summary?.replace(/^[^:]*:\s*/, '') ?? '';
      params[q] = (op?.parameters ?? [])
        .filter((p) => p.in === 'query' && !RESERVED.has(p.name))
        .map((p) => ({
          name: p.name,
          required: p.required === true,
          type: p.schema?.type ?? 'string',
          ...(p.schema?.pattern ? { pattern: p.schema.pattern } : {}),
          ...(p.schema?.minimum !== undefined ? { minimum: p.schema.minimum } : {}),
          ...(p.schema?.maximum !== undefined ? { maximum: p.schema.maximum } : {}),
          ...(p.description || p.schema?.description
            ? { description: (p.description ?? p.schema?.description)! }
            : {}),
        }));
    }
    return { ...m, params, summaries };
  });
}
