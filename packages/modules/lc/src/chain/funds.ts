import { moduleAccount } from '@pujiang/module-bank';
import { type ModuleContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import type { Credit, HoldShare } from '../formats.js';
import { amountBytes, amountOf } from './common.js';

/**
 * The credit's money: the issuing bank's escrows (bank holds of the lc module), paid out in
 * order. A credit that is honoured with payment at maturity moves the amount into a hold of its
 * own for that presentation, so closing the credit never takes what is owed.
 */
export function releaseFromHolds(
  ctx: ModuleContext,
  credit: Credit,
  amount: bigint,
  to: string,
): HoldShare[] {
  let need = amount;
  const holds: HoldShare[] = [];
  for (const hold of credit.holds) {
    const held = amountOf(hold.amount);
    const take = need < held ? need : held;
    if (take > 0n) ctx.call('bank', 'release', { id: hold.id, to, amount: String(take) });
    need -= take;
    if (held - take > 0n) holds.push({ id: hold.id, amount: amountBytes(held - take) });
  }
  if (need > 0n)
    throw moduleError('LC_OVERDRAWN', 'the credit holds less than the payment', { short: String(need) });
  return holds;
}

/** Returns every hold to the bank identity that escrowed it (the bank module knows who paid in). */
export function refundHolds(ctx: ModuleContext, credit: Credit): void {
  for (const hold of credit.holds) ctx.call('bank', 'refund', { id: hold.id });
}

/** Owed at maturity: the amount leaves the credit's holds for a hold of the presentation's own. */
export function reserveForMaturity(
  ctx: ModuleContext,
  idHex: string,
  seq: number,
  credit: Credit,
  amount: bigint,
): HoldShare[] {
  const account = moduleAccount(ctx.chainHash, ctx.module);
  const holds = releaseFromHolds(ctx, credit, amount, account);
  ctx.call('bank', 'escrow', {
    id: maturityHold(idHex, seq),
    from: account,
    denom: credit.denom,
    amount: String(amount),
  });
  return holds;
}

export const maturityHold = (idHex: string, seq: number): string => `lc/${idHex}/p${seq}`;

export const beneficiaryOf = (credit: Credit): string => bytesToHex(credit.beneficiary);
