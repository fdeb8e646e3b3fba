import { bytes, fixedBytes, type Infer, string, struct, u8, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH, type HashAlgorithm, hash } from '@pujiang/crypto';
import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { moduleKey, moduleParamKey } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';

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

// Denominations, amounts beyond 64 bits, holds.

/**
 * The chain's own token: its balances stay at `balance/<address>` as u64 (every chain before
 * denominations existed keeps its state). Other denominations are created by a module (their
 * issuer) and hold amounts up to 2^256 - 1.
 */
export const NATIVE_DENOM = 'native';
/** Denomination names: lowercase, digits and `/._-` (`cny`, `ibc/transfer/channel-0/usd`). */
export const DENOM = /^[a-z][a-z0-9/._-]{0,63}$/;
export const MAX_AMOUNT = (1n << 256n) - 1n;
/** Hold ids, chosen by the module that holds: letters, digits and `/._:-`. */
export const HOLD_ID = /^[A-Za-z0-9][A-Za-z0-9/._:-]{0,127}$/;

/** An amount as its minimal big-endian bytes (0 is empty), at most 32 bytes. */
export function encodeAmount(amount: bigint): Uint8Array {
  if (amount < 0n || amount > MAX_AMOUNT) throw new RangeError('amount out of range');
  const hex = amount === 0n ? '' : amount.toString(16);
  return hexToBytes(hex.length % 2 ? `0${hex}` : hex);
}

/** The inverse of `encodeAmount`; undefined for a non-minimal or longer encoding. */
export function decodeAmount(bytes: Uint8Array | undefined): bigint | undefined {
  if (bytes === undefined || bytes.length === 0) return 0n;
  if (bytes.length > 32 || bytes[0] === 0) return undefined;
  return BigInt(`0x${bytesToHex(bytes)}`);
}

export const DenomRecord = struct('DenomRecord', {
  /** The module that created it: the only one that mints and burns it. */
  issuer: string({ max: 32 }),
  decimals: u8,
  supply: bytes({ max: 32 }),
});
export type DenomRecord = Infer<typeof DenomRecord>;

export const HoldRecord = struct('HoldRecord', {
  denom: string({ max: 64 }),
  amount: bytes({ max: 32 }),
  /** Who paid in (a refund returns there). */
  from: fixedBytes(ADDRESS_LENGTH),
});
export type HoldRecord = Infer<typeof HoldRecord>;

/** `bank/send`: any denomination (the native one too), amount as minimal big-endian bytes. */
export const BankSend = struct('BankSend', {
  to: fixedBytes(ADDRESS_LENGTH),
  denom: string({ max: 64 }),
  amount: bytes({ max: 32 }),
});
export type BankSend = Infer<typeof BankSend>;

export const denomKey = (denom: string): string => `denom/${denom}`;
/** Balances of a non-native denomination (the native one stays at `balanceKey`). */
export const denomBalanceKey = (denom: string, address: string): string => `denoms/${address}/${denom}`;
export const holdKey = (module: string, id: string): string => `hold/${module}/${id}`;
export const denomBalanceStateKey = (denom: string, address: string): Uint8Array =>
  moduleKey(BANK_MODULE, denomBalanceKey(denom, address));

/**
 * A module's own account: 0xff (no suite has that code, so no key controls it) and the first
 * 20 bytes of H("pujiang/module-account/v1\0" || name) under the chain's hash.
 */
export function moduleAccount(chainHash: HashAlgorithm, module: string): string {
  const digest = hash(chainHash, utf8ToBytes(`pujiang/module-account/v1\0${module}`));
  return `ff${bytesToHex(digest.subarray(0, ADDRESS_LENGTH - 1))}`;
}

/** `bank/denomBalance?address=&denom=`: a balance in any denomination. */
export const DenomBalanceQuery = defineQueryContract({
  module: BANK_MODULE,
  name: 'denomBalance',
  summary: "An account's balance in a denomination (decimal, up to 2^256 - 1)",
  params: Type.Object({ address: Schemas.address(), denom: Type.String({ pattern: DENOM.source }) }),
  result: Type.Object({
    address: Schemas.address(),
    denom: Type.String(),
    balance: Type.String({ pattern: '^(0|[1-9][0-9]{0,77})$' }),
  }),
  invalidParams: 'BANK_BAD_QUERY',
});

/** `bank/denom?denom=`: a denomination's issuer, decimals and supply (null if none). */
export const DenomQuery = defineQueryContract({
  module: BANK_MODULE,
  name: 'denom',
  summary: "A denomination's issuer, decimals and supply",
  params: Type.Object({ denom: Type.String({ pattern: DENOM.source }) }),
  result: Type.Union([
    Type.Object({
      denom: Type.String(),
      issuer: Type.String(),
      decimals: Type.Integer(),
      supply: Type.String(),
    }),
    Type.Null(),
  ]),
  invalidParams: 'BANK_BAD_QUERY',
});

/** `bank/hold?module=&id=`: what a module holds in escrow under an id (null if nothing). */
export const HoldQuery = defineQueryContract({
  module: BANK_MODULE,
  name: 'hold',
  summary: 'What a module holds in escrow under an id',
  params: Type.Object({
    module: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$' }),
    id: Type.String({ pattern: HOLD_ID.source }),
  }),
  result: Type.Union([
    Type.Object({
      module: Type.String(),
      id: Type.String(),
      denom: Type.String(),
      amount: Type.String(),
      from: Schemas.address(),
    }),
    Type.Null(),
  ]),
  invalidParams: 'BANK_BAD_QUERY',
});
