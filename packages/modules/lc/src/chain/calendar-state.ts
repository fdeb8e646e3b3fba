import { encode } from '@pujiang/codec';
import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { CalendarYearCodec, checkCalendarId } from '../calendar.js';
import { calendarKey, type SetCalendar } from '../formats.js';
import { requireBankOrg, requireMember } from './common.js';

/**
 * Deadlines are computed from the calendar when a presentation arrives and stored with it, so
 * a later change to a calendar never moves a deadline already running.
 */
export function setCalendar(ctx: MessageContext, m: SetCalendar): void {
  checkCalendarId(m.calendar);
  const identity = requireMember(ctx, ctx.sender, 'sender');
  requireBankOrg(ctx, identity.org, 'sender organization');
  if (identity.role !== 'admin')
    throw moduleError('LC_WRONG_PARTY', "a bank's admin keeps its calendars", { party: 'bank admin' });
  ctx.set(calendarKey(m.calendar, m.year.year), encode(CalendarYearCodec, m.year));
  ctx.emit('calendarSet', {
    calendar: m.calendar,
    year: String(m.year.year),
    holidays: String(m.year.holidays.length),
    workdays: String(m.year.workdays.length),
    by: ctx.sender,
  });
}
