import { decode, encode } from '@pujiang/codec';
import { type ModuleContext, moduleError } from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import {
  balanceKey,
  DENOM,
  DenomRecord,
  decodeAmount,
  denomBalanceKey,
  denomKey,
  encodeAmount,
  MAX_AMOUNT,
  NATIVE_DENOM,
} from './formats.js';

/**
 * Balances in any denomination, through a module context (so every read and write is
 * metered and inside the transaction's overlay). The native denomination keeps the u64
 * balance of chains before denominations; the others hold up to 2^256 - 1.
 */
const U64_MAX = (1n << 64n) - 1n;

export function checkDenom(ctx: ModuleContext, denom: string): DenomRecord | undefined {
  if (denom === NATIVE_DENOM) return undefined;
  if (!DENOM.test(denom))
    throw moduleError('BANK_BAD_DENOM', `${denom} is not a denomination name`, { denom });
  const bytes = ctx.get(denomKey(denom));
  if (!bytes) throw moduleError('BANK_UNKNOWN_DENOM', `there is no denomination ${denom}`, { denom });
  return decode(DenomRecord, bytes);
}

export function balanceOf(ctx: ModuleContext, denom: string, address: string): bigint {
  if (denom === NATIVE_DENOM) return decodeU64(ctx.get(balanceKey(address)));
  const amount = decodeAmount(ctx.get(denomBalanceKey(denom, address)));
  if (amount === undefined)
    throw moduleError('BANK_CORRUPT', `the ${denom} balance of ${address} is malformed`);
  return amount;
}

function setBalance(ctx: ModuleContext, denom: string, address: string, amount: bigint): void {
  if (denom === NATIVE_DENOM) {
    if (amount > U64_MAX) throw moduleError('BANK_OVERFLOW', 'the balance would overflow', { address });
    ctx.set(balanceKey(address), encodeU64(amount));
    return;
  }
  if (amount > MAX_AMOUNT)
    throw moduleError('BANK_OVERFLOW', 'the balance would overflow', { address, denom });
  ctx.set(denomBalanceKey(denom, address), amount === 0n ? undefined : encodeAmount(amount));
}

export function credit(ctx: ModuleContext, denom: string, address: string, amount: bigint): void {
  setBalance(ctx, denom, address, balanceOf(ctx, denom, address) + amount);
}

export function debit(ctx: ModuleContext, denom: string, address: string, amount: bigint): void {
  const balance = balanceOf(ctx, denom, address);
  if (balance < amount)
    throw moduleError('BANK_INSUFFICIENT_FUNDS', 'the balance is too low', {
      balance: String(balance),
      amount: String(amount),
      denom,
    });
  setBalance(ctx, denom, address, balance - amount);
}

/** Moves `amount` of `denom`; a positive amount, both sides checked. */
export function move(ctx: ModuleContext, denom: string, from: string, to: string, amount: bigint): void {
  if (amount <= 0n) throw moduleError('BANK_ZERO_AMOUNT', 'move a positive amount');
  checkDenom(ctx, denom);
  debit(ctx, denom, from, amount);
  credit(ctx, denom, to, amount);
}

/** Changes a non-native denomination's recorded supply (mint: +, burn: -). */
export function changeSupply(ctx: ModuleContext, denom: string, record: DenomRecord, delta: bigint): void {
  const supply = (decodeAmount(record.supply) ?? 0n) + delta;
  if (supply < 0n || supply > MAX_AMOUNT)
    throw moduleError('BANK_OVERFLOW', 'the supply would overflow', { denom });
  ctx.set(denomKey(denom), encode(DenomRecord, { ...record, supply: encodeAmount(supply) }));
}
