import {
  type ChainClient,
  heightArgument,
  objectArgument,
  type RequestOptions,
  sdkError,
} from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { evmAddressArgument, type Hex, hexDataArgument, ox, weiArgument } from '../verify/arguments.js';
import { quantity, rpcRequest } from './rpc.js';

export type ReadContractParameters = RequestOptions & {
  /** The contract: 40 hex digits (0x optional, EIP-55 checked) or 20 bytes. */
  to: string | Uint8Array;
  /** The call data: the function's selector and ABI-encoded arguments (hex or bytes). */
  data: string | Uint8Array;
  /** The caller (`msg.sender`); default the zero address. */
  from?: string | Uint8Array;
  /** Wei sent with the call (default 0). */
  value?: bigint | number | string;
  /** The state after this block (default: the latest). */
  height?: number;
};

/** What the function returned: its ABI-encoded return data, `0x…`. */
export type ReadContractReturnType = Hex;

/**
 * Runs a contract call on the node's state without a transaction (`eth_call` through the
 * node's `/rpc`): nothing is signed, sent or kept. A call that reverts throws `EVM_REVERTED`
 * with the revert data in `details.data` (decode it with the contract's ABI); any other
 * JSON-RPC error is `EVM_RPC_ERROR`. Decode the answer with an ABI library (viem's
 * `decodeFunctionResult`, ethers' `Interface`).
 */
export async function readContract(
  client: ChainClient,
  parameters: ReadContractParameters,
): Promise<ReadContractReturnType> {
  const { to, data, from, value, height, ...request } = objectArgument(parameters, 'parameters');
  const call = {
    to: ox(evmAddressArgument(to, 'to')),
    data: ox(bytesToHex(hexDataArgument(data, 'data'))),
    ...(from === undefined ? {} : { from: ox(evmAddressArgument(from, 'from')) }),
    ...(value === undefined ? {} : { value: quantity(weiArgument(value, 'value')) }),
  };
  const tag = height === undefined ? 'latest' : quantity(BigInt(heightArgument(height, 'height')));
  const result = await rpcRequest(client, 'eth_call', [call, tag], request);
  if (typeof result !== 'string' || !/^0x([0-9a-f]{2})*$/i.test(result))
    throw sdkError('SDK_BAD_RESPONSE', 'eth_call: the result is not hex data', { field: 'result' });
  return result.toLowerCase() as Hex;
}
