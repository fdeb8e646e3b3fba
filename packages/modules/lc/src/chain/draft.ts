import { enqueue, type MessageContext, moduleError } from '@pujiang/module-kit';
import { encodeU64 } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { checkCalendarId } from '../calendar.js';
import { dayFromIso, dayOf, isoFromDay } from '../calendar-days.js';
import {
  type Credit,
  type CreditStep,
  creditId,
  type DraftCredit,
  EXPIRY_CURSOR_KEY,
  expiryQueue,
  type IssueCredit,
  LC_LIMITS,
  numberKey,
} from '../formats.js';
import { formatMt700 } from '../mt700-format.js';
import { parseMt700 } from '../mt700-parse.js';
import {
  amountBytes,
  creditMax,
  extendedExpiryDay,
  loadCredit,
  requireBankApproval,
  requireBankOrg,
  requireCalendarYears,
  requireMember,
  requireOrg,
  saveCredit,
} from './common.js';

/**
 * A credit from the applicant's draft to the advising bank: the applicant's maker drafts it
 * (the MT700's terms), a checker and an approver of the same organization, each a different
 * identity, approve it; the issuing bank issues it, giving its number and escrowing the most
 * it may pay (Art. 30 tolerance included); the advising bank advises it to the beneficiary.
 */
