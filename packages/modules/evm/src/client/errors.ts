import { type ErrorDetails, PujiangError } from '@pujiang/types';

/**
 * What the evm client calls raise beyond the SDK's own codes: a call that reverted
 * (`details.data` is the revert data, `0x…`, for an ABI library to decode the reason or
 * custom error) and any other JSON-RPC error of the node (`details.rpcCode`, `details.data`).
 */
export type EvmClientErrorCode = 'EVM_REVERTED' | 'EVM_RPC_ERROR';

export function evmClientError(
  code: EvmClientErrorCode,
  message: string,
  details: ErrorDetails = {},
): PujiangError<EvmClientErrorCode> {
  return new PujiangError<EvmClientErrorCode>(code, message, details);
}
