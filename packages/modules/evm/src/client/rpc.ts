import { type ChainClient, type RequestOptions, sdkError } from '@pujiang/module-kit';
import { evmClientError } from './errors.js';

/** geth's code for a call that reverted (its revert data in `data`). */
const EXECUTION_REVERTED = 3;

let nextId = 1;

/**
 * One Ethereum JSON-RPC call through the node's `/rpc` route (signed as the client signs
 * its requests). A JSON-RPC error is typed: a revert is `EVM_REVERTED` with the revert
 * data in `details.data`; anything else `EVM_RPC_ERROR` with the JSON-RPC code and data.
 */
export async function rpcRequest(
  client: ChainClient,
  method: string,
  params: readonly unknown[],
  options?: RequestOptions,
): Promise<unknown> {
  const id = nextId++;
  const answer = (await client.requestRoute(
    'POST',
    '/rpc',
    { jsonrpc: '2.0', id, method, params },
    options,
  )) as {
    id?: unknown;
    result?: unknown;
    error?: { code?: unknown; message?: unknown; data?: unknown };
  } | null;
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer) || answer.id !== id)
    throw sdkError('SDK_BAD_RESPONSE', `${method}: not a JSON-RPC answer to the call`, { field: 'id' });
  const { error } = answer;
  if (error === undefined) return answer.result;
  const message = typeof error?.message === 'string' ? error.message : `${method} failed`;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  if (code === EXECUTION_REVERTED)
    throw evmClientError('EVM_REVERTED', message, {
      data: typeof error.data === 'string' ? error.data : '0x',
      method,
    });
  throw evmClientError('EVM_RPC_ERROR', `${method}: ${message}`, {
    method,
    ...(code === undefined ? {} : { rpcCode: code }),
    ...(error?.data === undefined ? {} : { data: error.data as never }),
  });
}

/** A JSON-RPC quantity (`0x…`, no leading zeros) as a bigint; anything else is `SDK_BAD_RESPONSE`. */
export function quantityOf(value: unknown, method: string): bigint {
  if (typeof value !== 'string' || !/^0x(0|[1-9a-f][0-9a-f]*)$/i.test(value))
    throw sdkError('SDK_BAD_RESPONSE', `${method}: the result is not a quantity`, { field: 'result' });
  return BigInt(value);
}

export const quantity = (n: bigint): string => `0x${n.toString(16)}`;
