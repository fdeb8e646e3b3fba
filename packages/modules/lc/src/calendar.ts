import { type Codec, list, struct, u16, u32 } from '@pujiang/codec';
import { PujiangError } from '@pujiang/types';
import {
  checkDay,
  civilFromDay,
  dayFromCivil,
  dayFromIso,
  dayOf,
  endOfDay,
  isoFromDay,
  isWeekend,
  MAX_DAY,
  MIN_DAY,
} from './calendar-days.js';

/**
 * The banking-day calendar of the lc module (UCP 600 Art. 14b and 29a, eUCP 2.0 Art. e7a).
 * A bank names the calendar it follows (`CN`, `HK`, ...); per calendar and year the state
 * keeps the public holidays (weekdays that are closed) and the make-up working days (weekend
 * days that are open, as China's adjusted working weekends). A year the calendar lacks counts
 * weekends only, and the functions say they assumed so (`assumedYears`), so the module can
 * refuse (`LC_CALENDAR_MISSING`) where a guess would matter. Pure and deterministic: the
 * chain module passes a lookup over its state.
 */

/** UCP 600 Art. 14b: a maximum of five banking days following the day of presentation. */
export const EXAMINATION_BANKING_DAYS = 5;
/** Years a calendar entry may describe (day numbers of their days are non-negative u32). */
export const CALENDAR_MIN_YEAR = 1970;
export const CALENDAR_MAX_YEAR = 9999;
/** How far the walks look for an open day before giving up (ten years). */
const MAX_SEARCH_DAYS = 3660;
const MAX_ADD_DAYS = 1000;
// ---- A calendar year: what the state keeps per calendar id and year ----

/**
 * One year of one calendar: day numbers, strictly ascending, of the closed weekdays
 * (`holidays`) and of the open weekend days (`workdays`).
 */
export interface CalendarYear {
  year: number;
  holidays: number[];
  workdays: number[];
}

export interface CalendarYearJson {
  year: number;
  holidays: string[];
  workdays: string[];
}

/** How functions read a calendar: the entry of a year, or undefined when the state has none. */
export type CalendarLookup = (year: number) => CalendarYear | undefined;

/** A calendar id: `CN`, `HK`, `CN-SHIBOR`, ... */
export const CALENDAR_ID = /^[A-Z]{2}(?:-[A-Z0-9]{1,13})?$/;

function badCalendar(message: string, details: Record<string, unknown>): PujiangError {
  return new PujiangError('LC_BAD_CALENDAR', message, details);
}

export function checkCalendarId(id: unknown): string {
  if (typeof id !== 'string' || !CALENDAR_ID.test(id))
    throw badCalendar('a calendar id is two capital letters, optionally -SUFFIX', {
      entry: String(id).slice(0, 40),
    });
  return id;
}

/** Checks an entry (from JSON or decoded from state): every rule, naming the first bad entry. */
export function checkCalendarYear(entry: CalendarYear): CalendarYear {
  const { year } = entry;
  if (!Number.isInteger(year) || year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR)
    throw badCalendar(`year must be in ${CALENDAR_MIN_YEAR}..${CALENDAR_MAX_YEAR}`, { year });
  const first = dayFromCivil(year, 1, 1);
  const last = dayFromCivil(year, 12, 31);
  const checkList = (days: unknown, kind: 'holidays' | 'workdays') => {
    if (!Array.isArray(days)) throw badCalendar(`${kind} must be a list`, { year, kind });
    let previous = Number.NEGATIVE_INFINITY;
    for (const day of days) {
      const entryText = Number.isSafeInteger(day) && day >= MIN_DAY && day <= MAX_DAY ? isoFromDay(day) : day;
      const fail = (reason: string) =>
        badCalendar(`${kind} entry ${entryText}: ${reason}`, { year, kind, entry: entryText, reason });
      if (!Number.isSafeInteger(day)) throw fail('not a day');
      if (day < first || day > last) throw fail(`not a date in ${year}`);
      if (day === previous) throw fail('listed twice');
      if (day < previous) throw fail('out of order');
      if (kind === 'holidays' && isWeekend(day))
        throw fail('a holiday must be a weekday (weekends are closed)');
      if (kind === 'workdays' && !isWeekend(day))
        throw fail('a make-up working day must be a Saturday or Sunday (weekdays are open)');
      previous = day;
    }
  };
  checkList(entry.holidays, 'holidays');
  checkList(entry.workdays, 'workdays');
  return entry;
}

