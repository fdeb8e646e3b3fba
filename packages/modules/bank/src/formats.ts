import { fixedBytes, type Infer, struct, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH } from '@pujiang/crypto';
import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { moduleKey, moduleParamKey } from '@pujiang/protocol';

/** The `bank` module's messages and state layout: what clients need to use and prove it. */
export const BANK_MODULE = 'bank';
export const BankTransfer = struct('BankTransfer', { to: fixedBytes(ADDRESS_LENGTH), amount: u64 });
export type BankTransfer = Infer<typeof BankTransfer>;
export const BankMint = struct('BankMint', { to: fixedBytes(ADDRESS_LENGTH), amount: u64 });
export type BankMint = Infer<typeof BankMint>;

/** Module-relative key of an address's balance (a big-endian u64). */
export const balanceKey = (address: string): string => `balance/${address}`;
/** Module-relative key of the minter's address (a parameter governance may change). */
export const MINTER_KEY = moduleParamKey('minter');
/** The state tree key of an address's balance. */
export const balanceStateKey = (address: string): Uint8Array => moduleKey(BANK_MODULE, balanceKey(address));

/** `bank/balance?address=`: an account's balance. */
export const BalanceQuery = defineQueryContract({
  module: BANK_MODULE,
  name: 'balance',
  summary: "An account's balance",
  params: Type.Object({ address: Schemas.address() }),
  result: Type.Object({ address: Schemas.address(), balance: Schemas.u64() }),
  invalidParams: 'BANK_BAD_ADDRESS',
});

/** `bank/minter`: the account allowed to mint (null: none). */
export const MinterQuery = defineQueryContract({
  module: BANK_MODULE,
  name: 'minter',
  summary: 'The account allowed to mint',
  params: Type.Object({}),
  result: Type.Object({ minter: Type.Union([Schemas.address(), Type.Null()]) }),
});
