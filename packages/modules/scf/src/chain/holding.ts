import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { type Part, partId, SCF_LIMITS, type SplitReceivable, type TransferReceivable } from '../formats.js';
import {
  amountOf,
  loadReceivable,
  positiveAmount,
  requireFreePart,
  requireMember,
  savePart,
  saveReceivable,
} from './common.js';

/**
 * Holding receivables: the holder of a part splits it (2 to 16 parts whose amounts sum to
 * it) or transfers it whole to another member, down its own supply chain. A pledged part, a
 * part with a financing request pending, a split or settled part cannot be moved.
 */
export function split(ctx: MessageContext, m: SplitReceivable): void {
  const { idHex, part } = requireFreePart(ctx, m.id);
  if (m.amounts.length < 2)
    throw moduleError('SCF_BAD_SPLIT', 'a split makes 2 to 16 parts', { parts: m.amounts.length });
  if (amountOf(part.paid) !== 0n)
    throw moduleError('SCF_BAD_SPLIT', `part ${idHex} is partly paid; it is no longer split`, { id: idHex });
  const amounts = m.amounts.map((a, i) => positiveAmount(a, `amounts[${i}]`));
  const total = amounts.reduce((a, b) => a + b, 0n);
  if (total !== amountOf(part.amount))
    throw moduleError(
      'SCF_BAD_SPLIT',
      `the parts sum to ${total}, not to the part's ${amountOf(part.amount)}`,
      {
        sum: String(total),
        amount: String(amountOf(part.amount)),
      },
    );
  const { idHex: receivableHex, record } = loadReceivable(ctx, part.receivable);
  if (record.status === 'settled')
    throw moduleError('SCF_SETTLED', `receivable ${receivableHex} is settled`, { id: receivableHex });
  if (record.parts.length - 1 + amounts.length > SCF_LIMITS.parts)
    throw moduleError('SCF_TOO_MANY_PARTS', `a receivable has at most ${SCF_LIMITS.parts} parts`, {
      parts: record.parts.length,
    });
  const children = m.amounts.map((_, i) => partId(ctx.chainHash, m.id, i));
  children.forEach((child, i) => {
    const childPart: Part = {
      receivable: part.receivable,
      parent: [m.id],
      depth: part.depth + 1,
      holder: part.holder,
      amount: m.amounts[i]!,
      paid: new Uint8Array(),
      state: 'active',
      children: [],
      transfers: 0,
      height: ctx.height,
    };
    savePart(ctx, bytesToHex(child), childPart);
  });
  savePart(ctx, idHex, { ...part, state: 'split', children });
  // The receivable's parts: the split part's place goes to its children, in order.
  const at = record.parts.findIndex((p) => bytesToHex(p) === idHex);
  const parts = [...record.parts.slice(0, at), ...children, ...record.parts.slice(at + 1)];
  saveReceivable(ctx, receivableHex, { ...record, parts });
  ctx.emit('split', {
    id: idHex,
    receivable: receivableHex,
    parts: children.map(bytesToHex).join(','),
    amounts: amounts.map(String).join(','),
  });
}

export function transfer(ctx: MessageContext, m: TransferReceivable): void {
  const { idHex, part } = requireFreePart(ctx, m.id);
  const to = bytesToHex(m.to);
  if (to === ctx.sender) throw moduleError('SCF_NOT_MEMBER', 'the holder holds it already', { address: to });
  requireMember(ctx, to, 'to');
  const { idHex: receivableHex, record } = loadReceivable(ctx, part.receivable);
  if (record.status === 'settled')
    throw moduleError('SCF_SETTLED', `receivable ${receivableHex} is settled`, { id: receivableHex });
  savePart(ctx, idHex, { ...part, holder: m.to, transfers: part.transfers + 1 });
  ctx.emit('transferred', { id: idHex, receivable: receivableHex, from: ctx.sender, to });
}
