import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { DENOM, PART_STATES, RECEIVABLE_STATUSES, SCF_MODULE } from './formats.js';

/** The JSON answers of the scf module's queries. Amounts are decimal strings (up to 2^256 - 1). */
const { address, hash32, u64 } = Schemas;
const Amount = Type.String({ pattern: '^(0|[1-9][0-9]{0,77})$' });

export const PartSchema = Type.Object({
  id: hash32(),
  receivable: hash32(),
  parent: Type.Union([hash32(), Type.Null()]),
  depth: Type.Integer({ minimum: 0 }),
  holder: address(),
  amount: Amount,
  paid: Amount,
  state: Type.Union(PART_STATES.map((s) => Type.Literal(s))),
  children: Type.Array(hash32()),
  /** A financing request pending at a bank, or null. */
  request: Type.Union([
    Type.Object({ org: Type.String(), advance: Amount, requestedBy: address(), height: u64() }),
    Type.Null(),
  ]),
  /** The bank holding the part in pledge, what it advanced, and who is paid at maturity; or null. */
  pledge: Type.Union([
    Type.Object({ org: Type.String(), payTo: address(), advance: Amount, height: u64(), txHash: hash32() }),
    Type.Null(),
  ]),
  transfers: Type.Integer({ minimum: 0 }),
  height: u64(),
});

export const ReceivableSchema = Type.Object({
  id: hash32(),
  debtor: address(),
  creditor: address(),
  denom: Type.String(),
  amount: Amount,
  paid: Amount,
  /** The due date as a day number (Asia/Shanghai) and as YYYY-MM-DD. */
  dueDay: Type.Integer({ minimum: 0 }),
  dueDate: Type.String(),
  invoiceDigest: hash32(),
  deliveryDigests: Type.Array(hash32()),
  reference: Type.String(),
  anchorRoot: hash32(),
  status: Type.Union(RECEIVABLE_STATUSES.map((s) => Type.Literal(s))),
  /** The parts that hold it now, in order. */
  parts: Type.Array(PartSchema),
  lineOrg: Type.String(),
  height: u64(),
  time: u64(),
  txHash: hash32(),
});

export const CreditLineSchema = Type.Object({
  buyer: address(),
  denom: Type.String(),
  org: Type.String(),
  limit: Amount,
  outstanding: Amount,
});

export const ReceivableQuery = defineQueryContract({
  module: SCF_MODULE,
  name: 'receivable',
  summary: 'A confirmed receivable with its parts, their holders, pledges and payments (null if none)',
  params: Type.Object({ id: hash32() }),
  result: Type.Object({ receivable: Type.Union([ReceivableSchema, Type.Null()]) }),
  invalidParams: 'SCF_BAD_QUERY',
});

export const PartQuery = defineQueryContract({
  module: SCF_MODULE,
  name: 'part',
  summary: 'One part of a receivable (null if none)',
  params: Type.Object({ id: hash32() }),
  result: Type.Object({ part: Type.Union([PartSchema, Type.Null()]) }),
  invalidParams: 'SCF_BAD_QUERY',
});

export const InvoiceQuery = defineQueryContract({
  module: SCF_MODULE,
  name: 'invoice',
  summary: 'The registry of invoices: the receivable an invoice digest backs, with its parts (null if none)',
  params: Type.Object({ digest: hash32() }),
  result: Type.Object({ receivable: Type.Union([ReceivableSchema, Type.Null()]) }),
  invalidParams: 'SCF_BAD_QUERY',
});

export const CreditLineQuery = defineQueryContract({
  module: SCF_MODULE,
  name: 'creditLine',
  summary:
    "A buyer's credit line in a denomination: the bank, the limit and what is outstanding (null if none)",
  params: Type.Object({ buyer: address(), denom: Type.String({ pattern: DENOM.source }) }),
  result: Type.Object({ line: Type.Union([CreditLineSchema, Type.Null()]) }),
  invalidParams: 'SCF_BAD_QUERY',
});

export const BanksQuery = defineQueryContract({
  module: SCF_MODULE,
  name: 'banks',
  summary: 'The organizations that grant credit lines and finance receivables',
  params: Type.Object({}),
  result: Type.Object({ banks: Type.Array(Type.String()) }),
  invalidParams: 'SCF_BAD_QUERY',
});
