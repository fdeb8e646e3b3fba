import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode } from '@pujiang/codec';
import { isPujiangError } from '@pujiang/types';
import {
  addBankingDays,
  type CalendarYear,
  CalendarYearCodec,
  calendarOf,
  calendarYearFromJson,
  calendarYearToJson,
  checkCalendarId,
  dayStatus,
  examinationDeadline,
  extendedDeadline,
  isBankingDay,
  nextBankingDay,
  requireKnownYears,
} from '../src/calendar.js';
import {
  civilFromDay,
  dayFromCivil,
  dayFromIso,
  dayOf,
  endOfDay,
  isLeapYear,
  isoFromDay,
  MAX_DAY,
  MIN_DAY,
  startOfDay,
  weekdayOf,
} from '../src/calendar-days.js';
import { CN_2025, CN_2026 } from './cn-calendars.js';

const CN = calendarOf([CN_2025, CN_2026]);
const day = dayFromIso;
/** A UTC instant as block time. */
const utc = (iso: string): bigint => BigInt(Date.parse(iso));

function refusedWith(code: string, entry?: string) {
  return (error: unknown) => {
    assert.ok(isPujiangError(error, code), `expected ${code}, got ${String(error)}`);
    if (entry !== undefined) assert.equal((error as { details: { entry?: unknown } }).details.entry, entry);
    return true;
  };
}

describe('civil dates and day numbers', () => {
  it('round-trips every day from 1970 to 2100 and agrees with Date', () => {
    const first = dayFromCivil(1970, 1, 1);
    const last = dayFromCivil(2100, 12, 31);
    assert.equal(first, 0);
    for (let d = first; d <= last; d++) {
      const c = civilFromDay(d);
      const js = new Date(d * 86_400_000);
      assert.deepEqual(
        [c.year, c.month, c.day],
        [js.getUTCFullYear(), js.getUTCMonth() + 1, js.getUTCDate()],
      );
      assert.equal(dayFromCivil(c.year, c.month, c.day), d);
      assert.equal(weekdayOf(d), js.getUTCDay());
    }
  });

  it('knows leap years, 2000 yes and 2100 no', () => {
    assert.ok(isLeapYear(2000) && isLeapYear(2024) && !isLeapYear(2100) && !isLeapYear(2025));
    assert.equal(isoFromDay(dayFromCivil(2000, 2, 29) + 1), '2000-03-01');
    assert.equal(isoFromDay(dayFromCivil(2100, 2, 28) + 1), '2100-03-01');
    assert.throws(() => dayFromIso('2100-02-29'), refusedWith('LC_BAD_DATE'));
    assert.throws(() => dayFromIso('2026-13-01'), refusedWith('LC_BAD_DATE'));
    assert.throws(() => dayFromIso('26-10-01'), refusedWith('LC_BAD_DATE'));
    assert.equal(isoFromDay(MIN_DAY), '0001-01-01');
    assert.equal(isoFromDay(MAX_DAY), '9999-12-31');
    assert.throws(() => civilFromDay(MAX_DAY + 1), refusedWith('LC_BAD_DATE'));
    assert.deepEqual(civilFromDay(-1), { year: 1969, month: 12, day: 31 });
  });

  it('puts a time on its Beijing day: 23:30 is that day, 00:30 the next', () => {
    // 2025-09-25 15:30 UTC is 23:30 on Thursday the 25th in Beijing; 16:30 UTC is 00:30 on the 26th.
    assert.equal(dayOf(utc('2025-09-25T15:30:00Z')), day('2025-09-25'));
    assert.equal(dayOf(utc('2025-09-25T16:30:00Z')), day('2025-09-26'));
    assert.equal(dayOf(utc('2025-09-25T15:59:59.999Z')), day('2025-09-25'));
    assert.equal(dayOf(utc('2025-09-25T16:00:00.000Z')), day('2025-09-26'));
    assert.equal(startOfDay(day('2025-09-26')), utc('2025-09-25T16:00:00Z'));
    assert.equal(endOfDay(day('2025-09-25')), utc('2025-09-25T15:59:59.999Z'));
    // Before the epoch: the Beijing day 0 begins at 1969-12-31 16:00 UTC.
    assert.equal(dayOf(-28_800_000n), 0);
    assert.equal(dayOf(-28_800_001n), -1);
    assert.throws(() => dayOf(10n ** 20n), refusedWith('LC_BAD_DATE'));
  });
});

