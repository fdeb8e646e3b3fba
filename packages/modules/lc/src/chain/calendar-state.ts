import { encode } from '@pujiang/codec';
import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { utf8ToBytes } from '@pujiang/types';

const bytesToUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

import { CalendarYearCodec, checkCalendarId } from '../calendar.js';
import { civilFromDay, dayOf } from '../calendar-days.js';
import { calendarKey, calendarOwnerKey, type SetCalendar } from '../formats.js';
import { requireBankOrg, requireMember } from './common.js';

/**
 * Calendars in state: each calendar id is kept by one bank, the one genesis names
 * (`calendarOwners`) or else the organization whose admin set it first, and only the current
 * year and later years change. Deadlines are computed from the calendar when a
 * presentation arrives and stored with it, so a later change never moves a running deadline.
 */
export function setCalendar(ctx: MessageContext, m: SetCalendar): void {
  checkCalendarId(m.calendar);
  const identity = requireMember(ctx, ctx.sender, 'sender');
  requireBankOrg(ctx, identity.org, 'sender organization');
  if (identity.role !== 'admin')
    throw moduleError('LC_WRONG_PARTY', "a bank's admin keeps its calendars", { party: 'bank admin' });
  const owner = ctx.get(calendarOwnerKey(m.calendar));
  const genesisCalendar = owner === undefined && ctx.get(calendarKey(m.calendar, m.year.year)) !== undefined;
  if (genesisCalendar || (owner !== undefined && bytesToUtf8(owner) !== identity.org))
    throw moduleError(
      'LC_CALENDAR_NOT_YOURS',
      `calendar ${m.calendar} is kept by ${owner ? bytesToUtf8(owner) : 'genesis'}`,
      {
        calendar: m.calendar,
        owner: owner ? bytesToUtf8(owner) : null,
      },
    );
  const thisYear = civilFromDay(dayOf(ctx.time)).year;
  if (m.year.year < thisYear)
    throw moduleError('LC_BAD_CALENDAR', `${m.year.year} has passed: its banking days stay as they were`, {
      year: m.year.year,
    });
  if (owner === undefined) ctx.set(calendarOwnerKey(m.calendar), utf8ToBytes(identity.org));
  ctx.set(calendarKey(m.calendar, m.year.year), encode(CalendarYearCodec, m.year));
  ctx.emit('calendarSet', {
    calendar: m.calendar,
    year: String(m.year.year),
    holidays: String(m.year.holidays.length),
    workdays: String(m.year.workdays.length),
    by: ctx.sender,
  });
}
