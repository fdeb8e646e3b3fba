import { invalidArgument } from '@pujiang/module-kit';

/** Amounts of transfers may pass 2^64: a positive integer below 2^256, as bigint, number or decimal string. */
export function amountArgument(value: unknown): bigint {
  if (typeof value === 'bigint' && value > 0n && value < 1n << 256n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  if (typeof value === 'string' && /^[1-9][0-9]{0,77}$/.test(value)) return BigInt(value);
  throw invalidArgument('amount must be a positive integer below 2^256', 'amount');
}
