/** The indexer's read API (`pujiang index --listen`, docs/indexer.md), when the operator configured one. */
export interface IndexedTx {
  readonly hash: string;
  readonly height: number;
  readonly index: number;
  readonly sender: string;
  readonly module: string;
  readonly type: string;
  readonly code: string;
  readonly gasUsed: number;
}

export interface IndexedBlock {
  readonly height: number;
  readonly hash: string;
  readonly time: string | number;
  readonly txCount: number;
}

export async function indexerGet<T>(
  base: string,
  path: string,
  params: Record<string, string | number | undefined> = {},
): Promise<T> {
  const url = new URL(`${base}${path}`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    throw Object.assign(new Error(body?.error?.message ?? `indexer: HTTP ${response.status}`), {
      code: body?.error?.code ?? 'INDEXER_UNAVAILABLE',
    });
  }
  return (await response.json()) as T;
}
