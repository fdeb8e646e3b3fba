import { PujiangError } from '@pujiang/types';

/**
 * Days and times for the lc module's calendar. Execution computes deadlines from block times,
 * so this is integer arithmetic on bigint milliseconds and day numbers: no `Date`, no `Intl`.
 * Days are Asia/Shanghai civil days (UTC+8, no daylight saving since 1991); day 0 is
 * 1970-01-01 in UTC+8; dates are proleptic Gregorian, years 1 to 9999.
 */

export const DAY_MS = 86_400_000n;
/** Asia/Shanghai: UTC+8 all year. */
export const SHANGHAI_OFFSET_MS = 28_800_000n;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** 0001-01-01 and 9999-12-31: the day numbers the civil conversions accept. */
export const MIN_DAY = -719_162;
export const MAX_DAY = 2_932_896;

function badDate(message: string, details: Record<string, unknown>): PujiangError {
  return new PujiangError('LC_BAD_DATE', message, details);
}

/** Refuses a day number outside years 1..9999 (`LC_BAD_DATE`). */
export function checkDay(day: number): void {
  if (!Number.isSafeInteger(day) || day < MIN_DAY || day > MAX_DAY)
    throw badDate('day number out of range (years 1 to 9999)', { day: String(day) });
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years). */
export function dayFromCivil(year: number, month: number, day: number): number {
  if (!isValidCivil(year, month, day))
    throw badDate('not a calendar date', { date: `${year}-${month}-${day}` });
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const marchMonth = (month + 9) % 12;
  const dayOfYear = floorDiv(153 * marchMonth + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The civil date of a day number (the inverse of `dayFromCivil`). */
export function civilFromDay(dayNumber: number): CivilDate {
  checkDay(dayNumber);
  const z = dayNumber + 719_468;
  const era = floorDiv(z, 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = floorDiv(
    dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36_524) - floorDiv(dayOfEra, 146_096),
    365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const marchMonth = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * marchMonth + 2, 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const y = yearOfEra + era * 400;
  return { year: month <= 2 ? y + 1 : y, month, day };
}

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidCivil(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** 0 = Sunday ... 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(dayNumber: number): number {
  return ((dayNumber % 7) + 7 + 4) % 7;
}

export const isWeekend = (dayNumber: number): boolean => {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
};

/** The UTC+8 day a block time (ms since the Unix epoch) falls on. */
export function dayOf(timeMs: bigint): number {
  if (typeof timeMs !== 'bigint') throw badDate('a time must be a bigint of milliseconds', {});
  const shifted = timeMs + SHANGHAI_OFFSET_MS;
  let day = shifted / DAY_MS;
  if (shifted % DAY_MS < 0n) day -= 1n; // bigint division truncates toward zero; days floor
  if (day < BigInt(MIN_DAY) || day > BigInt(MAX_DAY))
    throw badDate('time out of range (years 1 to 9999)', { time: timeMs.toString() });
  return Number(day);
}

/** The first millisecond (UTC+8 midnight) of a day. */
export function startOfDay(dayNumber: number): bigint {
  checkDay(dayNumber);
  return BigInt(dayNumber) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The last millisecond (23:59:59.999 UTC+8) of a day. */
export function endOfDay(dayNumber: number): bigint {
  return startOfDay(dayNumber) + DAY_MS - 1n;
}

/** `2026-10-01` to its day number; anything else is `LC_BAD_DATE`. */
export function dayFromIso(text: string): number {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!m) throw badDate('expected a date as YYYY-MM-DD', { date: String(text).slice(0, 40) });
  return dayFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isoFromDay(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
