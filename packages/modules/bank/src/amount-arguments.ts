import { moduleError } from '@pujiang/module-kit';
import { invalidArgument } from '@pujiang/types';
import { decodeAmount, encodeAmount, MAX_AMOUNT } from './formats.js';

/**
 * Amounts as modules that pay through the bank carry them (minimal big-endian bytes, up to
 * 2^256 - 1): read from a message, and taken from a caller's argument.
 */

/** A positive amount from a message's bytes, or the module's `code` naming `field`. */
export function positiveAmount(bytes: Uint8Array, field: string, code: string): bigint {
  const amount = decodeAmount(bytes);
  if (amount === undefined || amount === 0n)
    throw moduleError(code, `${field} is a positive amount (minimal big-endian bytes)`, { field });
  return amount;
}

/** An SDK argument (bigint, safe integer or decimal string) as message bytes, or SDK_INVALID_ARGUMENT. */
export function amountArgument(value: unknown, parameter: string, allowZero = false): Uint8Array {
  const amount =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : typeof value === 'string' && /^(0|[1-9][0-9]{0,77})$/.test(value)
          ? BigInt(value)
          : -1n;
  if (amount < (allowZero ? 0n : 1n) || amount > MAX_AMOUNT)
    throw invalidArgument(
      `${parameter} is a ${allowZero ? 'whole' : 'positive whole'} number of the smallest unit`,
      parameter,
    );
  return encodeAmount(amount);
}
