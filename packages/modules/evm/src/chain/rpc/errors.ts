/**
 * JSON-RPC 2.0 errors with the codes of the specification and of EIP-1474, and geth's
 * `3` with the revert data for an execution that reverted, which ethers and viem decode
 * into the contract's reason or custom error.
 */
export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** EIP-1474: missing or invalid parameters. */
  INVALID_INPUT: -32000,
  RESOURCE_NOT_FOUND: -32001,
  RESOURCE_UNAVAILABLE: -32002,
  TRANSACTION_REJECTED: -32003,
  METHOD_NOT_SUPPORTED: -32004,
  LIMIT_EXCEEDED: -32005,
  /** geth: execution reverted, `data` the revert data. */
  EXECUTION_REVERTED: 3,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const invalidParams = (message: string): RpcError => new RpcError(RPC.INVALID_PARAMS, message);
