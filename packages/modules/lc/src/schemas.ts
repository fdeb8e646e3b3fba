import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import {
  AMENDMENT_STATUSES,
  CLOSE_REASONS,
  CREDIT_STATUSES,
  DOCUMENT_KINDS,
  LC_MODULE,
  PRESENTATION_STATUSES,
} from './formats.js';

/** The JSON answers of the lc module's queries. Amounts are decimal strings in minor units. */
const { address, hash32, u64 } = Schemas;
const Amount = Type.String({ pattern: '^(0|[1-9][0-9]{0,77})$' });
const Kind = Type.Union(DOCUMENT_KINDS.map((k) => Type.Literal(k)));
const Day = Type.Integer();

export const CreditSchema = Type.Object({
  id: hash32(),
  status: Type.Union(CREDIT_STATUSES.map((s) => Type.Literal(s))),
  closeReason: Type.Union(CLOSE_REASONS.map((s) => Type.Literal(s))),
  number: Type.String(),
  applicantOrg: Type.String(),
  maker: address(),
  checker: Type.Union([address(), Type.Null()]),
  approver: Type.Union([address(), Type.Null()]),
  issuingOrg: Type.String(),
  advisingOrg: Type.String(),
  beneficiary: address(),
  issuedBy: Type.Union([address(), Type.Null()]),
  denom: Type.String(),
  calendar: Type.String(),
  /** The MT700 as issued (before issue: as drafted). */
  mt700: Type.String(),
  required: Type.Array(Kind),
  tenorDays: Type.Integer({ minimum: 0 }),
  eucp: Type.Boolean(),
  partialAllowed: Type.Boolean(),
  amount: Amount,
  tolerance: Type.Object({ plus: Type.Integer(), minus: Type.Integer() }),
  /** The most that may be drawn in all (Art. 30). */
  max: Amount,
  drawn: Amount,
  /** What the issuing bank's escrows still hold for the credit. */
  escrowed: Amount,
  expiryDay: Day,
  expiryDate: Type.String(),
  latestShipmentDay: Type.Union([Day, Type.Null()]),
  presentationDays: Type.Integer(),
  amendments: Type.Integer({ minimum: 0 }),
  pendingAmendment: Type.Union([Type.Integer(), Type.Null()]),
  presentations: Type.Integer({ minimum: 0 }),
  pendingPresentation: Type.Union([Type.Integer(), Type.Null()]),
  height: u64(),
  txHash: hash32(),
});

export const PresentationSchema = Type.Object({
  id: hash32(),
  seq: Type.Integer({ minimum: 1 }),
  presenter: address(),
  amount: Amount,
  documents: Type.Array(
    Type.Object({
      kind: Kind,
      source: Type.Union([Type.Literal('registered'), Type.Literal('notarized')]),
      ref: hash32(),
    }),
  ),
  time: u64(),
  completedAt: Type.Union([u64(), Type.Null()]),
  deadline: Type.Union([u64(), Type.Null()]),
  deadlineDay: Type.Union([Day, Type.Null()]),
  deadlineDate: Type.Union([Type.String(), Type.Null()]),
  /** What the module found in the records. */
  found: Type.Array(Type.String()),
  /** The bank's notice of refusal. */
  notice: Type.Array(Type.String()),
  noticeAt: Type.Union([u64(), Type.Null()]),
  status: Type.Union(PRESENTATION_STATUSES.map((s) => Type.Literal(s))),
  precluded: Type.Boolean(),
  maturityDay: Type.Union([Day, Type.Null()]),
  height: u64(),
});

export const AmendmentSchema = Type.Object({
  id: hash32(),
  seq: Type.Integer({ minimum: 1 }),
  status: Type.Union(AMENDMENT_STATUSES.map((s) => Type.Literal(s))),
  amount: Type.Union([Amount, Type.Null()]),
  tolerance: Type.Union([Type.Object({ plus: Type.Integer(), minus: Type.Integer() }), Type.Null()]),
  expiryDay: Type.Union([Day, Type.Null()]),
  latestShipmentDay: Type.Union([Day, Type.Null()]),
  presentationDays: Type.Union([Type.Integer(), Type.Null()]),
  height: u64(),
});

export const CalendarYearSchema = Type.Object({
  calendar: Type.String(),
  year: Type.Integer(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
});

const Id = hash32();
const Seq = Type.Integer({ minimum: 1, maximum: 2 ** 32 - 1 });

export const CreditQuery = defineQueryContract({
  module: LC_MODULE,
  name: 'credit',
  summary: 'A letter of credit: its parties, MT700, amounts drawn and escrowed, status (null if none)',
  params: Type.Object({ id: Id }),
  result: Type.Object({ credit: Type.Union([CreditSchema, Type.Null()]) }),
  invalidParams: 'LC_BAD_QUERY',
});

export const CreditByNumberQuery = defineQueryContract({
  module: LC_MODULE,
  name: 'byNumber',
  summary: "An issuing bank's credit by its number (field 20), or null",
  params: Type.Object({
    org: Type.String({ minLength: 1, maxLength: 64 }),
    number: Type.String({ minLength: 1, maxLength: 16 }),
  }),
  result: Type.Object({ credit: Type.Union([CreditSchema, Type.Null()]) }),
  invalidParams: 'LC_BAD_QUERY',
});

export const PresentationQuery = defineQueryContract({
  module: LC_MODULE,
  name: 'presentation',
  summary:
    'A presentation: its records, what the module found, the deadline, the notice, the outcome (null if none)',
  params: Type.Object({ id: Id, seq: Seq }),
  result: Type.Object({ presentation: Type.Union([PresentationSchema, Type.Null()]) }),
  invalidParams: 'LC_BAD_QUERY',
});

export const AmendmentQuery = defineQueryContract({
  module: LC_MODULE,
  name: 'amendment',
  summary: 'An amendment and whether the beneficiary accepted it (null if none)',
  params: Type.Object({ id: Id, seq: Seq }),
  result: Type.Object({ amendment: Type.Union([AmendmentSchema, Type.Null()]) }),
  invalidParams: 'LC_BAD_QUERY',
});

export const CalendarQuery = defineQueryContract({
  module: LC_MODULE,
  name: 'calendar',
  summary: "A banking-day calendar's year: holidays and make-up working days (null if the state has none)",
  params: Type.Object({
    calendar: Type.String({ pattern: '^[A-Z]{2}(?:-[A-Z0-9]{1,13})?$' }),
    year: Type.Integer({ minimum: 1970, maximum: 9999 }),
  }),
  result: Type.Object({ calendar: Type.Union([CalendarYearSchema, Type.Null()]) }),
  invalidParams: 'LC_BAD_QUERY',
});

export const LcBanksQuery = defineQueryContract({
  module: LC_MODULE,
  name: 'banks',
  summary: 'The organizations that issue and advise credits and keep calendars',
  params: Type.Object({}),
  result: Type.Object({ banks: Type.Array(Type.String()) }),
  invalidParams: 'LC_BAD_QUERY',
});
