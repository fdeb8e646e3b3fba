import { type ChainClient, objectArgument } from '@pujiang/module-kit';
import { evmAddressArgument, hexDataArgument } from '../verify/arguments.js';
import {
  type EvmSendParameters,
  type EvmTransactionReturnType,
  prepareEvmMessage,
  sendEvmMessage,
} from './send.js';

export type CallContractParameters = EvmSendParameters & {
  /** The contract (or account): 40 hex digits (0x optional, EIP-55 checked) or 20 bytes. */
  to: string | Uint8Array;
  /** The call data: selector and ABI-encoded arguments (viem's `encodeFunctionData`); default empty. */
  data?: string | Uint8Array;
};

export type CallContractReturnType = EvmTransactionReturnType;

/**
 * Calls a contract in a transaction from a native account of any suite: an `evm/call`
 * transaction with the payload `0x00 || EvmCall {to, value, data}`, under the chain's
 * `evm/call` policy. With `wait` the answer has the receipt, the gas and the contract's
 * logs (`logs`, for an ABI library to decode); a call that reverted in its block throws
 * `TransactionFailedError` with the revert data in the receipt's message (unless
 * `throwOnFailure` is false). For a read without a transaction, `readContract`.
 */
export async function callContract(
  client: ChainClient,
  parameters: CallContractParameters,
): Promise<CallContractReturnType> {
  const p = objectArgument(parameters, 'parameters');
  const to = evmAddressArgument(p.to, 'to');
  const data = p.data === undefined ? new Uint8Array(0) : hexDataArgument(p.data, 'data');
  const message = prepareEvmMessage(p, to, data);
  const { created: _created, ...outcome } = await sendEvmMessage(client, 'call', p, message, to, data);
  return outcome;
}
