import { decode, encode } from '@pujiang/codec';
import { enqueue, type MessageContext, moduleError } from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  type ConfirmReceivable,
  CreditLine,
  creditLineKey,
  DENOM,
  DUE_CURSOR_KEY,
  dayOf,
  dueQueue,
  invoiceKey,
  REFERENCE,
  receivableId,
  SCF_LIMITS,
  type SetCreditLine,
} from '../formats.js';
import {
  amountBytes,
  amountOf,
  positiveAmount,
  requireApproval,
  requireBank,
  requireMember,
  same,
  savePart,
  saveReceivable,
} from './common.js';

/**
 * The buyer's side: a bank grants a buyer a credit line; the buyer confirms payables within it.
 * A confirmation is the receivable: its id derives from the invoice's digest, so an invoice
 * backs one receivable across the chain, whoever confirms it.
 */
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

export function setCreditLine(ctx: MessageContext, m: SetCreditLine): void {
  const org = requireBank(ctx);
  requireApproval(ctx, org, `scf/creditLine/${org}`);
  const buyer = bytesToHex(m.buyer);
  requireMember(ctx, buyer, 'buyer');
  if (!DENOM.test(m.denom)) throw moduleError('SCF_BAD_DENOM', `${m.denom} is not a denomination`);
  const limit = amountOf(m.limit);
  if (!same(m.limit, amountBytes(limit)))
    throw moduleError('SCF_BAD_AMOUNT', 'limit is minimal big-endian bytes', { field: 'limit' });
  const key = creditLineKey(buyer, m.denom);
  const existing = ctx.get(key);
  const line = existing ? decode(CreditLine, existing) : undefined;
  if (line && line.org !== org)
    throw moduleError('SCF_LINE_OF_OTHER_BANK', `${line.org} granted this buyer's line in ${m.denom}`, {
      org: line.org,
    });
  // A zero line with nothing outstanding is withdrawn: another bank may then grant one.
  const outstanding = line?.outstanding ?? new Uint8Array();
  const withdrawn = limit === 0n && amountOf(outstanding) === 0n;
  ctx.set(key, withdrawn ? undefined : encode(CreditLine, { org, limit: m.limit, outstanding }));
  ctx.emit('creditLine', { buyer, denom: m.denom, limit: String(limit), org });
}

function checkConfirmation(ctx: MessageContext, m: ConfirmReceivable): bigint {
  if (!DENOM.test(m.denom)) throw moduleError('SCF_BAD_DENOM', `${m.denom} is not a denomination`);
  const amount = positiveAmount(m.amount, 'amount');
  const today = dayOf(ctx.time);
  const due = BigInt(m.dueDay);
  if (due < today || due > today + BigInt(SCF_LIMITS.dueDays))
    throw moduleError(
      'SCF_BAD_DUE_DATE',
      `the due day ${due} is not between today (${today}) and ten years ahead`,
      {
        dueDay: m.dueDay,
        today: String(today),
      },
    );
  if (isZero(m.invoiceDigest))
    throw moduleError('SCF_BAD_DOCUMENTS', "the invoice's digest is missing", { field: 'invoiceDigest' });
  const digests = [m.invoiceDigest, ...m.deliveryDigests].map(bytesToHex);
  if (m.deliveryDigests.some(isZero) || new Set(digests).size !== digests.length)
    throw moduleError('SCF_BAD_DOCUMENTS', 'delivery digests are distinct, non-zero, and not the invoice', {
      field: 'deliveryDigests',
    });
  if (!REFERENCE.test(m.reference))
    throw moduleError('SCF_BAD_REFERENCE', 'a reference is 1-64 of A-Z a-z 0-9 . _ / : -', {
      field: 'reference',
    });
  return amount;
}

