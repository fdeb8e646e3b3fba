import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import type { CancelFinancing, FinanceReceivable, ReleasePledge, RequestFinancing } from '../formats.js';
import {
  amountOf,
  banks,
  dayToday,
  loadPart,
  loadReceivable,
  positiveAmount,
  refuseUnlessActive,
  requireApproval,
  requireBank,
  requireFreePart,
  requireMember,
  same,
  savePart,
} from './common.js';

/**
 * Financing: the holder of a part asks one bank to advance money against it; the bank's
 * approval (maker, checker, approver: its organization's policy for `scf/finance/<org>`) pays
 * the advance to the holder and takes the part in pledge. A pledged part cannot be pledged,
 * transferred or split again, so one invoice is financed once, by one bank. At maturity the
 * part's payment goes to the bank.
 */
export function requestFinancing(ctx: MessageContext, m: RequestFinancing): void {
  const { idHex, part } = requireFreePart(ctx, m.id);
  const { idHex: receivableHex, record } = loadReceivable(ctx, part.receivable);
  if (record.status !== 'open' || BigInt(record.dueDay) < dayToday(ctx))
    throw moduleError(
      'SCF_NOT_FINANCEABLE',
      `receivable ${receivableHex} is ${record.status === 'open' ? 'due' : record.status}`,
      {
        id: receivableHex,
        status: record.status,
      },
    );
  if (!banks(ctx).includes(m.org))
    throw moduleError('SCF_NOT_BANK', `organization ${m.org} is not a bank of the scf module`, {
      org: m.org,
    });
  const advance = positiveAmount(m.advance, 'advance');
  if (advance > amountOf(part.amount) - amountOf(part.paid))
    throw moduleError('SCF_BAD_AMOUNT', 'the advance exceeds what the part is owed', { field: 'advance' });
  savePart(ctx, idHex, {
    ...part,
    request: { org: m.org, advance: m.advance, requestedBy: hexToBytes(ctx.sender), height: ctx.height },
  });
  ctx.emit('financingRequested', { id: idHex, org: m.org, advance: String(advance), holder: ctx.sender });
}

export function cancelFinancing(ctx: MessageContext, m: CancelFinancing): void {
  const { idHex, part } = loadPart(ctx, m.id);
  if (bytesToHex(part.holder) !== ctx.sender)
    throw moduleError('SCF_NOT_HOLDER', `only the holder cancels a request on part ${idHex}`, { id: idHex });
  if (!part.request)
    throw moduleError('SCF_NO_REQUEST', `part ${idHex} has no financing request`, { id: idHex });
  const { request: _r, ...rest } = part;
  savePart(ctx, idHex, rest);
  ctx.emit('financingCancelled', { id: idHex, org: part.request.org });
}

export function finance(ctx: MessageContext, m: FinanceReceivable): void {
  const { idHex, part } = loadPart(ctx, m.id);
  refuseUnlessActive(idHex, part);
  const request = part.request;
  if (!request) throw moduleError('SCF_NO_REQUEST', `part ${idHex} has no financing request`, { id: idHex });
  const org = requireBank(ctx);
  if (org !== request.org)
    throw moduleError('SCF_NOT_REQUESTED_BANK', `the holder asked ${request.org}, not ${org}`, {
      id: idHex,
      org: request.org,
    });
  const { idHex: receivableHex, record } = loadReceivable(ctx, part.receivable);
  if (record.status !== 'open' || BigInt(record.dueDay) < dayToday(ctx))
    throw moduleError(
      'SCF_NOT_FINANCEABLE',
      `receivable ${receivableHex} is ${record.status === 'open' ? 'due' : record.status}`,
      {
        id: receivableHex,
      },
    );
  requireApproval(ctx, org, `scf/finance/${org}`);
  // The signers approved this advance: a request changed meanwhile is not what they signed.
  if (!same(m.advance, request.advance))
    throw moduleError('SCF_ADVANCE_CHANGED', 'the holder asks for another advance than the bank approved', {
      id: idHex,
      requested: String(amountOf(request.advance)),
      approved: String(amountOf(m.advance)),
    });
  if (amountOf(request.advance) > amountOf(part.amount) - amountOf(part.paid))
    throw moduleError('SCF_BAD_AMOUNT', 'the advance exceeds what the part is still owed', {
      field: 'advance',
    });
  const payTo = bytesToHex(m.payTo);
  if (requireMember(ctx, payTo, 'payTo').org !== org)
    throw moduleError('SCF_NOT_MEMBER', `payTo ${payTo} is not an identity of ${org}`, { field: 'payTo' });
  const holder = bytesToHex(part.holder);
  const advance = amountOf(request.advance);
  ctx.call('bank', 'transfer', {
    from: ctx.sender,
    to: holder,
    denom: record.denom,
    amount: String(advance),
  });
  const { request: _r, ...rest } = part;
  savePart(ctx, idHex, {
    ...rest,
    state: 'pledged',
    pledge: {
      org,
      payTo: m.payTo,
      advance: request.advance,
      height: ctx.height,
      txHash: hexToBytes(ctx.txHash),
    },
  });
  ctx.emit('financed', {
    id: idHex,
    receivable: receivableHex,
    org,
    holder,
    advance: String(advance),
    payTo,
  });
}

export function release(ctx: MessageContext, m: ReleasePledge): void {
  const { idHex, part } = loadPart(ctx, m.id);
  if (part.state !== 'pledged' || !part.pledge)
    throw moduleError('SCF_NOT_PLEDGED', `part ${idHex} is not pledged`, { id: idHex });
  const org = requireMember(ctx, ctx.sender, 'sender').org;
  if (org !== part.pledge.org)
    throw moduleError('SCF_NOT_PLEDGEE', `only ${part.pledge.org} releases its pledge`, { id: idHex });
  requireApproval(ctx, org, `scf/release/${org}`);
  const { pledge: _p, ...rest } = part;
  savePart(ctx, idHex, { ...rest, state: 'active' });
  ctx.emit('released', { id: idHex, org });
}
