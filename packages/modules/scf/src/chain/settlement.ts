import { decode, encode } from '@pujiang/codec';
import { drainQueue, type HookContext, type MessageContext, moduleError } from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { CreditLine, creditLineKey, DUE_CURSOR_KEY, dueQueue, type SettleReceivable } from '../formats.js';
import {
  amountBytes,
  amountOf,
  dayToday,
  loadPart,
  loadReceivable,
  positiveAmount,
  savePart,
  saveReceivable,
} from './common.js';

/**
 * Settlement: from its due day on, the buyer pays a receivable through the bank module,
 * all that is unpaid or a partial amount, shared pro rata among its parts by what each is
 * still owed; each share goes to the part's pledgee bank if it is pledged, else to its
 * holder. An `endBlock` hook marks receivables overdue once their due day has passed unpaid.
 */
export function settle(ctx: MessageContext, m: SettleReceivable): void {
  const { idHex, record } = loadReceivable(ctx, m.id);
  const debtor = bytesToHex(record.debtor);
  if (debtor !== ctx.sender)
    throw moduleError('SCF_NOT_DEBTOR', `only the debtor ${debtor} settles receivable ${idHex}`, {
      id: idHex,
    });
  if (record.status === 'settled')
    throw moduleError('SCF_SETTLED', `receivable ${idHex} is settled`, { id: idHex });
  if (dayToday(ctx) < BigInt(record.dueDay))
    throw moduleError('SCF_NOT_DUE', `receivable ${idHex} falls due on day ${record.dueDay}`, {
      id: idHex,
      dueDay: record.dueDay,
    });
  const unpaid = amountOf(record.amount) - amountOf(record.paid);
  const pay = m.amount[0] === undefined ? unpaid : positiveAmount(m.amount[0], 'amount');
  if (pay > unpaid)
    throw moduleError('SCF_BAD_AMOUNT', `the payment exceeds the ${unpaid} unpaid`, {
      field: 'amount',
      unpaid: String(unpaid),
    });
  const parts = record.parts.map((id) => loadPart(ctx, id));
  const owed = parts.map(({ part }) => amountOf(part.amount) - amountOf(part.paid));
  // Pro rata by what each part is owed, rounded down; the units left over go one each to the
  // parts in order (a part never gets more than it is owed: the shares sum to `pay` <= unpaid).
  const shares = owed.map((o) => (pay * o) / unpaid);
  let left = pay - shares.reduce((a, b) => a + b, 0n);
  for (let i = 0; left > 0n && i < shares.length; i++)
    if (shares[i]! < owed[i]!) {
      shares[i]! += 1n;
      left -= 1n;
    }
  parts.forEach(({ idHex: partHex, part }, i) => {
    const share = shares[i]!;
    if (share === 0n) return;
    const to =
      part.state === 'pledged' && part.pledge ? bytesToHex(part.pledge.payTo) : bytesToHex(part.holder);
    ctx.call('bank', 'transfer', { from: ctx.sender, to, denom: record.denom, amount: String(share) });
    const paid = amountOf(part.paid) + share;
    // A payment ends a financing request: the part is due, no longer financeable.
    const { request: _r, ...rest } = part;
    const done = paid === amountOf(part.amount);
    savePart(ctx, partHex, {
      ...rest,
      paid: amountBytes(paid),
      ...(done ? { state: 'settled' } : {}),
    });
    ctx.emit('paid', { id: partHex, receivable: idHex, to, amount: String(share) });
  });
  const paid = amountOf(record.paid) + pay;
  const settled = paid === amountOf(record.amount);
  saveReceivable(ctx, idHex, {
    ...record,
    paid: amountBytes(paid),
    status: settled ? 'settled' : record.status,
  });
  releaseCreditLine(ctx, debtor, record.denom, pay);
  ctx.emit('settled', {
    id: idHex,
    amount: String(pay),
    unpaid: String(unpaid - pay),
    final: String(settled),
  });
}

/** Payments free the buyer's line by what was paid. */
function releaseCreditLine(ctx: MessageContext, buyer: string, denom: string, paid: bigint): void {
  const key = creditLineKey(buyer, denom);
  const bytes = ctx.get(key);
  if (!bytes) return;
  const line = decode(CreditLine, bytes);
  const outstanding = amountOf(line.outstanding);
  const next = outstanding > paid ? outstanding - paid : 0n;
  ctx.set(key, encode(CreditLine, { ...line, outstanding: amountBytes(next) }));
}

/** Days the hook walks per block at most (a chain idle for years catches up over blocks). */
const MAX_DAYS_PER_BLOCK = 400;
/** Gas for marking one receivable overdue (read and write a record of up to 64 parts, an event). */
export const OVERDUE_ITEM_GAS = 60_000;
export const OVERDUE_HOOK_GAS = 5_000_000;
/** Gas one empty day costs the walk (reading its queue's cursors), with room to spare. */
const DAY_GAS = 5_000;

export function markOverdue(ctx: HookContext): void {
  const cursor = ctx.get(DUE_CURSOR_KEY);
  if (cursor === undefined) return;
  const today = dayToday(ctx);
  const start = decodeU64(cursor);
  let day = start;
  // A day's receivables are overdue once the day has passed (the block's day is later).
  while (
    day < today &&
    day - start < BigInt(MAX_DAYS_PER_BLOCK) &&
    ctx.gasLeft() > OVERDUE_ITEM_GAS + DAY_GAS
  ) {
    const drained = drainQueue(ctx, dueQueue(day), {
      itemGas: OVERDUE_ITEM_GAS,
      failedEvent: 'overdueFailed',
      handle: (item) => {
        const { idHex, record } = loadReceivable(ctx, item);
        if (record.status !== 'open') return;
        saveReceivable(ctx, idHex, { ...record, status: 'overdue' });
        const unpaid = amountOf(record.amount) - amountOf(record.paid);
        ctx.emit('overdue', {
          id: idHex,
          debtor: bytesToHex(record.debtor),
          dueDay: String(record.dueDay),
          unpaid: String(unpaid),
        });
      },
    });
    if (drained.left > 0n) break;
    day += 1n;
  }
  if (day !== start) ctx.set(DUE_CURSOR_KEY, encodeU64(day));
}
