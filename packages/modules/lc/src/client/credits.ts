import { amountArgument } from '@pujiang/module-bank';
import {
  type ChainClient,
  encodePayload,
  hashArgument,
  objectArgument,
  parseAddress,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { hexToBytes, invalidArgument } from '@pujiang/types';
import {
  type CalendarYear,
  type CalendarYearJson,
  calendarYearFromJson,
  checkCalendarId,
} from '../calendar.js';
import { dayFromIso } from '../calendar-days.js';
import {
  AmendCredit,
  AmendmentStep,
  CreditStep,
  DOCUMENT_KINDS,
  type DocumentKind,
  DraftCredit,
  IssueCredit,
  LC_LIMITS,
  LC_MODULE,
  Present,
  PresentationStep,
  type PresentedDocument,
  Refuse,
  SetCalendar,
} from '../formats.js';
import type { AmendmentJson, CalendarYearAnswer, CreditJson, PresentationJson } from '../records.js';
import {
  AmendmentQuery,
  CalendarQuery,
  CreditByNumberQuery,
  CreditQuery,
  LcBanksQuery,
  PresentationQuery,
} from '../schemas.js';

/**
 * Letters of credit from an application: each party's step is one call, checked first
 * (`SDK_INVALID_ARGUMENT` naming the parameter), then signed by the key it is given.
 */
export type LcSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;
export type LcAmount = bigint | number | string;

const send = (client: ChainClient, p: LcSendParameters, type: string, payload: Uint8Array) =>
  client.sendTransaction({ ...p, module: LC_MODULE, type, payload });

const idArgument = (value: unknown): Uint8Array => hexToBytes(hashArgument(value, 'id'));
function seqArgument(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) >= 2 ** 32)
    throw invalidArgument('seq is a positive whole number', 'seq');
  return value as number;
}
function orgArgument(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > LC_LIMITS.orgId)
    throw invalidArgument(`${parameter} is an organization id`, parameter);
  return value;
}
function dayArgument(value: unknown, parameter: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    try {
      return dayFromIso(value);
    } catch {}
  }
  throw invalidArgument(`${parameter} is a date (YYYY-MM-DD)`, parameter);
}

/** `lc/draft`: the applicant's maker drafts a credit from MT700 text (its terms). Returns the credit id. */
export async function draftCredit(
  client: ChainClient,
  p: LcSendParameters & {
    mt700: string;
    issuingOrg: string;
    advisingOrg: string;
    beneficiary: string;
    denom?: string;
    calendar: string;
    required: readonly DocumentKind[];
    tenorDays?: number;
  },
): Promise<SendTransactionReturnType & { id: string | undefined }> {
  objectArgument(p, 'parameters');
  const {
    mt700,
    issuingOrg,
    advisingOrg,
    beneficiary,
    denom = 'native',
    calendar,
    required,
    tenorDays = 0,
    ...rest
  } = p;
  if (typeof mt700 !== 'string' || mt700.length === 0)
    throw invalidArgument('mt700 is the MT700 text', 'mt700');
  if (typeof calendar !== 'string') throw invalidArgument('calendar is a calendar id', 'calendar');
  try {
    checkCalendarId(calendar);
  } catch {
    throw invalidArgument('calendar is a calendar id (CN, HK, ...)', 'calendar');
  }
  if (
    !Array.isArray(required) ||
    required.length === 0 ||
    !required.every((k) => (DOCUMENT_KINDS as readonly unknown[]).includes(k))
  )
    throw invalidArgument(`required lists document kinds: ${DOCUMENT_KINDS.join(', ')}`, 'required');
  if (!Number.isSafeInteger(tenorDays) || tenorDays < 0 || tenorDays > LC_LIMITS.tenorDays)
    throw invalidArgument(`tenorDays is 0 to ${LC_LIMITS.tenorDays}`, 'tenorDays');
  if (typeof denom !== 'string' || !/^[a-z][a-z0-9/._-]{0,63}$/.test(denom))
    throw invalidArgument('denom is a denomination', 'denom');
  const payload = encodePayload(DraftCredit, {
    issuingOrg: orgArgument(issuingOrg, 'issuingOrg'),
    advisingOrg: orgArgument(advisingOrg, 'advisingOrg'),
    beneficiary: parseAddress(beneficiary, 'beneficiary'),
    denom,
    calendar,
    mt700,
    required: [...required],
    tenorDays,
  });
  const sent = await send(client, rest, 'draft', payload);
  const drafted = sent.result.receipt?.events.find((e) => e.module === LC_MODULE && e.type === 'drafted');
  return { ...sent, id: drafted?.attributes.id };
}