/** Takes `amount` of the buyer's line in `denom`; the line's bank is recorded with the receivable. */
function useCreditLine(ctx: MessageContext, denom: string, amount: bigint): string {
  const key = creditLineKey(ctx.sender, denom);
  const bytes = ctx.get(key);
  if (!bytes)
    throw moduleError('SCF_NO_CREDIT_LINE', `buyer ${ctx.sender} has no credit line in ${denom}`, {
      buyer: ctx.sender,
      denom,
    });
  const line = decode(CreditLine, bytes);
  const limit = amountOf(line.limit);
  const outstanding = amountOf(line.outstanding);
  if (outstanding + amount > limit)
    throw moduleError('SCF_CREDIT_LIMIT', `the confirmation exceeds the buyer's credit line at ${line.org}`, {
      limit: String(limit),
      outstanding: String(outstanding),
      amount: String(amount),
    });
  ctx.set(key, encode(CreditLine, { ...line, outstanding: amountBytes(outstanding + amount) }));
  return line.org;
}

/** Notarizes a digest through the notary module (an earlier anchor of it stands). */
function anchor(ctx: MessageContext, digest: string, docType: string, ref: string): string {
  const answer = ctx.call('notary', 'anchorFor', {
    digest,
    algorithm: 'sha256',
    owner: ctx.sender,
    docType,
    ref,
  }) as { root: string };
  return answer.root;
}

export function confirm(ctx: MessageContext, m: ConfirmReceivable): void {
  const amount = checkConfirmation(ctx, m);
  const creditor = bytesToHex(m.supplier);
  if (creditor === ctx.sender)
    throw moduleError('SCF_NOT_MEMBER', 'a buyer does not confirm a payable to itself', {
      field: 'supplier',
    });
  requireMember(ctx, ctx.sender, 'buyer');
  requireMember(ctx, creditor, 'supplier');
  // The supplier signs too: its invoice is confirmed as it issued it, and nobody else can claim
  // an invoice's digest first to block it.
  if (!ctx.endorsers.some((e) => e.address === creditor))
    throw moduleError(
      'SCF_SUPPLIER_CONSENT',
      `the supplier ${creditor} endorses the confirmation of its invoice`,
      {
        supplier: creditor,
      },
    );
  const invoiceHex = bytesToHex(m.invoiceDigest);
  const used = ctx.get(invoiceKey(invoiceHex));
  if (used !== undefined)
    throw moduleError(
      'SCF_INVOICE_USED',
      `invoice ${invoiceHex} backs receivable ${bytesToHex(used)} already`,
      {
        invoice: invoiceHex,
        receivable: bytesToHex(used),
      },
    );
  const lineOrg = useCreditLine(ctx, m.denom, amount);
  const id = receivableId(ctx.chainHash, m.invoiceDigest);
  const idHex = bytesToHex(id);
  const root = anchor(ctx, invoiceHex, 'invoice', `scf:${idHex}`);
  for (const d of m.deliveryDigests) anchor(ctx, bytesToHex(d), 'delivery', `scf:${idHex}`);
  ctx.set(invoiceKey(invoiceHex), id);
  saveReceivable(ctx, idHex, {
    debtor: hexToBytes(ctx.sender),
    creditor: m.supplier,
    denom: m.denom,
    amount: m.amount,
    paid: new Uint8Array(),
    dueDay: m.dueDay,
    invoiceDigest: m.invoiceDigest,
    deliveryDigests: m.deliveryDigests,
    reference: m.reference,
    anchorRoot: hexToBytes(root),
    status: 'open',
    parts: [id],
    lineOrg,
    height: ctx.height,
    time: ctx.time,
    txHash: hexToBytes(ctx.txHash),
  });
  savePart(ctx, idHex, {
    receivable: id,
    parent: [],
    depth: 0,
    holder: m.supplier,
    amount: m.amount,
    paid: new Uint8Array(),
    state: 'active',
    children: [],
    transfers: 0,
    height: ctx.height,
  });
  // The overdue hook looks at each day's queue once the day has passed.
  enqueue(ctx, dueQueue(m.dueDay), id);
  if (ctx.get(DUE_CURSOR_KEY) === undefined) ctx.set(DUE_CURSOR_KEY, encodeU64(dayOf(ctx.time)));
  ctx.emit('confirmed', {
    id: idHex,
    debtor: ctx.sender,
    creditor,
    denom: m.denom,
    amount: String(amount),
    dueDay: String(m.dueDay),
    invoice: invoiceHex,
  });
}

export const readDueCursor = (bytes: Uint8Array | undefined): bigint | undefined =>
  bytes === undefined ? undefined : decodeU64(bytes);
