import { encode } from '@pujiang/codec';
import {
  type ChainClient,
  objectArgument,
  parseAddress,
  queryTyped,
  type RequestOptions,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  toU64,
  type U64Like,
} from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { BANK_MODULE, BalanceQuery, BankTransfer, MinterQuery } from './formats.js';

/** The bank from an application: transfers and balances. */
export interface SendTransferParameters
  extends Omit<SendTransactionParameters, 'module' | 'type' | 'payload'> {
  to: string | Uint8Array;
  amount: U64Like;
}

/** The payload of `bank/transfer`. */
export function transferPayload(to: string | Uint8Array, amount: U64Like): Uint8Array {
  return encode(BankTransfer, { to: parseAddress(to, 'to'), amount: toU64(amount, 'amount') });
}

/** Signs and submits a `bank/transfer` (nonce and expiry as `sendTransaction` chooses them). */
export function sendTransfer(
  client: ChainClient,
  parameters: SendTransferParameters,
): Promise<SendTransactionReturnType> {
  const { to, amount, ...rest } = objectArgument(parameters, 'parameters');
  return client.sendTransaction({
    ...rest,
    module: BANK_MODULE,
    type: 'transfer',
    payload: transferPayload(to, amount),
  });
}

/** An account's balance on the latest state (unproven; `LightClient.getVerifiedBalance` proves it). */
export async function getBalance(
  client: ChainClient,
  address: string | Uint8Array,
  options?: RequestOptions,
): Promise<{ height: number; balance: bigint }> {
  const { height, result } = await queryTyped(
    client,
    BalanceQuery,
    { address: bytesToHex(parseAddress(address)) },
    options,
  );
  return { height, balance: BigInt(result.balance) };
}

/** The account allowed to mint, or null. */
export async function getMinter(client: ChainClient, options?: RequestOptions): Promise<string | null> {
  return (await queryTyped(client, MinterQuery, {}, options)).result.minter;
}