describe('calendar entries', () => {
  it('keeps a year in JSON and in canonical bytes', () => {
    assert.equal(CN_2025.holidays.length, 18);
    const json = calendarYearToJson(CN_2026);
    assert.deepEqual(calendarYearFromJson(json), CN_2026);
    const bytes = encode(CalendarYearCodec, CN_2026);
    assert.deepEqual(decode(CalendarYearCodec, bytes), CN_2026);
    // Any order in JSON gives the same entry.
    const shuffled = { ...json, holidays: [...json.holidays].reverse() };
    assert.deepEqual(calendarYearFromJson(shuffled), CN_2026);
  });

  it('refuses a bad entry and names it', () => {
    const base = { year: 2026, holidays: ['2026-10-01'], workdays: ['2026-10-10'] };
    const bad = (patch: object, entry: string) =>
      assert.throws(() => calendarYearFromJson({ ...base, ...patch }), refusedWith('LC_BAD_CALENDAR', entry));
    bad({ holidays: ['2025-10-01'] }, '2025-10-01'); // another year
    bad({ holidays: ['2026-10-01', '2026-10-01'] }, '2026-10-01'); // twice
    bad({ holidays: ['2026-10-03'] }, '2026-10-03'); // a Saturday
    bad({ workdays: ['2026-10-09'] }, '2026-10-09'); // a Friday
    bad({ holidays: ['2026-02-30'] }, '2026-02-30'); // no such date
    bad({ holidays: ['1 Oct 2026'] }, '1 Oct 2026');
    bad({ extra: true }, 'extra');
    assert.throws(() => calendarYearFromJson({ ...base, year: 1969 }), refusedWith('LC_BAD_CALENDAR'));
    assert.throws(() => calendarYearFromJson('2026'), refusedWith('LC_BAD_CALENDAR'));
    assert.throws(() => calendarYearFromJson({ ...base, holidays: 'x' }), refusedWith('LC_BAD_CALENDAR'));
  });

  it('refuses unsorted or invalid bytes', () => {
    const unsorted: CalendarYear = {
      year: 2026,
      holidays: [day('2026-10-02'), day('2026-10-01')],
      workdays: [],
    };
    assert.throws(() => encode(CalendarYearCodec, unsorted), refusedWith('LC_BAD_CALENDAR', '2026-10-01'));
    // Bytes written around the check: year 2026, one holiday that is a Saturday.
    const bytes = encode(CalendarYearCodec, { year: 2026, holidays: [day('2026-10-02')], workdays: [] });
    const saturday = day('2026-10-03');
    const forged = new Uint8Array(bytes);
    new DataView(forged.buffer).setUint32(forged.length - 5, saturday, false);
    assert.throws(() => decode(CalendarYearCodec, forged), refusedWith('LC_BAD_CALENDAR', '2026-10-03'));
  });

  it('checks calendar ids', () => {
    assert.equal(checkCalendarId('CN'), 'CN');
    assert.equal(checkCalendarId('HK-SAR'), 'HK-SAR');
    assert.throws(() => checkCalendarId('cn'), refusedWith('LC_BAD_CALENDAR'));
    assert.throws(() => checkCalendarId(''), refusedWith('LC_BAD_CALENDAR'));
  });
});

