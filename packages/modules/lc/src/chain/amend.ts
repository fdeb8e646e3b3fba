import { decode, encode } from '@pujiang/codec';
import { enqueue, type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { dayOf } from '../calendar-days.js';
import {
  type AmendCredit,
  Amendment,
  type AmendmentStep,
  amendmentKey,
  type Credit,
  type CreditStep,
  expiryQueue,
  LC_LIMITS,
} from '../formats.js';
import {
  amountBytes,
  amountOf,
  creditMax,
  extendedExpiryDay,
  loadCredit,
  loadPresentation,
  positiveAmount,
  requireBankApproval,
  requireCalendarYears,
  requireOrg,
  saveCredit,
} from './common.js';
import { beneficiaryOf, releaseFromHolds } from './funds.js';

/**
 * Amendments (UCP 600 Art. 10): the issuing bank proposes one at a time; the credit's terms
 * change only when the beneficiary accepts it, all of it (Art. 10e); until then the original
 * terms stand. An increase is escrowed when proposed and refunded if rejected.
 */
function changed(credit: Credit, m: AmendCredit): Credit {
  return {
    ...credit,
    ...(m.amount !== undefined ? { amount: m.amount } : {}),
    ...(m.tolerance !== undefined ? { tolerance: m.tolerance } : {}),
    ...(m.expiryDay !== undefined ? { expiryDay: m.expiryDay } : {}),
    ...(m.latestShipmentDay !== undefined ? { latestShipmentDay: m.latestShipmentDay } : {}),
    ...(m.presentationDays !== undefined ? { presentationDays: m.presentationDays } : {}),
  };
}

function openCredit(ctx: MessageContext, id: Uint8Array): { idHex: string; credit: Credit } {
  const loaded = loadCredit(ctx, id);
  const { idHex, credit } = loaded;
  if (credit.status !== 'issued' && credit.status !== 'advised')
    throw moduleError('LC_BAD_STATE', `credit ${idHex} is ${credit.status}`, {
      id: idHex,
      status: credit.status,
    });
  return loaded;
}

export function amend(ctx: MessageContext, m: AmendCredit): void {
  const { idHex, credit } = openCredit(ctx, m.id);
  requireOrg(ctx, credit.issuingOrg, 'issuing bank');
  requireBankApproval(ctx, credit.issuingOrg, `lc/amend/${credit.issuingOrg}`);
  if (credit.pendingAmendment !== undefined)
    throw moduleError('LC_AMENDMENT_PENDING', `amendment ${credit.pendingAmendment} awaits the beneficiary`, {
      id: idHex,
      seq: credit.pendingAmendment,
    });
  const { id: _id, ...changes } = m;
  if (Object.values(changes).every((v) => v === undefined))
    throw moduleError('LC_BAD_AMENDMENT', 'an amendment changes something', { id: idHex });
  if (m.amount !== undefined) positiveAmount(m.amount, 'amount');
  if (m.tolerance !== undefined && (m.tolerance.plus > 99 || m.tolerance.minus > 99))
    throw moduleError('LC_BAD_AMENDMENT', 'a tolerance is 0 to 99 percent', { field: 'tolerance' });
  const today = dayOf(ctx.time);
  for (const [field, day] of [
    ['expiryDay', m.expiryDay],
    ['latestShipmentDay', m.latestShipmentDay],
  ] as const)
    if (day !== undefined && (day < today || day > today + LC_LIMITS.horizonDays))
      throw moduleError('LC_BAD_AMENDMENT', `${field} is between today and ten years ahead`, { field });
  if (m.presentationDays !== undefined && m.presentationDays > LC_LIMITS.presentationDays)
    throw moduleError(
      'LC_BAD_AMENDMENT',
      `a presentation period is at most ${LC_LIMITS.presentationDays} days`,
      {
        field: 'presentationDays',
      },
    );
  // The calendar must cover a moved expiry, as at issue.
  if (m.expiryDay !== undefined) requireCalendarYears(ctx, credit.calendar, today, m.expiryDay);
  const seq = credit.amendments + 1;
  const increase = creditMax(changed(credit, m)) - creditMax(credit);
  const hold = increase > 0n ? `lc/${idHex}/${seq}` : '';
  if (increase > 0n)
    ctx.call('bank', 'escrow', { id: hold, from: ctx.sender, denom: credit.denom, amount: String(increase) });
  ctx.set(
    amendmentKey(idHex, seq),
    encode(Amendment, { changes: m, status: 'pending', hold, height: ctx.height }),
  );
  saveCredit(ctx, idHex, { ...credit, amendments: seq, pendingAmendment: seq });
  ctx.emit('amendmentProposed', {
    id: idHex,
    seq: String(seq),
    increase: String(increase > 0n ? increase : 0n),
  });
}

function pendingAmendment(ctx: MessageContext, m: AmendmentStep) {
  const { idHex, credit } = openCredit(ctx, m.id);
  if (ctx.sender !== beneficiaryOf(credit))
    throw moduleError('LC_WRONG_PARTY', 'only the beneficiary accepts or rejects an amendment', {
      party: 'beneficiary',
    });
  const bytes = ctx.get(amendmentKey(idHex, m.seq));
  const amendment = bytes ? decode(Amendment, bytes) : undefined;
  if (!amendment || credit.pendingAmendment !== m.seq)
    throw moduleError('LC_NO_AMENDMENT', `credit ${idHex} has no pending amendment ${m.seq}`, {
      id: idHex,
      seq: m.seq,
    });
  return { idHex, credit, amendment };
}

export function acceptAmendment(ctx: MessageContext, m: AmendmentStep): void {
  const { idHex, credit, amendment } = pendingAmendment(ctx, m);
  const next = changed(credit, amendment.changes);
  const before = creditMax(credit);
  const after = creditMax(next);
  if (next.expiryDay < dayOf(ctx.time))
    throw moduleError('LC_BAD_AMENDMENT', 'the amended expiry date has passed', { field: 'expiryDay' });
  // What is drawn, and what the presentation under examination may still draw, must fit.
  const pending =
    credit.pendingPresentation === undefined
      ? 0n
      : amountOf(loadPresentation(ctx, idHex, credit.pendingPresentation).amount);
  const committed = amountOf(credit.drawn) + pending;
  if (after < committed)
    throw moduleError(
      'LC_BAD_AMENDMENT',
      'the amended credit would be less than what was drawn or is under examination',
      {
        drawn: String(committed),
      },
    );
  let holds = credit.holds;
  if (after > before) holds = [...holds, { id: amendment.hold, amount: amountBytes(after - before) }];
  // A decrease goes back to the bank identity that issued the credit.
  else if (after < before)
    holds = releaseFromHolds(ctx, credit, before - after, bytesToHex(credit.issuedBy[0]!));
  const { pendingAmendment: _p, ...rest } = next;
  saveCredit(ctx, idHex, { ...rest, holds });
  ctx.set(amendmentKey(idHex, m.seq), encode(Amendment, { ...amendment, status: 'accepted' }));
  if (next.expiryDay !== credit.expiryDay)
    enqueue(ctx, expiryQueue(extendedExpiryDay(ctx, next)), hexToBytes(idHex));
  ctx.emit('amendmentAccepted', { id: idHex, seq: String(m.seq), max: String(after) });
}

export function rejectAmendment(ctx: MessageContext, m: AmendmentStep): void {
  const { idHex, credit, amendment } = pendingAmendment(ctx, m);
  if (amendment.hold !== '') ctx.call('bank', 'refund', { id: amendment.hold });
  const { pendingAmendment: _p, ...rest } = credit;
  saveCredit(ctx, idHex, rest);
  ctx.set(amendmentKey(idHex, m.seq), encode(Amendment, { ...amendment, status: 'rejected' }));
  ctx.emit('amendmentRejected', { id: idHex, seq: String(m.seq) });
}

/** `lc/withdrawAmendment`: the issuing bank takes back the amendment the beneficiary has not answered. */
export function withdrawAmendment(ctx: MessageContext, m: CreditStep): void {
  const { idHex, credit } = openCredit(ctx, m.id);
  requireOrg(ctx, credit.issuingOrg, 'issuing bank');
  const seq = credit.pendingAmendment;
  const bytes = seq === undefined ? undefined : ctx.get(amendmentKey(idHex, seq));
  if (seq === undefined || !bytes)
    throw moduleError('LC_NO_AMENDMENT', `credit ${idHex} has no pending amendment`, { id: idHex });
  const amendment = decode(Amendment, bytes);
  if (amendment.hold !== '') ctx.call('bank', 'refund', { id: amendment.hold });
  const { pendingAmendment: _p, ...rest } = credit;
  saveCredit(ctx, idHex, rest);
  ctx.set(amendmentKey(idHex, seq), encode(Amendment, { ...amendment, status: 'lapsed' }));
  ctx.emit('amendmentWithdrawn', { id: idHex, seq: String(seq) });
}