const step =
  (type: 'check' | 'approve' | 'advise') =>
  (client: ChainClient, p: LcSendParameters & { id: string }): Promise<SendTransactionReturnType> => {
    objectArgument(p, 'parameters');
    const { id, ...rest } = p;
    return send(client, rest, type, encodePayload(CreditStep, { id: idArgument(id) }));
  };
/** `lc/check`: the applicant's checker (another identity than the maker). */
export const checkCredit = step('check');
/** `lc/approve`: the applicant's approver (neither the maker nor the checker). */
export const approveCredit = step('approve');
/** `lc/advise`: the advising bank advises the credit to the beneficiary. */
export const adviseCredit = step('advise');

/** `lc/issue`: the issuing bank issues the approved draft under its number (field 20), escrowing the maximum. */
export function issueCredit(
  client: ChainClient,
  p: LcSendParameters & { id: string; number: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, number, ...rest } = p;
  if (typeof number !== 'string' || number.length === 0 || number.length > LC_LIMITS.creditNumber)
    throw invalidArgument('number is 1-16 characters', 'number');
  return send(client, rest, 'issue', encodePayload(IssueCredit, { id: idArgument(id), number }));
}

/** `lc/amend`: the issuing bank proposes changes (binding once the beneficiary accepts). */
export function amendCredit(
  client: ChainClient,
  p: LcSendParameters & {
    id: string;
    amount?: LcAmount;
    tolerance?: { plus: number; minus: number };
    expiryDate?: string | number;
    latestShipmentDate?: string | number;
    presentationDays?: number;
  },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, amount, tolerance, expiryDate, latestShipmentDate, presentationDays, ...rest } = p;
  if (tolerance !== undefined) {
    objectArgument(tolerance, 'tolerance');
    for (const v of [tolerance.plus, tolerance.minus])
      if (!Number.isInteger(v) || v < 0 || v > 99)
        throw invalidArgument('tolerance is 0 to 99 percent', 'tolerance');
  }
  if (
    presentationDays !== undefined &&
    (!Number.isSafeInteger(presentationDays) || presentationDays < 0 || presentationDays >= 2 ** 32)
  )
    throw invalidArgument('presentationDays is a whole number of days', 'presentationDays');
  const payload = encodePayload(AmendCredit, {
    id: idArgument(id),
    ...(amount !== undefined ? { amount: amountArgument(amount, 'amount') } : {}),
    ...(tolerance !== undefined ? { tolerance: { plus: tolerance.plus, minus: tolerance.minus } } : {}),
    ...(expiryDate !== undefined ? { expiryDay: dayArgument(expiryDate, 'expiryDate') } : {}),
    ...(latestShipmentDate !== undefined
      ? { latestShipmentDay: dayArgument(latestShipmentDate, 'latestShipmentDate') }
      : {}),
    ...(presentationDays !== undefined ? { presentationDays } : {}),
  });
  return send(client, rest, 'amend', payload);
}

const amendmentStep =
  (type: 'acceptAmendment' | 'rejectAmendment') =>
  (
    client: ChainClient,
    p: LcSendParameters & { id: string; seq: number },
  ): Promise<SendTransactionReturnType> => {
    objectArgument(p, 'parameters');
    const { id, seq, ...rest } = p;
    return send(
      client,
      rest,
      type,
      encodePayload(AmendmentStep, { id: idArgument(id), seq: seqArgument(seq) }),
    );
  };
/** `lc/acceptAmendment`: the beneficiary accepts an amendment (all of it, Art. 10e). */
export const acceptAmendment = amendmentStep('acceptAmendment');
export const rejectAmendment = amendmentStep('rejectAmendment');

/** An electronic record: a document of the docs registry (its id), or a notarized file (its SHA-256). */
export type LcRecord = { kind: DocumentKind; registered: string } | { kind: DocumentKind; notarized: string };

/** `lc/present`: the beneficiary presents electronic records for an amount. */
export function presentDocuments(
  client: ChainClient,
  p: LcSendParameters & { id: string; amount: LcAmount; documents: readonly LcRecord[] },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, amount, documents, ...rest } = p;
  if (!Array.isArray(documents) || documents.length === 0 || documents.length > LC_LIMITS.documents)
    throw invalidArgument(`documents lists 1 to ${LC_LIMITS.documents} records`, 'documents');
  const records: PresentedDocument[] = documents.map((d, i) => {
    if (typeof d !== 'object' || d === null || !(DOCUMENT_KINDS as readonly unknown[]).includes(d.kind))
      throw invalidArgument(`documents[${i}].kind is one of ${DOCUMENT_KINDS.join(', ')}`, 'documents');
    const registered = 'registered' in d ? d.registered : undefined;
    const ref = registered ?? ('notarized' in d ? d.notarized : undefined);
    const value = hexToBytes(hashArgument(ref, `documents[${i}]`));
    return {
      kind: d.kind,
      source: registered !== undefined ? { type: 'registered', value } : { type: 'notarized', value },
    };
  });
  return send(
    client,
    rest,
    'present',
    encodePayload(Present, {
      id: idArgument(id),
      amount: amountArgument(amount, 'amount'),
      documents: records,
    }),
  );
}

