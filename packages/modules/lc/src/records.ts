import { decode } from '@pujiang/codec';
import { decodeAmount } from '@pujiang/module-bank';
import { bytesToHex } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import { maxDrawable } from './amounts.js';
import { CalendarYearCodec, calendarYearToJson } from './calendar.js';
import { isoFromDay } from './calendar-days.js';
import {
  Amendment,
  amendmentKey,
  Banks,
  banksKey,
  Credit,
  calendarKey,
  creditKey,
  numberKey,
  Presentation,
  presentationKey,
} from './formats.js';
import { parseMt700 } from './mt700-parse.js';
import type { AmendmentSchema, CalendarYearSchema, CreditSchema, PresentationSchema } from './schemas.js';

/**
 * Reading credits, the same way on the chain (queries over state) and in a client that trusts
 * no node (over reads proven under a certified header).
 */
export type LcRead = (key: string) => Uint8Array | undefined;
export type CreditJson = Static<typeof CreditSchema>;
export type PresentationJson = Static<typeof PresentationSchema>;
export type AmendmentJson = Static<typeof AmendmentSchema>;
export type CalendarYearAnswer = Static<typeof CalendarYearSchema>;

const amount = (bytes: Uint8Array) => decodeAmount(bytes) ?? 0n;
const hexOr = (list: readonly Uint8Array[]) => (list[0] ? bytesToHex(list[0]) : null);

export function readCredit(read: LcRead, idHex: string): Credit | undefined {
  const bytes = read(creditKey(idHex));
  return bytes ? decode(Credit, bytes) : undefined;
}

export function creditJson(idHex: string, c: Credit): CreditJson {
  const { plus, minus } = c.tolerance;
  const max = maxDrawable({
    amount: amount(c.amount),
    ...(plus || minus ? { tolerance: { plus, minus } } : {}),
  });
  return {
    id: idHex,
    status: c.status,
    closeReason: c.closeReason,
    number: c.issuedBy.length > 0 ? parseMt700(c.mt700).terms.creditNumber : '',
    applicantOrg: c.applicantOrg,
    maker: bytesToHex(c.maker),
    checker: hexOr(c.checker),
    approver: hexOr(c.approver),
    issuingOrg: c.issuingOrg,
    advisingOrg: c.advisingOrg,
    beneficiary: bytesToHex(c.beneficiary),
    issuedBy: hexOr(c.issuedBy),
    denom: c.denom,
    calendar: c.calendar,
    mt700: c.mt700,
    required: [...c.required],
    tenorDays: c.tenorDays,
    eucp: c.eucp,
    partialAllowed: c.partialAllowed,
    amount: String(amount(c.amount)),
    tolerance: { plus, minus },
    max: String(max),
    drawn: String(amount(c.drawn)),
    escrowed: String(c.holds.reduce((sum, h) => sum + amount(h.amount), 0n)),
    expiryDay: c.expiryDay,
    expiryDate: isoFromDay(c.expiryDay),
    latestShipmentDay: c.latestShipmentDay ?? null,
    presentationDays: c.presentationDays,
    amendments: c.amendments,
    pendingAmendment: c.pendingAmendment ?? null,
    presentations: c.presentations,
    pendingPresentation: c.pendingPresentation ?? null,
    height: String(c.height),
    txHash: bytesToHex(c.txHash),
  };
}

export function creditAnswer(read: LcRead, idHex: string): CreditJson | null {
  const c = readCredit(read, idHex);
  return c ? creditJson(idHex, c) : null;
}

export function creditByNumberAnswer(read: LcRead, org: string, number: string): CreditJson | null {
  const id = read(numberKey(org, number));
  return id ? creditAnswer(read, bytesToHex(id)) : null;
}

export function presentationAnswer(read: LcRead, idHex: string, seq: number): PresentationJson | null {
  const bytes = read(presentationKey(idHex, seq));
  if (!bytes) return null;
  const p = decode(Presentation, bytes);
  return {
    id: idHex,
    seq,
    presenter: bytesToHex(p.presenter),
    amount: String(amount(p.amount)),
    documents: p.documents.map((d) => ({
      kind: d.kind,
      source: d.source.type,
      ref: bytesToHex(d.source.value),
    })),
    time: String(p.time),
    completedAt: p.completedAt === undefined ? null : String(p.completedAt),
    deadline: p.deadline === undefined ? null : String(p.deadline),
    deadlineDay: p.deadlineDay ?? null,
    deadlineDate: p.deadlineDay === undefined ? null : isoFromDay(p.deadlineDay),
    found: [...p.found],
    notice: [...p.notice],
    noticeAt: p.noticeAt === undefined ? null : String(p.noticeAt),
    status: p.status,
    precluded: p.precluded,
    maturityDay: p.maturityDay ?? null,
    height: String(p.height),
  };
}

export function amendmentAnswer(read: LcRead, idHex: string, seq: number): AmendmentJson | null {
  const bytes = read(amendmentKey(idHex, seq));
  if (!bytes) return null;
  const a = decode(Amendment, bytes);
  const c = a.changes;
  return {
    id: idHex,
    seq,
    status: a.status,
    amount: c.amount === undefined ? null : String(amount(c.amount)),
    tolerance: c.tolerance ?? null,
    expiryDay: c.expiryDay ?? null,
    latestShipmentDay: c.latestShipmentDay ?? null,
    presentationDays: c.presentationDays ?? null,
    height: String(a.height),
  };
}

export function calendarAnswer(read: LcRead, calendar: string, year: number): CalendarYearAnswer | null {
  const bytes = read(calendarKey(calendar, year));
  return bytes ? { calendar, ...calendarYearToJson(decode(CalendarYearCodec, bytes)) } : null;
}

export function lcBanksAnswer(read: LcRead): string[] {
  const bytes = read(banksKey);
  return bytes ? decode(Banks, bytes) : [];
}
