import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { dayOf } from '../calendar-days.js';
import type { Credit, Presentation, PresentationStep, Refuse } from '../formats.js';
import { closeIfDone } from './closing.js';
import {
  amountBytes,
  amountOf,
  creditMax,
  loadCredit,
  loadPresentation,
  requireBankApproval,
  requireOrg,
  saveCredit,
  savePresentation,
} from './common.js';
import { beneficiaryOf, maturityHold, releaseFromHolds, reserveForMaturity } from './funds.js';

/**
 * Examination and settlement (UCP 600 Art. 14b, 15, 16): within the five banking days the
 * issuing bank honours a complying presentation or gives one notice of refusal listing every
 * discrepancy. A notice after the deadline is refused, and the bank is then precluded from
 * claiming that the documents do not comply (Art. 16f): the beneficiary claims payment. The
 * applicant may waive discrepancies (Art. 16b); the bank then honours. Honour pays at sight, or
 * accepts to pay at maturity. The credit closes when fully drawn, after a single drawing when
 * partial drawings are not allowed, or once expired with nothing left under examination.
 */
function presentationOf(ctx: MessageContext, m: PresentationStep) {
  const { idHex, credit } = loadCredit(ctx, m.id);
  return { idHex, credit, p: loadPresentation(ctx, idHex, m.seq) };
}

/** Honour: pay now (sight) or owe at maturity; what was honoured counts as drawn. */
function honourWith(
  ctx: MessageContext,
  idHex: string,
  seq: number,
  credit: Credit,
  p: Presentation,
  precluded: boolean,
): void {
  const amount = amountOf(p.amount);
  const drawn = amountOf(credit.drawn) + amount;
  if (drawn > creditMax(credit))
    throw moduleError('LC_OVERDRAWN', 'honouring it would take the credit past its maximum', {
      drawn: String(drawn),
    });
  const sight = credit.tenorDays === 0;
  const holds = sight
    ? releaseFromHolds(ctx, credit, amount, beneficiaryOf(credit))
    : reserveForMaturity(ctx, idHex, seq, credit, amount);
  const maturityDay = dayOf(ctx.time) + credit.tenorDays;
  savePresentation(ctx, idHex, seq, {
    ...p,
    status: sight ? 'paid' : 'accepted',
    precluded,
    ...(sight ? {} : { maturityDay }),
  });
  const { pendingPresentation: pending, ...rest } = credit;
  const next: Credit = {
    ...rest,
    ...(pending === seq ? {} : pending === undefined ? {} : { pendingPresentation: pending }),
    drawn: amountBytes(drawn),
    holds,
  };
  ctx.emit('honoured', {
    id: idHex,
    seq: String(seq),
    amount: String(amount),
    paid: String(sight),
    maturityDay: sight ? '' : String(maturityDay),
    precluded: String(precluded),
  });
  saveCredit(ctx, idHex, closeIfDone(ctx, idHex, next));
}

export function honour(ctx: MessageContext, m: PresentationStep): void {
  const { idHex, credit, p } = presentationOf(ctx, m);
  requireOrg(ctx, credit.issuingOrg, 'issuing bank');
  requireBankApproval(ctx, credit.issuingOrg, `lc/honour/${credit.issuingOrg}`);
  if (p.status !== 'examining' && p.status !== 'waived')
    throw moduleError('LC_BAD_STATE', `presentation ${m.seq} is ${p.status}`, {
      id: idHex,
      seq: m.seq,
      status: p.status,
    });
  honourWith(ctx, idHex, m.seq, credit, p, p.precluded);
}

