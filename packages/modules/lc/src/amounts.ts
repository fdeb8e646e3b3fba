import { PujiangError } from '@pujiang/types';

/**
 * Amounts of a credit: ISO 4217 minor units as bigint, the SWIFT `15d` form (a decimal comma,
 * `1000000,00`), and the most a credit allows to be drawn (UCP 600 Art. 30).
 */

/** ISO 4217 decimals (the minor unit) of the currencies a credit is commonly written in. */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2,
  AUD: 2,
  BDT: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KRW: 0,
  KWD: 3,
  KZT: 2,
  LKR: 2,
  MOP: 2,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  QAR: 2,
  RUB: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
});

function badAmount(message: string, details: Record<string, unknown>): PujiangError {
  return new PujiangError('LC_BAD_AMOUNT', message, details);
}

/** The minor-unit decimals of a currency; one outside the table is `LC_BAD_AMOUNT`. */
export function currencyDecimals(currency: string): number {
  const decimals = Object.hasOwn(CURRENCY_DECIMALS, currency) ? CURRENCY_DECIMALS[currency] : undefined;
  if (decimals === undefined)
    throw badAmount(`unknown currency ${String(currency).slice(0, 8)}`, {
      currency: String(currency).slice(0, 8),
      reason: 'unknown currency',
    });
  return decimals;
}

/** SWIFT `15d`: digits, a mandatory decimal comma, at most 15 characters in all. */
const SWIFT_AMOUNT = /^(\d+),(\d*)$/;

/**
 * `1000000,5` in USD to 100000050n. Refused: no comma, more than 15 characters, more
 * decimals than the currency has (`1,5` in JPY), and zero.
 */
export function parseSwiftAmount(text: string, currency: string): bigint {
  const decimals = currencyDecimals(currency);
  const m = typeof text === 'string' && text.length <= 15 ? SWIFT_AMOUNT.exec(text) : null;
  if (!m)
    throw badAmount('amount must be digits with a decimal comma, at most 15 characters', {
      reason: 'format',
    });
  const [, whole, fraction] = m as unknown as [string, string, string];
  if (fraction.length > decimals)
    throw badAmount(`${currency} has ${decimals} decimals`, { reason: 'too many decimals', currency });
  const minor = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (minor === 0n) throw badAmount('amount must not be zero', { reason: 'zero' });
  return minor;
}

/** Minor units to the canonical SWIFT form: no leading zeros, all the currency's decimals. */
export function formatSwiftAmount(minor: bigint, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (typeof minor !== 'bigint' || minor <= 0n)
    throw badAmount('amount must be a positive bigint', { reason: 'sign' });
  const unit = 10n ** BigInt(decimals);
  const whole = (minor / unit).toString();
  const fraction = decimals === 0 ? '' : (minor % unit).toString().padStart(decimals, '0');
  const text = `${whole},${fraction}`;
  if (text.length > 15) throw badAmount('amount longer than 15 characters', { reason: 'too long' });
  return text;
}

export interface Tolerance {
  /** Percent more than the amount that may be drawn. */
  plus: number;
  /** Percent less. */
  minus: number;
}

/** UCP 600 Art. 30a: "about" or "approximately" with the amount allows 10% more or less. */
export const ABOUT_TOLERANCE: Readonly<Tolerance> = Object.freeze({ plus: 10, minus: 10 });

function checkTolerance(tolerance: Tolerance | undefined): Tolerance {
  const t = tolerance ?? { plus: 0, minus: 0 };
  for (const v of [t.plus, t.minus]) {
    if (!Number.isInteger(v) || v < 0 || v > 99)
      throw badAmount('a tolerance is whole percents 0..99', { reason: 'tolerance' });
  }
  return t;
}

/**
 * The drawing range of a credit: the amount with its tolerance (39A), in integer arithmetic;
 * the maximum rounds down and the minimum rounds up to the currency's minor unit.
 */
export function toleranceBounds(amount: bigint, tolerance?: Tolerance): { min: bigint; max: bigint } {
  if (typeof amount !== 'bigint' || amount < 0n) throw badAmount('amount must be a non-negative bigint', {});
  const { plus, minus } = checkTolerance(tolerance);
  const max = (amount * BigInt(100 + plus)) / 100n;
  const scaledMin = amount * BigInt(100 - minus);
  const min = scaledMin / 100n + (scaledMin % 100n === 0n ? 0n : 1n);
  return { min, max };
}

/** UCP 600 Art. 30: the most that may be drawn under the credit, in minor units. */
export function maxDrawable(terms: { amount: bigint; tolerance?: Tolerance }): bigint {
  return toleranceBounds(terms.amount, terms.tolerance).max;
}
