import { deriveAddress, type KeyPair } from '@pujiang/crypto';
import {
  type ChainClient,
  encodePayload,
  keyPairArgument,
  objectArgument,
  type RequestOptions,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  toU64,
} from '@pujiang/module-kit';
import type { Receipt, SubmitResponse } from '@pujiang/protocol';
import { bytesToHex, concatBytes, hexToBytes } from '@pujiang/types';
import { EVM_MODULE, EvmCall, evmAddressOf, NATIVE_CALL_TAG } from '../formats.js';
import { type Hex, ox, trimmedBytes, weiArgument } from '../verify/arguments.js';
import { type EvmLog, evmLogsOf } from './logs.js';
import { quantity, quantityOf, rpcRequest } from './rpc.js';

/**
 * What a native contract transaction takes beyond its call: the signing key (any suite),
 * and `sendTransaction`'s options (`wait`, `nonce`, `expiresIn`, `endorsers`, ...).
 * Without `gasLimit`, the gas is estimated first (`eth_estimateGas` from the key's EVM
 * address) with a fifth more for the state to change meanwhile; a call that would revert
 * then throws `EVM_REVERTED` before anything is signed. Gas costs nothing on Pujiang.
 */
export type EvmSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'> & {
  /** Wei sent with the call (default 0): a bigint, a safe integer, a decimal or 0x-hex string. */
  value?: bigint | number | string;
};

export interface EvmTransactionReturnType {
  /** The chain transaction's hash. */
  readonly hash: string;
  /** `committed` once in a block (with `wait`), else `pending`. */
  readonly status: SubmitResponse['status'];
  /** The receipt, when committed: `receipt.code` is `OK` or the failure (`EVM_REVERTED`, ...). */
  readonly receipt?: Receipt;
  /** The sender's EVM address (`msg.sender`). */
  readonly from: Hex;
  /** The EVM's gas (after refunds, as an Ethereum node reports it), when committed. */
  readonly gasUsed?: bigint;
  /** The contract logs of the receipt (empty until committed). */
  readonly logs: EvmLog[];
  readonly sent: SendTransactionReturnType;
}

export interface PreparedEvmMessage {
  readonly payload: Uint8Array;
  readonly key: KeyPair;
  readonly gasLimit?: bigint;
  readonly value: bigint;
}

/**
 * Checks the parameters a native contract transaction shares and encodes its payload
 * (`0x00 || EvmCall`), before any request.
 */
export function prepareEvmMessage(
  p: EvmSendParameters,
  to: string | undefined,
  data: Uint8Array,
): PreparedEvmMessage {
  const key = keyPairArgument(p.key, 'key');
  const value = p.value === undefined ? 0n : weiArgument(p.value, 'value');
  const gasLimit = p.gasLimit === undefined ? undefined : toU64(p.gasLimit, 'gasLimit');
  const call = encodePayload(EvmCall, {
    to: to === undefined ? new Uint8Array(0) : hexToBytes(to),
    value: trimmedBytes(value),
    data,
  });
  return {
    payload: concatBytes(Uint8Array.of(NATIVE_CALL_TAG), call),
    key,
    value,
    ...(gasLimit === undefined ? {} : { gasLimit }),
  };
}

/** Sends `evm/deploy` or `evm/call` as a native transaction of the key, estimating its gas if not given. */
export async function sendEvmMessage(
  client: ChainClient,
  kind: 'deploy' | 'call',
  p: EvmSendParameters,
  message: PreparedEvmMessage,
  to: string | undefined,
  data: Uint8Array,
): Promise<EvmTransactionReturnType & { created?: Hex }> {
  const request = requestOf(objectArgument(p, 'parameters'));
  const { chainHash } = await client.getStatus(request);
  const publicKey = message.key.publicKey;
  const from = evmAddressOf(publicKey, bytesToHex(deriveAddress(chainHash, publicKey)));
  let gasLimit = message.gasLimit;
  if (gasLimit === undefined) {
    const call = {
      from: ox(from),
      ...(to === undefined ? {} : { to: ox(to) }),
      data: ox(bytesToHex(data)),
      value: quantity(message.value),
    };
    const estimate = quantityOf(
      await rpcRequest(client, 'eth_estimateGas', [call, 'latest'], request),
      'eth_estimateGas',
    );
    gasLimit = estimate + estimate / 5n;
  }
  const { value: _value, ...send } = p;
  const sent = await client.sendTransaction({
    ...send,
    key: message.key,
    module: EVM_MODULE,
    type: kind,
    payload: message.payload,
    gasLimit,
  });
  return outcomeOf(sent, ox(from));
}

function requestOf(p: RequestOptions): RequestOptions {
  return {
    ...(p.timeoutMs === undefined ? {} : { timeoutMs: p.timeoutMs }),
    ...(p.signal === undefined ? {} : { signal: p.signal }),
  };
}

/** The transaction's outcome as its receipt tells it: gas, logs and (a deployment) the created address. */
export function outcomeOf(
  sent: SendTransactionReturnType,
  from: Hex,
): EvmTransactionReturnType & { created?: Hex } {
  const { receipt } = sent.result;
  const executed = receipt?.events.find((e) => e.module === EVM_MODULE && e.type === 'executed')?.attributes;
  return {
    hash: sent.hash,
    status: sent.result.status,
    from,
    ...(receipt === undefined ? {} : { receipt, gasUsed: BigInt(receipt.gasUsed) }),
    ...(executed?.created ? { created: ox(executed.created) } : {}),
    logs: receipt === undefined ? [] : evmLogsOf(receipt),
    sent,
  };
}