export function refuse(ctx: MessageContext, m: Refuse): void {
  const { idHex, credit, p } = presentationOf(ctx, m);
  requireOrg(ctx, credit.issuingOrg, 'issuing bank');
  if (p.status === 'presented')
    throw moduleError(
      'LC_NOT_COMPLETE',
      'under eUCP the examination starts with the notice of completeness',
      { seq: m.seq },
    );
  if (p.notice.length > 0 || p.status === 'refused' || p.status === 'waived')
    throw moduleError('LC_NOTICE_GIVEN', 'a presentation gets a single notice of refusal (Art. 16d)', {
      seq: m.seq,
    });
  if (p.status !== 'examining')
    throw moduleError('LC_BAD_STATE', `presentation ${m.seq} is ${p.status}`, {
      id: idHex,
      seq: m.seq,
      status: p.status,
    });
  if (p.deadline !== undefined && ctx.time > p.deadline)
    throw moduleError(
      'LC_NOTICE_LATE',
      `the notice comes after the fifth banking day (day ${p.deadlineDay}): the bank is precluded (Art. 16f)`,
      {
        id: idHex,
        seq: m.seq,
        deadline: String(p.deadline),
        deadlineDay: p.deadlineDay,
      },
    );
  const listed = m.discrepancies.map((d) => d.trim());
  if (listed.length === 0 || listed.some((d) => d === '') || new Set(listed).size !== listed.length)
    throw moduleError('LC_BAD_NOTICE', 'a notice of refusal lists every discrepancy, each once (Art. 16d)', {
      seq: m.seq,
    });
  savePresentation(ctx, idHex, m.seq, { ...p, status: 'refused', notice: listed, noticeAt: ctx.time });
  // The beneficiary may present again; a waiver may still lead to honour of this one.
  const { pendingPresentation: _p, ...rest } = credit;
  saveCredit(ctx, idHex, closeIfDone(ctx, idHex, rest));
  ctx.emit('refused', { id: idHex, seq: String(m.seq), discrepancies: String(listed.length) });
}

export function waive(ctx: MessageContext, m: PresentationStep): void {
  const { idHex, credit, p } = presentationOf(ctx, m);
  requireOrg(ctx, credit.applicantOrg, 'applicant');
  requireBankApproval(ctx, credit.applicantOrg, `lc/waive/${credit.applicantOrg}`);
  if (p.status !== 'refused')
    throw moduleError('LC_BAD_STATE', `only a refused presentation is waived; ${m.seq} is ${p.status}`, {
      seq: m.seq,
    });
  if (credit.status === 'closed') throw moduleError('LC_CLOSED', `credit ${idHex} is closed`, { id: idHex });
  savePresentation(ctx, idHex, m.seq, { ...p, status: 'waived' });
  ctx.emit('waived', { id: idHex, seq: String(m.seq), by: ctx.sender });
}

/** After the deadline with no notice, the bank must honour (Art. 16f): the beneficiary claims it. */
export function claim(ctx: MessageContext, m: PresentationStep): void {
  const { idHex, credit, p } = presentationOf(ctx, m);
  if (ctx.sender !== beneficiaryOf(credit))
    throw moduleError('LC_WRONG_PARTY', 'only the beneficiary claims', { party: 'beneficiary' });
  if (p.status !== 'examining' || p.deadline === undefined || ctx.time <= p.deadline)
    throw moduleError(
      'LC_NOT_PRECLUDED',
      `presentation ${m.seq} is ${p.status}${p.deadline !== undefined && ctx.time <= p.deadline ? ' and within its examination period' : ''}`,
      {
        seq: m.seq,
        status: p.status,
      },
    );
  honourWith(ctx, idHex, m.seq, credit, p, true);
}

/** An accepted presentation is paid at maturity, to the beneficiary, by anyone's transaction. */
export function settle(ctx: MessageContext, m: PresentationStep): void {
  const { idHex, credit, p } = presentationOf(ctx, m);
  if (p.status !== 'accepted' || p.maturityDay === undefined)
    throw moduleError('LC_BAD_STATE', `presentation ${m.seq} is ${p.status}, not accepted`, { seq: m.seq });
  if (dayOf(ctx.time) < p.maturityDay)
    throw moduleError('LC_NOT_MATURE', `presentation ${m.seq} matures on day ${p.maturityDay}`, {
      maturityDay: p.maturityDay,
    });
  ctx.call('bank', 'release', { id: maturityHold(idHex, m.seq), to: beneficiaryOf(credit) });
  savePresentation(ctx, idHex, m.seq, { ...p, status: 'paid' });
  ctx.emit('paid', { id: idHex, seq: String(m.seq), amount: String(amountOf(p.amount)) });
}
