import { decode } from '@pujiang/codec';
import { decodeAmount } from '@pujiang/module-bank';
import { bytesToHex } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import { civilDate } from './dates.js';
import {
  Banks,
  banksKey,
  CreditLine,
  creditLineKey,
  invoiceKey,
  Part,
  partKey,
  Receivable,
  receivableKey,
} from './formats.js';
import type { CreditLineSchema, PartSchema, ReceivableSchema } from './schemas.js';

/**
 * Reading receivables, the same way on the chain (queries over state) and in a client that
 * trusts no node (over reads proven under a certified header).
 */
export type ScfRead = (key: string) => Uint8Array | undefined;
export type PartJson = Static<typeof PartSchema>;
export type ReceivableJson = Static<typeof ReceivableSchema>;
export type CreditLineJson = Static<typeof CreditLineSchema>;

const amount = (bytes: Uint8Array) => String(decodeAmount(bytes) ?? 0n);

export function readPart(read: ScfRead, idHex: string): Part | undefined {
  const bytes = read(partKey(idHex));
  return bytes ? decode(Part, bytes) : undefined;
}

export function partJson(idHex: string, p: Part): PartJson {
  return {
    id: idHex,
    receivable: bytesToHex(p.receivable),
    parent: p.parent[0] ? bytesToHex(p.parent[0]) : null,
    depth: p.depth,
    holder: bytesToHex(p.holder),
    amount: amount(p.amount),
    paid: amount(p.paid),
    state: p.state,
    children: p.children.map(bytesToHex),
    request: p.request
      ? {
          org: p.request.org,
          advance: amount(p.request.advance),
          requestedBy: bytesToHex(p.request.requestedBy),
          height: String(p.request.height),
        }
      : null,
    pledge: p.pledge
      ? {
          org: p.pledge.org,
          payTo: bytesToHex(p.pledge.payTo),
          advance: amount(p.pledge.advance),
          height: String(p.pledge.height),
          txHash: bytesToHex(p.pledge.txHash),
        }
      : null,
    transfers: p.transfers,
    height: String(p.height),
  };
}

export function partAnswer(read: ScfRead, idHex: string): PartJson | null {
  const p = readPart(read, idHex);
  return p ? partJson(idHex, p) : null;
}

/** The receivable with its current parts, or null. */
export function receivableAnswer(read: ScfRead, idHex: string): ReceivableJson | null {
  const bytes = read(receivableKey(idHex));
  if (!bytes) return null;
  const r = decode(Receivable, bytes);
  const parts = r.parts.map(bytesToHex).flatMap((id) => {
    const p = partAnswer(read, id);
    return p ? [p] : [];
  });
  return {
    id: idHex,
    debtor: bytesToHex(r.debtor),
    creditor: bytesToHex(r.creditor),
    denom: r.denom,
    amount: amount(r.amount),
    paid: amount(r.paid),
    dueDay: r.dueDay,
    dueDate: civilDate(BigInt(r.dueDay)),
    invoiceDigest: bytesToHex(r.invoiceDigest),
    deliveryDigests: r.deliveryDigests.map(bytesToHex),
    reference: r.reference,
    anchorRoot: bytesToHex(r.anchorRoot),
    status: r.status,
    parts,
    lineOrg: r.lineOrg,
    height: String(r.height),
    time: String(r.time),
    txHash: bytesToHex(r.txHash),
  };
}

/** The receivable an invoice digest backs, or null. */
export function invoiceAnswer(read: ScfRead, digestHex: string): ReceivableJson | null {
  const id = read(invoiceKey(digestHex));
  return id ? receivableAnswer(read, bytesToHex(id)) : null;
}

export function creditLineAnswer(read: ScfRead, buyer: string, denom: string): CreditLineJson | null {
  const bytes = read(creditLineKey(buyer, denom));
  if (!bytes) return null;
  const line = decode(CreditLine, bytes);
  return { buyer, denom, org: line.org, limit: amount(line.limit), outstanding: amount(line.outstanding) };
}

export function banksAnswer(read: ScfRead): string[] {
  const bytes = read(banksKey);
  return bytes ? decode(Banks, bytes) : [];
}
