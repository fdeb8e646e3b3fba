import { type ChainClient, objectArgument } from '@pujiang/module-kit';
import { concatBytes } from '@pujiang/types';
import { type Hex, hexDataArgument } from '../verify/arguments.js';
import {
  type EvmSendParameters,
  type EvmTransactionReturnType,
  prepareEvmMessage,
  sendEvmMessage,
} from './send.js';

export type DeployContractParameters = EvmSendParameters & {
  /** The contract's creation bytecode (the artifact's `bytecode`), hex or bytes. */
  bytecode: string | Uint8Array;
  /** The constructor's ABI-encoded arguments, appended to the bytecode (viem's `encodeAbiParameters`, ethers' `Interface.encodeDeploy`). */
  constructorData?: string | Uint8Array;
};

export interface DeployContractReturnType extends EvmTransactionReturnType {
  /** The new contract's address, once committed (with `wait`) and successful. */
  readonly contractAddress?: Hex;
}

/**
 * Deploys a contract from a native account of any suite (SM2, Ed25519, ML-DSA, secp256k1):
 * an `evm/deploy` transaction with the payload `0x00 || EvmCall {to: empty, value, data:
 * bytecode || constructorData}`, under the chain's `evm/deploy` policy. With `wait` the
 * answer has the receipt and the contract's address (the `executed` event's `created`); a
 * deployment that failed in its block throws `TransactionFailedError` (unless
 * `throwOnFailure` is false). Arguments are checked first (`SDK_INVALID_ARGUMENT`).
 */
export async function deployContract(
  client: ChainClient,
  parameters: DeployContractParameters,
): Promise<DeployContractReturnType> {
  const p = objectArgument(parameters, 'parameters');
  const bytecode = hexDataArgument(p.bytecode, 'bytecode', true);
  const data =
    p.constructorData === undefined
      ? bytecode
      : concatBytes(bytecode, hexDataArgument(p.constructorData, 'constructorData'));
  const message = prepareEvmMessage(p, undefined, data);
  const { created, ...outcome } = await sendEvmMessage(client, 'deploy', p, message, undefined, data);
  return { ...outcome, ...(created === undefined ? {} : { contractAddress: created }) };
}