describe('banking days (mainland China 2025 and 2026)', () => {
  it('classifies holidays, weekends and make-up working days', () => {
    assert.deepEqual(dayStatus(day('2025-10-01'), CN), { banking: false, kind: 'holiday', assumed: false });
    assert.deepEqual(dayStatus(day('2025-10-11'), CN), { banking: true, kind: 'workday', assumed: false });
    assert.deepEqual(dayStatus(day('2025-10-12'), CN), { banking: false, kind: 'weekend', assumed: false });
    assert.deepEqual(dayStatus(day('2025-10-09'), CN), { banking: true, kind: 'weekday', assumed: false });
    assert.ok(isBankingDay(day('2025-09-28'), CN), 'the make-up Sunday before National Day is open');
    assert.ok(!isBankingDay(day('2026-09-25'), CN), 'Mid-Autumn 2026 is closed');
  });

  it('gives a presentation on the Friday before National Day its deadline after the holiday', () => {
    // Fri 2025-09-26, 10:00 Beijing. Following banking days: Sun 28 (make-up), Mon 29, Tue 30,
    // then Oct 1-8 closed: Thu Oct 9, Fri Oct 10.
    const result = examinationDeadline(utc('2025-09-26T02:00:00Z'), CN);
    assert.equal(isoFromDay(result.fromDay), '2025-09-26');
    assert.equal(isoFromDay(result.deadlineDay), '2025-10-10');
    assert.equal(result.deadline, utc('2025-10-10T15:59:59.999Z'));
    assert.deepEqual(result.assumedYears, []);
  });

  it('counts the make-up Saturday after National Day', () => {
    // Thu 2025-10-09: Fri 10, Sat 11 (make-up), Mon 13, Tue 14, Wed 15.
    const result = examinationDeadline(utc('2025-10-09T01:00:00Z'), CN);
    assert.equal(isoFromDay(result.deadlineDay), '2025-10-15');
  });

  it('takes 23:30 Beijing as that day and 00:30 as the next', () => {
    // Thu 2025-09-25 23:30 Beijing: Fri 26, Sun 28, Mon 29, Tue 30, Thu Oct 9.
    assert.equal(isoFromDay(examinationDeadline(utc('2025-09-25T15:30:00Z'), CN).deadlineDay), '2025-10-09');
    // Fri 2025-09-26 00:30 Beijing (still Thursday in UTC): the Friday's deadline, Oct 10.
    assert.equal(isoFromDay(examinationDeadline(utc('2025-09-25T16:30:00Z'), CN).deadlineDay), '2025-10-10');
  });

  it('crosses the Spring Festival and the 2026 Mid-Autumn and National Day breaks', () => {
    // Fri 2025-01-24: Sun 26 (make-up), Mon 27, then Jan 28-Feb 4 closed: Wed 5, Thu 6, Fri 7.
    assert.equal(isoFromDay(examinationDeadline(utc('2025-01-24T03:00:00Z'), CN).deadlineDay), '2025-02-07');
    // Thu 2026-09-24: Fri 25 closed, Mon 28, Tue 29, Wed 30, Oct 1-7 closed, Thu 8, Fri 9.
    assert.equal(isoFromDay(examinationDeadline(utc('2026-09-24T03:00:00Z'), CN).deadlineDay), '2026-10-09');
    // Fri 2026-02-13: Sat 14 (make-up), Feb 15-23 closed, Tue 24, Wed 25, Thu 26, Fri 27.
    assert.equal(isoFromDay(examinationDeadline(utc('2026-02-13T03:00:00Z'), CN).deadlineDay), '2026-02-27');
  });

  it('adds banking days and finds the next one', () => {
    assert.equal(isoFromDay(addBankingDays(day('2025-09-30'), 1, CN).day), '2025-10-09');
    assert.equal(isoFromDay(nextBankingDay(day('2025-10-04'), CN).day), '2025-10-09');
    assert.equal(isoFromDay(nextBankingDay(day('2025-10-09'), CN).day), '2025-10-09');
    assert.throws(() => addBankingDays(day('2025-10-09'), 0, CN), refusedWith('LC_BAD_ARGUMENT'));
    assert.throws(() => addBankingDays(day('2025-10-09'), 1.5, CN), refusedWith('LC_BAD_ARGUMENT'));
  });

  it('extends an expiry on a closed day to the next banking day (Art. 29a)', () => {
    const result = extendedDeadline(day('2025-10-01'), CN);
    assert.equal(isoFromDay(result.deadlineDay), '2025-10-09');
    assert.equal(result.deadline, utc('2025-10-09T15:59:59.999Z'));
    assert.equal(extendedDeadline(day('2025-10-11'), CN).deadlineDay, day('2025-10-11'));
  });

  it('says which years it assumed to have weekends only', () => {
    // Tue 2026-12-29: Wed 30, Thu 31, then 2027 has no entry: Fri Jan 1 counted open, Mon 4, Tue 5.
    const result = examinationDeadline(utc('2026-12-29T03:00:00Z'), CN);
    assert.equal(isoFromDay(result.deadlineDay), '2027-01-05');
    assert.deepEqual(result.assumedYears, [2027]);
    assert.throws(() => requireKnownYears(result, 'CN'), refusedWith('LC_CALENDAR_MISSING'));
    const known = examinationDeadline(utc('2026-12-21T03:00:00Z'), CN);
    assert.equal(requireKnownYears(known, 'CN'), known);
    assert.equal(dayStatus(day('2031-05-01'), CN).assumed, true);
    const none = calendarOf([]);
    assert.deepEqual(nextBankingDay(day('2031-05-03'), none), {
      day: day('2031-05-05'),
      assumedYears: [2031],
    });
  });

  it('stops looking after ten closed years', () => {
    const weekdays = (year: number): number[] => {
      const out: number[] = [];
      for (let d = dayFromCivil(year, 1, 1); d <= dayFromCivil(year, 12, 31); d++) {
        const w = weekdayOf(d);
        if (w !== 0 && w !== 6) out.push(d);
      }
      return out;
    };
    const closed = calendarOf(
      Array.from({ length: 12 }, (_, i) => ({ year: 2030 + i, holidays: weekdays(2030 + i), workdays: [] })),
    );
    assert.throws(() => nextBankingDay(day('2030-01-01'), closed), refusedWith('LC_CALENDAR_NO_BANKING_DAY'));
  });
});