const presentationStep =
  (type: 'complete' | 'honour' | 'waive' | 'claim' | 'settle') =>
  (
    client: ChainClient,
    p: LcSendParameters & { id: string; seq: number },
  ): Promise<SendTransactionReturnType> => {
    objectArgument(p, 'parameters');
    const { id, seq, ...rest } = p;
    return send(
      client,
      rest,
      type,
      encodePayload(PresentationStep, { id: idArgument(id), seq: seqArgument(seq) }),
    );
  };
/** `lc/complete`: eUCP notice of completeness (the examination period starts). */
export const completePresentation = presentationStep('complete');
/** `lc/honour`: the issuing bank honours (pays at sight, or accepts to pay at maturity). */
export const honourPresentation = presentationStep('honour');
/** `lc/waive`: the applicant waives the discrepancies of a refused presentation. */
export const waiveDiscrepancies = presentationStep('waive');
/** `lc/claim`: the beneficiary claims payment once the bank is precluded (no notice in time). */
export const claimPayment = presentationStep('claim');
/** `lc/settle`: an accepted presentation is paid at maturity. */
export const settlePresentation = presentationStep('settle');

/** `lc/refuse`: the issuing bank's single notice of refusal listing every discrepancy. */
export function refusePresentation(
  client: ChainClient,
  p: LcSendParameters & { id: string; seq: number; discrepancies: readonly string[] },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, seq, discrepancies, ...rest } = p;
  if (
    !Array.isArray(discrepancies) ||
    discrepancies.length === 0 ||
    discrepancies.length > LC_LIMITS.discrepancies ||
    !discrepancies.every((d) => typeof d === 'string' && d.length > 0 && d.length <= LC_LIMITS.discrepancy)
  )
    throw invalidArgument(`discrepancies lists 1 to ${LC_LIMITS.discrepancies} texts`, 'discrepancies');
  return send(
    client,
    rest,
    'refuse',
    encodePayload(Refuse, { id: idArgument(id), seq: seqArgument(seq), discrepancies: [...discrepancies] }),
  );
}

/** `lc/setCalendar`: a bank's admin keeps a calendar year in state (JSON form: dates as YYYY-MM-DD). */
export function setBankingCalendar(
  client: ChainClient,
  p: LcSendParameters & { calendar: string; year: CalendarYearJson },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { calendar, year, ...rest } = p;
  let entry: CalendarYear;
  try {
    checkCalendarId(calendar);
    entry = calendarYearFromJson(year);
  } catch (error) {
    throw invalidArgument(`a calendar id and one year of it: ${(error as Error).message}`, 'year');
  }
  return send(client, rest, 'setCalendar', encodePayload(SetCalendar, { calendar, year: entry }));
}

export async function getCredit(client: ChainClient, id: string): Promise<CreditJson | null> {
  return (await queryTyped(client, CreditQuery, { id: hashArgument(id, 'id') })).result.credit;
}
export async function getCreditByNumber(
  client: ChainClient,
  p: { org: string; number: string },
): Promise<CreditJson | null> {
  objectArgument(p, 'parameters');
  return (
    await queryTyped(client, CreditByNumberQuery, {
      org: orgArgument(p.org, 'org'),
      number: orgArgument(p.number, 'number'),
    })
  ).result.credit;
}
export async function getPresentation(
  client: ChainClient,
  p: { id: string; seq: number },
): Promise<PresentationJson | null> {
  objectArgument(p, 'parameters');
  return (
    await queryTyped(client, PresentationQuery, { id: hashArgument(p.id, 'id'), seq: seqArgument(p.seq) })
  ).result.presentation;
}
export async function getAmendment(
  client: ChainClient,
  p: { id: string; seq: number },
): Promise<AmendmentJson | null> {
  objectArgument(p, 'parameters');
  return (await queryTyped(client, AmendmentQuery, { id: hashArgument(p.id, 'id'), seq: seqArgument(p.seq) }))
    .result.amendment;
}
export async function getBankingCalendar(
  client: ChainClient,
  p: { calendar: string; year: number },
): Promise<CalendarYearAnswer | null> {
  objectArgument(p, 'parameters');
  if (!Number.isSafeInteger(p.year)) throw invalidArgument('year is a year', 'year');
  return (await queryTyped(client, CalendarQuery, { calendar: p.calendar, year: p.year })).result.calendar;
}
export async function getLcBanks(client: ChainClient): Promise<string[]> {
  return (await queryTyped(client, LcBanksQuery, {})).result.banks;
}
