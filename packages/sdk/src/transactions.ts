import type { HashAlgorithm, KeyPair } from '@pujiang/crypto';
import { BANK_MODULE } from '@pujiang/module-bank';
import { transferPayload } from '@pujiang/module-bank/client';
import {
  type BuildTransactionReturnType,
  bytesArgument,
  chainHashArgument,
  invalidArgument,
  keyPairArgument,
  objectArgument,
  stringArgument,
  toU64,
  type U64Like,
} from '@pujiang/module-kit';
import {
  encodeTx,
  endorseTx,
  MAX_TX_BYTES,
  type SignedTx,
  signTx,
  type TxBody,
  txHash,
} from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { sdkError } from './errors.js';

/**
 * Default gas limit: enough for a bank transfer signed with the largest suite
 * (sm2+ml-dsa-65, about 5.5 KB on the wire at 10 gas a byte) several times over. Gas is
 * metered, not charged, so a generous limit costs nothing.
 */
export const DEFAULT_GAS_LIMIT = 200_000n;

export type { BuildTransactionReturnType, U64Like } from '@pujiang/module-kit';
export { parseAddress, toU64 } from '@pujiang/module-kit';

export interface BuildTransactionParameters {
  chainId: string;
  /** The chain's hash (`sm3` or `sha256`, from genesis or `/v1/status`): names the transaction. */
  chainHash: HashAlgorithm;
  /** The sender; its suite is the transaction's suite. */
  key: KeyPair;
  /** The sender's next nonce (`pendingNonce` of `GET /v1/accounts/{address}`). */
  nonce: U64Like;
  /** The last height at which the transaction may be included. */
  expiresAtHeight: U64Like;
  gasLimit?: U64Like;
  module: string;
  type: string;
  /** The message's canonical encoding under the module's codec. */
  payload: Uint8Array;
  /**
   * Other identities' keys whose endorsements the transaction carries (for resources whose
   * policy needs several organizations). Endorsers who sign elsewhere use `endorseBody`.
   */
  endorsers?: readonly KeyPair[];
}

/** Signs a module message for `key` and returns it with its encoding and hash. */
export function buildTransaction(parameters: BuildTransactionParameters): BuildTransactionReturnType {
  objectArgument(parameters, 'parameters');
  const key = keyPairArgument(parameters.key);
  const chainHash = chainHashArgument(parameters.chainHash);
  const body: TxBody = {
    chainId: stringArgument(parameters.chainId, 'chainId'),
    suite: key.suite,
    publicKey: key.publicKey.bytes,
    nonce: toU64(parameters.nonce, 'nonce'),
    expiresAtHeight: toU64(parameters.expiresAtHeight, 'expiresAtHeight'),
    gasLimit: toU64(parameters.gasLimit ?? DEFAULT_GAS_LIMIT, 'gasLimit'),
    module: stringArgument(parameters.module, 'module'),
    type: stringArgument(parameters.type, 'type'),
    payload: bytesArgument(parameters.payload, 'payload'),
  };
  const endorsers = parameters.endorsers ?? [];
  if (!Array.isArray(endorsers))
    throw invalidArgument('endorsers must be an array of key pairs', 'endorsers');
  for (const [i, k] of endorsers.entries()) keyPairArgument(k, `endorsers[${i}]`);
  let tx: SignedTx;
  let wire: Uint8Array;
  try {
    const endorsements = endorsers.map((k) => endorseTx(body, k.secretKey));
    tx = signTx(body, key.secretKey, endorsements);
    wire = encodeTx(tx);
  } catch (error) {
    // The codec refuses over-long strings and fields; report them as the caller's mistake.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CODEC_'))
      throw sdkError(
        'SDK_INVALID_ARGUMENT',
        `the transaction cannot be encoded: ${(error as Error).message}`,
        {
          cause: code,
        },
      );
    throw error;
  }
  if (wire.length > MAX_TX_BYTES)
    throw sdkError('SDK_INVALID_ARGUMENT', `a transaction is at most ${MAX_TX_BYTES} bytes`, {
      size: wire.length,
    });
  return { tx, wire, hex: bytesToHex(wire), hash: txHash(chainHash, tx) };
}

export interface BuildTransferParameters
  extends Omit<BuildTransactionParameters, 'module' | 'type' | 'payload'> {
  /** The recipient's address: 21 bytes, or 42 hex digits. */
  to: string | Uint8Array;
  amount: U64Like;
}

/** A `bank/transfer` of `amount` to `to`. */
export function buildTransfer(parameters: BuildTransferParameters): BuildTransactionReturnType {
  const { to, amount, ...common } = objectArgument(parameters, 'parameters');
  return buildTransaction({
    ...common,
    module: BANK_MODULE,
    type: 'transfer',
    payload: transferPayload(to, amount),
  });
}