/**
 * The JSON form (`{"year": 2026, "holidays": ["2026-10-01", ...], "workdays": [...]}`) to an
 * entry: dates sorted, each in the year, none twice, holidays on weekdays, workdays on weekends.
 */
export function calendarYearFromJson(json: unknown): CalendarYear {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw badCalendar('a calendar year is an object {year, holidays, workdays}', {});
  const { year, holidays = [], workdays = [], ...rest } = json as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw badCalendar(`unknown property ${unknown[0]}`, { entry: unknown[0] });
  if (
    typeof year !== 'number' ||
    !Number.isInteger(year) ||
    year < CALENDAR_MIN_YEAR ||
    year > CALENDAR_MAX_YEAR
  )
    throw badCalendar(`year must be an integer in ${CALENDAR_MIN_YEAR}..${CALENDAR_MAX_YEAR}`, {
      year: String(year).slice(0, 20),
    });
  const days = (list: unknown, kind: 'holidays' | 'workdays'): number[] => {
    if (!Array.isArray(list)) throw badCalendar(`${kind} must be a list of dates`, { year, kind });
    if (list.length > 366) throw badCalendar(`${kind} has more days than a year`, { year, kind });
    const out = list.map((text) => {
      try {
        return dayFromIso(text as string);
      } catch {
        const entry = String(text).slice(0, 40);
        throw badCalendar(`${kind} entry ${entry}: not a date YYYY-MM-DD`, {
          year,
          kind,
          entry,
          reason: 'not a date',
        });
      }
    });
    return out.sort((a, b) => a - b);
  };
  return checkCalendarYear({
    year,
    holidays: days(holidays, 'holidays'),
    workdays: days(workdays, 'workdays'),
  });
}

export function calendarYearToJson(entry: CalendarYear): CalendarYearJson {
  return {
    year: entry.year,
    holidays: entry.holidays.map(isoFromDay),
    workdays: entry.workdays.map(isoFromDay),
  };
}

const CalendarYearStruct = struct('CalendarYear', {
  year: u16,
  holidays: list(u32, { max: 366 }),
  workdays: list(u32, { max: 366 }),
});

/** The canonical bytes of an entry; reading and writing both check every rule (`LC_BAD_CALENDAR`). */
export const CalendarYearCodec: Codec<CalendarYear> = {
  kind: CalendarYearStruct.kind,
  minSize: CalendarYearStruct.minSize,
  write(writer, value) {
    CalendarYearStruct.write(writer, checkCalendarYear(value));
  },
  read(reader) {
    return checkCalendarYear(CalendarYearStruct.read(reader));
  },
};

/** A lookup over entries held in memory (tests, clients, genesis). */
export function calendarOf(entries: readonly CalendarYear[]): CalendarLookup {
  const byYear = new Map(entries.map((e) => [e.year, e]));
  return (year) => byYear.get(year);
}

// ---- Banking days ----

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'workday';

export interface DayStatus {
  /** Whether banks on this calendar are open. */
  banking: boolean;
  /** `holiday`: a closed weekday; `workday`: an open weekend day (make-up working day). */
  kind: DayKind;
  /** True when the calendar has no entry for the day's year (weekends only assumed). */
  assumed: boolean;
}

