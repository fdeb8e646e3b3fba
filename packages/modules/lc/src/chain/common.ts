import { decode, encode } from '@pujiang/codec';
import { positiveAmount as bankPositiveAmount, decodeAmount, encodeAmount } from '@pujiang/module-bank';
import { requireOrgApproval } from '@pujiang/module-governance';
import { type MessageContext, type ModuleContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { maxDrawable } from '../amounts.js';
import { type CalendarLookup, CalendarYearCodec, extendedDeadline } from '../calendar.js';
import { civilFromDay } from '../calendar-days.js';
import {
  Banks,
  banksKey,
  type Credit,
  Credit as CreditCodec,
  calendarKey,
  creditKey,
  type Presentation,
  Presentation as PresentationCodec,
  presentationKey,
} from '../formats.js';

/** What the handlers share: records, amounts, identities and the calendar in state. */
export interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

export const amountOf = (bytes: Uint8Array): bigint => decodeAmount(bytes) ?? 0n;
export const amountBytes = (amount: bigint): Uint8Array => encodeAmount(amount);

export const positiveAmount = (bytes: Uint8Array, field: string): bigint =>
  bankPositiveAmount(bytes, field, 'LC_BAD_AMOUNT');

export function loadCredit(ctx: ModuleContext, id: Uint8Array | string): { idHex: string; credit: Credit } {
  const idHex = typeof id === 'string' ? id : bytesToHex(id);
  const bytes = ctx.get(creditKey(idHex));
  if (!bytes) throw moduleError('LC_UNKNOWN', `there is no credit ${idHex}`, { id: idHex });
  return { idHex, credit: decode(CreditCodec, bytes) };
}

export function saveCredit(ctx: ModuleContext, idHex: string, credit: Credit): void {
  ctx.set(creditKey(idHex), encode(CreditCodec, credit));
}

export function loadPresentation(ctx: ModuleContext, idHex: string, seq: number): Presentation {
  const bytes = ctx.get(presentationKey(idHex, seq));
  if (!bytes)
    throw moduleError('LC_UNKNOWN', `credit ${idHex} has no presentation ${seq}`, { id: idHex, seq });
  return decode(PresentationCodec, bytes);
}

export function savePresentation(ctx: ModuleContext, idHex: string, seq: number, p: Presentation): void {
  ctx.set(presentationKey(idHex, seq), encode(PresentationCodec, p));
}

export function identityOf(ctx: ModuleContext, address: string): IdentityView | null {
  return ctx.call('governance', 'identityOf', { address }) as IdentityView | null;
}

/** The sender is a valid identity of `org` (`what` names the party for the message). */
export function requireOrg(ctx: MessageContext, org: string, what: string): IdentityView {
  const identity = identityOf(ctx, ctx.sender);
  if (!identity?.valid || identity.org !== org)
    throw moduleError('LC_WRONG_PARTY', `only the ${what} (${org}) may do this`, {
      party: what,
      org,
      sender: ctx.sender,
    });
  return identity;
}

export function requireMember(ctx: ModuleContext, address: string, field: string): IdentityView {
  const identity = identityOf(ctx, address);
  if (!identity?.valid)
    throw moduleError('LC_NOT_MEMBER', `${field} ${address} is not a valid member identity`, {
      field,
      address,
    });
  return identity;
}

export function banks(ctx: ModuleContext): string[] {
  const bytes = ctx.get(banksKey);
  return bytes ? decode(Banks, bytes) : [];
}

export function requireBankOrg(ctx: ModuleContext, org: string, field: string): void {
  if (!banks(ctx).includes(org))
    throw moduleError('LC_NOT_BANK', `${field} ${org} is not a bank of the lc module`, { field, org });
}

/** The calendar `id` as kept in state: each year read when the count reaches it. */
export function calendarIn(ctx: ModuleContext, id: string): CalendarLookup {
  return (year) => {
    const bytes = ctx.get(calendarKey(id, year));
    return bytes ? decode(CalendarYearCodec, bytes) : undefined;
  };
}

/** The most the credit may pay in all (Art. 30: its amount plus the tolerance). */
export function creditMax(credit: Credit): bigint {
  const { plus, minus } = credit.tolerance;
  return maxDrawable({
    amount: amountOf(credit.amount),
    ...(plus === 0 && minus === 0 ? {} : { tolerance: { plus, minus } }),
  });
}

/**
 * An organization's own approval policy for a step (`lc/issue/<org>`, `lc/honour/<org>`,
 * `lc/amend/<org>`, `lc/waive/<org>`): maker, checker and approver when its policy says so.
 */
export const requireBankApproval = (ctx: MessageContext, org: string, resource: string): void =>
  requireOrgApproval(ctx, { org, resource, code: 'LC_APPROVAL_POLICY' });

/** The credit's last day for presentation: its expiry, extended over a closed day (Art. 29a). */
export function extendedExpiryDay(ctx: ModuleContext, credit: Credit): number {
  return extendedDeadline(credit.expiryDay, calendarIn(ctx, credit.calendar)).deadlineDay;
}

/** Refuses (`LC_CALENDAR_MISSING`) unless the calendar has every year from `fromDay` to `toDay`. */
export function requireCalendarYears(
  ctx: ModuleContext,
  calendar: string,
  fromDay: number,
  toDay: number,
): void {
  const lookup = calendarIn(ctx, calendar);
  const missing: number[] = [];
  for (let year = civilFromDay(fromDay).year; year <= civilFromDay(toDay).year; year++)
    if (lookup(year) === undefined) missing.push(year);
  if (missing.length > 0)
    throw moduleError('LC_CALENDAR_MISSING', `calendar ${calendar} has no entry for ${missing.join(', ')}`, {
      calendar,
      years: missing,
    });
}
