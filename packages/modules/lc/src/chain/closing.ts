import { decode, encode } from '@pujiang/codec';
import {
  drainQueue,
  enqueue,
  type HookContext,
  type MessageContext,
  type ModuleContext,
  moduleError,
} from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { dayOf } from '../calendar-days.js';
import {
  Amendment,
  amendmentKey,
  type Credit,
  type CreditStep,
  EXPIRY_CURSOR_KEY,
  expiryQueue,
} from '../formats.js';
import {
  amountOf,
  creditMax,
  extendedExpiryDay,
  loadCredit,
  loadPresentation,
  saveCredit,
  savePresentation,
} from './common.js';
import { refundHolds } from './funds.js';

/**
 * Closing a credit: when it is fully drawn, after its one drawing when partial drawings are
 * not allowed, or once expired (Art. 29a extension included) with nothing under examination.
 * What is left of the escrow, a pending amendment's increase included, goes back to the bank.
 * An eUCP presentation still waiting for its notice of completeness at expiry lapses (Art. e5).
 */
const expired = (ctx: ModuleContext, credit: Credit): boolean =>
  dayOf(ctx.time) > extendedExpiryDay(ctx, credit);

/** The eUCP presentation that never got its notice of completeness lapses at expiry. */
function lapseIncomplete(ctx: ModuleContext, idHex: string, credit: Credit): Credit {
  const seq = credit.pendingPresentation;
  if (seq === undefined || !expired(ctx, credit)) return credit;
  const p = loadPresentation(ctx, idHex, seq);
  if (p.status !== 'presented') return credit;
  savePresentation(ctx, idHex, seq, { ...p, status: 'lapsed' });
  ctx.emit('lapsed', { id: idHex, seq: String(seq) });
  const { pendingPresentation: _p, ...rest } = credit;
  return rest;
}

/** The amendment awaiting the beneficiary lapses with the credit; its increase is refunded. */
function lapseAmendment(ctx: ModuleContext, idHex: string, credit: Credit): void {
  const seq = credit.pendingAmendment;
  if (seq === undefined) return;
  const bytes = ctx.get(amendmentKey(idHex, seq));
  if (!bytes) return;
  const amendment = decode(Amendment, bytes);
  if (amendment.hold !== '') ctx.call('bank', 'refund', { id: amendment.hold });
  ctx.set(amendmentKey(idHex, seq), encode(Amendment, { ...amendment, status: 'lapsed' }));
  ctx.emit('amendmentLapsed', { id: idHex, seq: String(seq) });
}

/** The credit closed if it is done (its escrow refunded), or as it was. */
export function closeIfDone(ctx: ModuleContext, idHex: string, before: Credit): Credit {
  if (before.status === 'closed') return before;
  const credit = lapseIncomplete(ctx, idHex, before);
  if (credit.pendingPresentation !== undefined) return credit;
  const drawn = amountOf(credit.drawn);
  const reason =
    drawn >= creditMax(credit)
      ? 'fullyDrawn'
      : !credit.partialAllowed && drawn > 0n
        ? 'singleDrawing'
        : expired(ctx, credit)
          ? 'expired'
          : undefined;
  if (reason === undefined) return credit;
  refundHolds(ctx, credit);
  lapseAmendment(ctx, idHex, credit);
  ctx.emit('closed', { id: idHex, reason, drawn: String(drawn) });
  const { pendingAmendment: _a, ...rest } = credit;
  return { ...rest, status: 'closed', closeReason: reason, holds: [] };
}

/** `lc/close`: anyone closes a credit that is done (the hook does it too; this never waits for it). */
export function close(ctx: MessageContext, m: CreditStep): void {
  const { idHex, credit } = loadCredit(ctx, m.id);
  if (credit.status === 'closed') throw moduleError('LC_CLOSED', `credit ${idHex} is closed`, { id: idHex });
  if (credit.status !== 'issued' && credit.status !== 'advised')
    throw moduleError('LC_BAD_STATE', `credit ${idHex} is ${credit.status}`, {
      id: idHex,
      status: credit.status,
    });
  const next = closeIfDone(ctx, idHex, credit);
  if (next.status !== 'closed')
    throw moduleError(
      'LC_NOT_CLOSABLE',
      `credit ${idHex} is neither drawn nor expired with nothing under examination`,
      {
        id: idHex,
        pendingPresentation: next.pendingPresentation ?? null,
      },
    );
  saveCredit(ctx, idHex, next);
}

/** Days the hook walks per block at most; gas per credit (a credit record of up to ~17 KB, 64 holds). */
const MAX_DAYS_PER_BLOCK = 400;
export const EXPIRY_ITEM_GAS = 600_000;
export const EXPIRY_HOOK_GAS = 10_000_000;
/** Gas one empty day costs the walk (reading its queue's cursors) with room to spare. */
const DAY_GAS = 5_000;

/**
 * The endBlock hook: each day that passed, the credits queued under it close if they are
 * done. One not yet expired (an amendment or a calendar moved its last day) is queued again
 * under that day; one still under examination closes when its presentation is decided.
 */
export function closeExpired(ctx: HookContext): void {
  const cursor = ctx.get(EXPIRY_CURSOR_KEY);
  if (cursor === undefined) return;
  const today = BigInt(dayOf(ctx.time));
  const start = decodeU64(cursor);
  let day = start;
  while (
    day < today &&
    day - start < BigInt(MAX_DAYS_PER_BLOCK) &&
    ctx.gasLeft() > EXPIRY_ITEM_GAS + DAY_GAS
  ) {
    const drained = drainQueue(ctx, expiryQueue(Number(day)), {
      itemGas: EXPIRY_ITEM_GAS,
      failedEvent: 'expiryFailed',
      handle: (item) => {
        const { idHex, credit } = loadCredit(ctx, bytesToHex(item));
        if (credit.status === 'closed') return;
        const last = extendedExpiryDay(ctx, credit);
        if (BigInt(last) >= today) {
          enqueue(ctx, expiryQueue(last), hexToBytes(idHex));
          return;
        }
        const next = closeIfDone(ctx, idHex, credit);
        if (next !== credit) saveCredit(ctx, idHex, next);
      },
    });
    if (drained.left > 0n) break;
    day += 1n;
  }
  if (day !== start) ctx.set(EXPIRY_CURSOR_KEY, encodeU64(day));
}