function contains(sorted: readonly number[], day: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === day) return true;
    if (v < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Walks days reading each year's entry once and remembering the years it had to assume. */
class CalendarWalk {
  private readonly entries = new Map<number, CalendarYear | undefined>();
  private readonly assumed = new Set<number>();

  constructor(private readonly calendar: CalendarLookup) {}

  status(day: number): DayStatus {
    const { year } = civilFromDay(day);
    if (!this.entries.has(year)) this.entries.set(year, this.calendar(year));
    const entry = this.entries.get(year);
    const weekend = isWeekend(day);
    if (entry === undefined) {
      this.assumed.add(year);
      return { banking: !weekend, kind: weekend ? 'weekend' : 'weekday', assumed: true };
    }
    if (weekend) {
      const open = contains(entry.workdays, day);
      return { banking: open, kind: open ? 'workday' : 'weekend', assumed: false };
    }
    const closed = contains(entry.holidays, day);
    return { banking: !closed, kind: closed ? 'holiday' : 'weekday', assumed: false };
  }

  /** The first banking day at or after `day` (after it when `strictlyAfter`). */
  next(day: number, strictlyAfter: boolean): number {
    let d = strictlyAfter ? day + 1 : day;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++, d++) {
      if (this.status(d).banking) return d;
    }
    throw new PujiangError('LC_CALENDAR_NO_BANKING_DAY', 'no banking day within ten years', {
      from: isoFromDay(day),
    });
  }

  assumedYears(): number[] {
    return [...this.assumed].sort((a, b) => a - b);
  }
}

export interface BankingDayResult {
  day: number;
  /** Years the calendar has no entry for, counted as weekends only: refuse where it matters. */
  assumedYears: number[];
}

export function dayStatus(day: number, calendar: CalendarLookup): DayStatus {
  return new CalendarWalk(calendar).status(day);
}

export function isBankingDay(day: number, calendar: CalendarLookup): boolean {
  return dayStatus(day, calendar).banking;
}

/** The first banking day on or after `day`. */
export function nextBankingDay(day: number, calendar: CalendarLookup): BankingDayResult {
  const walk = new CalendarWalk(calendar);
  const found = walk.next(day, false);
  return { day: found, assumedYears: walk.assumedYears() };
}

/** The n-th banking day following `day` (n >= 1; `day` itself never counts). */
export function addBankingDays(day: number, n: number, calendar: CalendarLookup): BankingDayResult {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ADD_DAYS)
    throw new PujiangError(
      'LC_BAD_ARGUMENT',
      `banking days to add must be an integer in 1..${MAX_ADD_DAYS}`,
      {
        parameter: 'n',
      },
    );
  checkDay(day);
  const walk = new CalendarWalk(calendar);
  let d = day;
  for (let i = 0; i < n; i++) d = walk.next(d, true);
  return { day: d, assumedYears: walk.assumedYears() };
}

export interface DeadlineResult {
  /** The day the period counts from (presentation, or receipt of the notice of completeness). */
  fromDay: number;
  /** The last day of the period. */
  deadlineDay: number;
  /** The last millisecond of `deadlineDay` in UTC+8: an act at this block time is in time. */
  deadline: bigint;
  assumedYears: number[];
}

/**
 * UCP 600 Art. 14b: the end of the fifth banking day following the day of presentation. Under
 * eUCP 2.0 Art. e7(a) pass the time the notice of completeness was received: examination
 * commences on the banking day following that day, which is the same count. The count starts
 * from the event's day even when it is a closed day; a module that deems what arrives on a
 * closed day received on the next banking day passes that day's start instead.
 */
export function examinationDeadline(eventTimeMs: bigint, calendar: CalendarLookup): DeadlineResult {
  const fromDay = dayOf(eventTimeMs);
  const { day, assumedYears } = addBankingDays(fromDay, EXAMINATION_BANKING_DAYS, calendar);
  return { fromDay, deadlineDay: day, deadline: endOfDay(day), assumedYears };
}

/** Refuses (`LC_CALENDAR_MISSING`) a result that had to assume a year the calendar lacks. */
export function requireKnownYears<T extends { assumedYears: number[] }>(result: T, calendarId: string): T {
  if (result.assumedYears.length > 0)
    throw new PujiangError(
      'LC_CALENDAR_MISSING',
      `calendar ${calendarId} has no entry for ${result.assumedYears.join(', ')}`,
      {
        calendar: calendarId,
        years: result.assumedYears,
      },
    );
  return result;
}

/**
 * UCP 600 Art. 29a: an expiry date or last day for presentation on which the bank is closed
 * (for reasons other than Art. 36 force majeure) is extended to the first following banking day.
 */
export function extendedDeadline(day: number, calendar: CalendarLookup): DeadlineResult {
  const { day: open, assumedYears } = nextBankingDay(day, calendar);
  return { fromDay: day, deadlineDay: open, deadline: endOfDay(open), assumedYears };
}
