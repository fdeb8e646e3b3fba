import { decode, encode } from '@pujiang/codec';
import { positiveAmount as bankPositiveAmount, decodeAmount, encodeAmount } from '@pujiang/module-bank';
import { requireOrgApproval } from '@pujiang/module-governance';
import { type CallContext, type MessageContext, type ModuleContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import {
  Banks,
  banksKey,
  dayOf,
  type Part,
  Part as PartCodec,
  partKey,
  type Receivable,
  Receivable as ReceivableCodec,
  receivableKey,
} from '../formats.js';

/** What the handlers share: reading and writing records, amounts, who is who. */
export interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

export const amountOf = (bytes: Uint8Array): bigint => decodeAmount(bytes) ?? 0n;
export const amountBytes = (amount: bigint): Uint8Array => encodeAmount(amount);

/** A positive amount from a message: minimal encoding, not zero. */
export const positiveAmount = (bytes: Uint8Array, field: string): bigint =>
  bankPositiveAmount(bytes, field, 'SCF_BAD_AMOUNT');

export function loadReceivable(
  ctx: ModuleContext,
  id: Uint8Array | string,
): { idHex: string; record: Receivable } {
  const idHex = typeof id === 'string' ? id : bytesToHex(id);
  const bytes = ctx.get(receivableKey(idHex));
  if (!bytes) throw moduleError('SCF_UNKNOWN', `there is no receivable ${idHex}`, { id: idHex });
  return { idHex, record: decode(ReceivableCodec, bytes) };
}

export function saveReceivable(ctx: ModuleContext, idHex: string, record: Receivable): void {
  ctx.set(receivableKey(idHex), encode(ReceivableCodec, record));
}

export function loadPart(ctx: ModuleContext, id: Uint8Array | string): { idHex: string; part: Part } {
  const idHex = typeof id === 'string' ? id : bytesToHex(id);
  const bytes = ctx.get(partKey(idHex));
  if (!bytes) throw moduleError('SCF_UNKNOWN', `there is no receivable part ${idHex}`, { id: idHex });
  return { idHex, part: decode(PartCodec, bytes) };
}

export function savePart(ctx: ModuleContext, idHex: string, part: Part): void {
  ctx.set(partKey(idHex), encode(PartCodec, part));
}

/** The identity behind an address, or null (the governance module's view). */
export function identityOf(ctx: ModuleContext, address: string): IdentityView | null {
  return ctx.call('governance', 'identityOf', { address }) as IdentityView | null;
}

/** `address` is a registered, valid member identity (a holder or a supplier must be one). */
export function requireMember(ctx: ModuleContext, address: string, field: string): IdentityView {
  const identity = identityOf(ctx, address);
  if (!identity?.valid)
    throw moduleError('SCF_NOT_MEMBER', `${field} ${address} is not a valid member identity`, {
      field,
      address,
    });
  return identity;
}

/** The organizations governance named as banks (they grant credit lines and finance). */
export function banks(ctx: ModuleContext | CallContext): string[] {
  const bytes = ctx.get(banksKey);
  return bytes ? decode(Banks, bytes) : [];
}

/** The sender's organization, which must be a bank. */
export function requireBank(ctx: MessageContext): string {
  const identity = requireMember(ctx, ctx.sender, 'sender');
  if (!banks(ctx).includes(identity.org))
    throw moduleError('SCF_NOT_BANK', `organization ${identity.org} is not a bank of the scf module`, {
      org: identity.org,
    });
  return identity.org;
}

/**
 * A part the sender holds and may act on: active (not split, pledged or settled), with no
 * financing request pending, of a receivable not yet settled.
 */
export function requireFreePart(ctx: MessageContext, id: Uint8Array): { idHex: string; part: Part } {
  const loaded = loadPart(ctx, id);
  const { idHex, part } = loaded;
  const holder = bytesToHex(part.holder);
  if (holder !== ctx.sender)
    throw moduleError('SCF_NOT_HOLDER', `only the holder ${holder} acts on part ${idHex}`, {
      id: idHex,
      holder,
    });
  refuseUnlessActive(idHex, part);
  if (part.request)
    throw moduleError(
      'SCF_FINANCING_PENDING',
      `part ${idHex} has a financing request pending at ${part.request.org}`,
      {
        id: idHex,
        org: part.request.org,
      },
    );
  return loaded;
}

/** Refuses a part that is split, pledged or settled, each with its own code. */
export function refuseUnlessActive(idHex: string, part: Part): void {
  if (part.state === 'split')
    throw moduleError('SCF_SPLIT', `part ${idHex} was split; its parts are what exists now`, {
      id: idHex,
      parts: part.children.map(bytesToHex),
    });
  if (part.state === 'pledged')
    throw moduleError('SCF_PLEDGED', `part ${idHex} is pledged to ${part.pledge?.org}`, {
      id: idHex,
      org: part.pledge?.org ?? '',
    });
  if (part.state === 'settled') throw moduleError('SCF_SETTLED', `part ${idHex} is settled`, { id: idHex });
}

/** The block's day (Asia/Shanghai). */
export const dayToday = (ctx: ModuleContext): bigint => dayOf(ctx.time);

export const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The organization's own policy for a step (`scf/finance/<org>`, `scf/release/<org>`, `scf/creditLine/<org>`). */
export const requireApproval = (ctx: MessageContext, org: string, resource: string): void =>
  requireOrgApproval(ctx, { org, resource, code: 'SCF_APPROVAL_POLICY' });