const DENOM = /^[a-z][a-z0-9/._-]{0,63}$/;
/** SWIFT field 20: 16x, not starting or ending with a slash, no two slashes together. */
const CREDIT_NUMBER = /^(?!\/)(?!.*\/\/)[A-Za-z0-9/\-?:().,'+ ]{1,16}(?<!\/)$/;
/** Gas per character of an MT700 parsed in execution (measured: parsing is linear in the text). */
const MT700_GAS_PER_CHAR = 20;

/** The MT700's terms as the chain keeps them: parsed, canonical, UCP 600 or eUCP 2.0 only. */
function readTerms(ctx: MessageContext, text: string) {
  ctx.consume(text.length * MT700_GAS_PER_CHAR, 'MT700 parsing');
  const message = parseMt700(text);
  const { terms } = message;
  const rules = terms.rules;
  if (rules !== 'UCP LATEST VERSION' && rules !== 'EUCP LATEST VERSION')
    throw moduleError('LC_BAD_TERMS', `40E ${rules}: this chain runs credits under UCP 600 or eUCP 2.0`, {
      field: '40E',
    });
  return message;
}

export function draft(ctx: MessageContext, m: DraftCredit): void {
  const maker = requireMember(ctx, ctx.sender, 'sender');
  requireBankOrg(ctx, m.issuingOrg, 'issuingOrg');
  requireBankOrg(ctx, m.advisingOrg, 'advisingOrg');
  if (m.issuingOrg === m.advisingOrg)
    throw moduleError('LC_BAD_TERMS', 'the advising bank is another bank than the issuing bank', {
      field: 'advisingOrg',
    });
  const beneficiary = bytesToHex(m.beneficiary);
  if (requireMember(ctx, beneficiary, 'beneficiary').org === maker.org)
    throw moduleError('LC_BAD_TERMS', 'the beneficiary is not of the applicant organization', {
      field: 'beneficiary',
    });
  if (!DENOM.test(m.denom))
    throw moduleError('LC_BAD_TERMS', `${m.denom} is not a denomination`, { field: 'denom' });
  checkCalendarId(m.calendar);
  if (m.tenorDays > LC_LIMITS.tenorDays)
    throw moduleError('LC_BAD_TERMS', `a tenor is at most ${LC_LIMITS.tenorDays} days`, {
      field: 'tenorDays',
    });
  if (m.required.length === 0 || new Set(m.required).size !== m.required.length)
    throw moduleError('LC_BAD_TERMS', 'the required documents are distinct, at least one', {
      field: 'required',
    });
  const { headers, terms } = readTerms(ctx, m.mt700);
  const expiryDay = dayFromIso(terms.expiryDate);
  if (expiryDay < dayOf(ctx.time))
    throw moduleError('LC_EXPIRED', `the expiry date ${terms.expiryDate} has passed`, { field: '31D' });
  if (expiryDay > dayOf(ctx.time) + LC_LIMITS.horizonDays)
    throw moduleError('LC_BAD_TERMS', 'the expiry date is more than ten years ahead', { field: '31D' });
  if ((terms.presentationPeriodDays ?? 21) > LC_LIMITS.presentationDays)
    throw moduleError('LC_BAD_TERMS', `a presentation period is at most ${LC_LIMITS.presentationDays} days`, {
      field: '48',
    });
  const id = creditId(ctx.chainHash, hexToBytes(ctx.sender), hexToBytes(ctx.txHash));
  const idHex = bytesToHex(id);
  const credit: Credit = {
    applicantOrg: maker.org,
    maker: hexToBytes(ctx.sender),
    checker: [],
    approver: [],
    issuingOrg: m.issuingOrg,
    advisingOrg: m.advisingOrg,
    beneficiary: m.beneficiary,
    denom: m.denom,
    calendar: m.calendar,
    mt700: formatMt700(terms, headers),
    required: m.required,
    tenorDays: m.tenorDays,
    eucp: terms.rules === 'EUCP LATEST VERSION',
    partialAllowed: terms.partialShipments !== 'NOT ALLOWED',
    amount: amountBytes(terms.amount),
    tolerance: terms.tolerance ?? { plus: 0, minus: 0 },
    expiryDay,
    ...(terms.latestShipmentDate ? { latestShipmentDay: dayFromIso(terms.latestShipmentDate) } : {}),
    // Art. 14c: 21 calendar days after shipment unless the credit says otherwise (48).
    presentationDays: terms.presentationPeriodDays ?? 21,
    status: 'draft',
    closeReason: '',
    issuedBy: [],
    drawn: new Uint8Array(),
    holds: [],
    amendments: 0,
    presentations: 0,
    height: ctx.height,
    txHash: hexToBytes(ctx.txHash),
  };
  saveCredit(ctx, idHex, credit);
  ctx.emit('drafted', {
    id: idHex,
    applicantOrg: maker.org,
    issuingOrg: m.issuingOrg,
    beneficiary,
    maker: ctx.sender,
  });
}

/** The checker and the approver: identities of the applicant's organization, each a different one. */
function approvalStep(ctx: MessageContext, m: CreditStep, step: 'check' | 'approve'): void {
  const { idHex, credit } = loadCredit(ctx, m.id);
  const expected = step === 'check' ? 'draft' : 'checked';
  if (credit.status !== expected)
    throw moduleError('LC_BAD_STATE', `credit ${idHex} is ${credit.status}, not ${expected}`, {
      id: idHex,
      status: credit.status,
    });
  requireOrg(ctx, credit.applicantOrg, 'applicant');
  const before = [credit.maker, ...credit.checker].map(bytesToHex);
  if (before.includes(ctx.sender))
    throw moduleError(
      'LC_SAME_IDENTITY',
      `the ${step === 'check' ? 'checker' : 'approver'} is another identity than the ${before.length > 1 ? 'maker and the checker' : 'maker'}`,
      {
        id: idHex,
      },
    );
  const next: Credit =
    step === 'check'
      ? { ...credit, checker: [hexToBytes(ctx.sender)], status: 'checked' }
      : { ...credit, approver: [hexToBytes(ctx.sender)], status: 'approved' };
  saveCredit(ctx, idHex, next);
  ctx.emit(step === 'check' ? 'checked' : 'approved', { id: idHex, by: ctx.sender });
}

export const check = (ctx: MessageContext, m: CreditStep): void => approvalStep(ctx, m, 'check');
export const approve = (ctx: MessageContext, m: CreditStep): void => approvalStep(ctx, m, 'approve');

export function issue(ctx: MessageContext, m: IssueCredit): void {
  const { idHex, credit } = loadCredit(ctx, m.id);
  if (credit.status !== 'approved')
    throw moduleError('LC_BAD_STATE', `credit ${idHex} is ${credit.status}, not approved by the applicant`, {
      id: idHex,
      status: credit.status,
    });
  requireOrg(ctx, credit.issuingOrg, 'issuing bank');
  requireBankApproval(ctx, credit.issuingOrg, `lc/issue/${credit.issuingOrg}`);
  if (!CREDIT_NUMBER.test(m.number))
    throw moduleError(
      'LC_BAD_TERMS',
      'a credit number is 1-16 SWIFT characters, no leading, trailing or double slash',
      {
        field: '20',
      },
    );
  if (ctx.get(numberKey(credit.issuingOrg, m.number)) !== undefined)
    throw moduleError('LC_DUPLICATE_NUMBER', `${credit.issuingOrg} issued credit ${m.number} before`, {
      number: m.number,
    });
  const today = dayOf(ctx.time);
  if (credit.expiryDay < today)
    throw moduleError('LC_EXPIRED', `credit ${idHex} expired before issue`, { id: idHex });
  // Deadlines must not depend on a guess: the bank's calendar covers the credit's life.
  requireCalendarYears(ctx, credit.calendar, today, credit.expiryDay);
  // The issued MT700: the bank's number (20) and today's date of issue (31C).

  const { headers, terms } = parseMt700(credit.mt700);
  const mt700 = formatMt700({ ...terms, creditNumber: m.number, issueDate: isoFromDay(today) }, headers);
  const max = creditMax(credit);
  const hold = `lc/${idHex}/0`;
  ctx.call('bank', 'escrow', { id: hold, from: ctx.sender, denom: credit.denom, amount: String(max) });
  ctx.set(numberKey(credit.issuingOrg, m.number), hexToBytes(idHex));
  saveCredit(ctx, idHex, {
    ...credit,
    mt700,
    status: 'issued',
    issuedBy: [hexToBytes(ctx.sender)],
    holds: [{ id: hold, amount: amountBytes(max) }],
  });
  // The expiry hook looks at the credit once its expiry day (extended over a closed day) has passed.
  enqueue(ctx, expiryQueue(extendedExpiryDay(ctx, credit)), hexToBytes(idHex));
  if (ctx.get(EXPIRY_CURSOR_KEY) === undefined) ctx.set(EXPIRY_CURSOR_KEY, encodeU64(BigInt(today)));
  ctx.emit('issued', { id: idHex, number: m.number, org: credit.issuingOrg, escrowed: String(max) });
}

export function advise(ctx: MessageContext, m: CreditStep): void {
  const { idHex, credit } = loadCredit(ctx, m.id);
  if (credit.status !== 'issued')
    throw moduleError('LC_BAD_STATE', `credit ${idHex} is ${credit.status}, not issued`, {
      id: idHex,
      status: credit.status,
    });
  requireOrg(ctx, credit.advisingOrg, 'advising bank');
  saveCredit(ctx, idHex, { ...credit, status: 'advised' });
  ctx.emit('advised', { id: idHex, org: credit.advisingOrg, beneficiary: bytesToHex(credit.beneficiary) });
}
