import type { RouteHost } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import { RpcBudget } from './budget.js';
import { RPC, RpcError } from './errors.js';
import { METHODS, type Method } from './methods.js';

/** At most this many calls in one batch. */
export const MAX_BATCH = 100;

type Id = string | number | null;

interface Answer {
  jsonrpc: '2.0';
  id: Id;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

const errorAnswer = (id: Id, error: RpcError): Answer => ({
  jsonrpc: '2.0',
  id,
  error: {
    code: error.code,
    message: error.message,
    ...(error.data === undefined ? {} : { data: error.data }),
  },
});

async function answer(
  host: RouteHost,
  call: unknown,
  budget: RpcBudget,
  extra?: Readonly<Record<string, Method>>,
): Promise<Answer> {
  if (typeof call !== 'object' || call === null || Array.isArray(call))
    return errorAnswer(null, new RpcError(RPC.INVALID_REQUEST, 'a call is an object'));
  const { jsonrpc, id, method, params } = call as Record<string, unknown>;
  const idOk = id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
  const safeId = idOk ? ((id ?? null) as Id) : null;
  if (jsonrpc !== '2.0' || !idOk || typeof method !== 'string')
    return errorAnswer(
      safeId,
      new RpcError(RPC.INVALID_REQUEST, 'expected {jsonrpc: "2.0", id, method, params}'),
    );
  if (params !== undefined && !Array.isArray(params))
    return errorAnswer(safeId, new RpcError(RPC.INVALID_PARAMS, 'params must be an array'));
  const run =
    extra !== undefined && Object.hasOwn(extra, method)
      ? extra[method]
      : Object.hasOwn(METHODS, method)
        ? METHODS[method]
        : undefined;
  if (run === undefined)
    return errorAnswer(
      safeId,
      new RpcError(RPC.METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`),
    );
  try {
    return {
      jsonrpc: '2.0',
      id: safeId,
      result: await run(host, (params as unknown[] | undefined) ?? [], budget),
    };
  } catch (error) {
    if (error instanceof RpcError) return errorAnswer(safeId, error);
    if (isPujiangError(error))
      return errorAnswer(
        safeId,
        new RpcError(RPC.INVALID_INPUT, `${error.code}: ${error.message}`, { code: error.code }),
      );
    throw error;
  }
}

/** One call or a batch (at most `MAX_BATCH`), answered as JSON-RPC 2.0 (over HTTP and WebSocket alike). */
export async function dispatch(
  host: RouteHost,
  body: unknown,
  extra?: Readonly<Record<string, Method>>,
): Promise<unknown> {
  if (Array.isArray(body)) {
    if (body.length === 0) return errorAnswer(null, new RpcError(RPC.INVALID_REQUEST, 'an empty batch'));
    if (body.length > MAX_BATCH)
      return errorAnswer(null, new RpcError(RPC.LIMIT_EXCEEDED, `a batch holds at most ${MAX_BATCH} calls`));
    const answers: Answer[] = [];
    const budget = new RpcBudget();
    for (const call of body) answers.push(await answer(host, call, budget, extra));
    return answers;
  }
  return answer(host, body, new RpcBudget(), extra);
}

export const parseError = (): Answer => errorAnswer(null, new RpcError(RPC.PARSE_ERROR, 'not JSON'));
