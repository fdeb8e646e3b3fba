import {
  bool,
  bytes,
  fixedBytes,
  type Infer,
  list,
  literals,
  optional,
  string,
  struct,
  u8,
  u32,
  u64,
  union,
} from '@pujiang/codec';
import { ADDRESS_LENGTH, type HashAlgorithm, hash } from '@pujiang/crypto';
import { moduleKey, moduleParamKey } from '@pujiang/protocol';
import { concatBytes, utf8ToBytes } from '@pujiang/types';
import { CalendarYearCodec } from './calendar.js';

/**
 * The `lc` module's formats: documentary letters of credit under UCP 600 and eUCP 2.0. A credit
 * is drafted by the applicant (maker, checker, approver: three identities of its organization),
 * issued by the issuing bank with the terms of an MT700 (the bank escrows what it may have to
 * pay), advised by the advising bank, amended only with the beneficiary's acceptance, drawn by
 * electronic presentations examined within five banking days on a calendar kept in state.
 */
export const LC_MODULE = 'lc';

export const LC_LIMITS = {
  /** Characters of an MT700 text block's terms as stored. */
  terms: 10_000,
  documents: 16,
  required: 16,
  discrepancies: 16,
  discrepancy: 200,
  banks: 64,
  orgId: 64,
  calendar: 16,
  creditNumber: 16,
  /** Deferred payment or acceptance at most this many days after honour. */
  tenorDays: 720,
  /** An MT700 as drafted and kept: its text block (10,000) and headers. */
  mt700: 16_384,
  /** Days ahead an expiry or shipment date may lie (ten years), and a presentation period. */
  horizonDays: 3660,
  presentationDays: 365,
} as const;

/** The documents a credit can require, as electronic records. */
export const DOCUMENT_KINDS = [
  'BillOfLading',
  'CommercialInvoice',
  'CertificateOfOrigin',
  'PackingList',
  'InsuranceDocument',
  'InspectionCertificate',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DocumentKind = literals('DocumentKind', DOCUMENT_KINDS);

/** Discrepancies the module finds in electronic records itself (the bank may add its own). */
export const AUTO_DISCREPANCIES = {
  DOCUMENT_MISSING: 'a document the credit requires was not presented',
  RECORD_UNVERIFIED: 'an electronic record cannot be verified (not registered or not notarized)',
  RECORD_NOT_ACTIVE: 'the registered document is suspended, revoked, superseded or surrendered',
  RECORD_WRONG_TYPE: 'the registered document is not of the kind it is presented as',
  BL_NOT_CONTROLLED: 'the presenter does not control the electronic bill of lading (a copy)',
  BL_ALREADY_PRESENTED: 'the electronic bill of lading was presented before',
  BL_NOT_ELECTRONIC:
    'a bill of lading is presented as a notarized file, not as a registered transferable record',
  DUPLICATE_RECORD: 'the same record is presented twice',
  LATE_SHIPMENT: 'the bill of lading is dated after the latest shipment date',
  LATE_PRESENTATION: 'presented later than the period after shipment (Art. 14c)',
} as const;

const Address = fixedBytes(ADDRESS_LENGTH);
const Digest = fixedBytes(32);
/** Amounts in the currency's minor units, as minimal big-endian bytes (the bank module's). */
const Amount = bytes({ max: 32 });
const OrgId = string({ max: LC_LIMITS.orgId });

/** `lc/setCalendar`: a bank keeps a calendar's year (holidays and make-up working days) in state. */
export const SetCalendar = struct('SetCalendar', {
  calendar: string({ max: LC_LIMITS.calendar }),
  year: CalendarYearCodec,
});
export type SetCalendar = Infer<typeof SetCalendar>;

/** Where an electronic record is: a document of the docs registry (its id), or a notarized file (its SHA-256). */
export const RecordSource = union('RecordSource', { registered: Digest, notarized: Digest });
export type RecordSource = Infer<typeof RecordSource>;
export const PresentedDocument = struct('PresentedDocument', { kind: DocumentKind, source: RecordSource });
export type PresentedDocument = Infer<typeof PresentedDocument>;

/** `lc/draft`: the applicant's maker drafts a credit; its terms are an MT700's (the bank fills 20 and 31C at issue). */
export const DraftCredit = struct('DraftCredit', {
  issuingOrg: OrgId,
  advisingOrg: OrgId,
  beneficiary: Address,
  /** The bank denomination the credit is paid in (the MT700's currency is its 32B). */
  denom: string({ max: 64 }),
  /** The issuing bank's banking-day calendar (`CN`). */
  calendar: string({ max: LC_LIMITS.calendar }),
  /** The MT700 text (blocks 1, 2 and 4 at least). */
  mt700: string({ max: LC_LIMITS.mt700 }),
  required: list(DocumentKind, { max: LC_LIMITS.required }),
  /** Days from honour to payment: 0 at sight; otherwise acceptance or deferred payment at maturity. */
  tenorDays: u32,
});
export type DraftCredit = Infer<typeof DraftCredit>;

/** A step on a credit named by its id (check, approve, advise, close, withdrawing an amendment). */
export const CreditStep = struct('CreditStep', { id: Digest });
export type CreditStep = Infer<typeof CreditStep>;

/** `lc/issue`: the issuing bank gives the credit its number (MT700 field 20). */
export const IssueCredit = struct('IssueCredit', {
  id: Digest,
  number: string({ max: LC_LIMITS.creditNumber }),
});
export type IssueCredit = Infer<typeof IssueCredit>;

export const ToleranceCodec = struct('Tolerance', { plus: u8, minus: u8 });

/** `lc/amend`: the issuing bank proposes changes; they bind only once the beneficiary accepts (Art. 10). */
export const AmendCredit = struct('AmendCredit', {
  id: Digest,
  amount: optional(Amount),
  tolerance: optional(ToleranceCodec),
  expiryDay: optional(u32),
  latestShipmentDay: optional(u32),
  presentationDays: optional(u32),
});
export type AmendCredit = Infer<typeof AmendCredit>;

export const AmendmentStep = struct('AmendmentStep', { id: Digest, seq: u32 });
export type AmendmentStep = Infer<typeof AmendmentStep>;

/** `lc/present`: the beneficiary presents electronic records for `amount`. */
export const Present = struct('Present', {
  id: Digest,
  amount: Amount,
  documents: list(PresentedDocument, { max: LC_LIMITS.documents }),
});
export type Present = Infer<typeof Present>;

/** A step on a presentation (complete, honour, waive, claim, settle). */
export const PresentationStep = struct('PresentationStep', { id: Digest, seq: u32 });
export type PresentationStep = Infer<typeof PresentationStep>;

/** `lc/refuse`: the single notice of refusal listing every discrepancy (Art. 16c, 16d). */
export const Refuse = struct('Refuse', {
  id: Digest,
  seq: u32,
  discrepancies: list(string({ max: LC_LIMITS.discrepancy }), { max: LC_LIMITS.discrepancies }),
});
export type Refuse = Infer<typeof Refuse>;

/** A bank hold of the issuing bank's money for the credit, and what it still holds. */
export const HoldShare = struct('HoldShare', { id: string({ max: 128 }), amount: Amount });
export type HoldShare = Infer<typeof HoldShare>;

export const CREDIT_STATUSES = ['draft', 'checked', 'approved', 'issued', 'advised', 'closed'] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];
export const CLOSE_REASONS = ['', 'expired', 'fullyDrawn', 'singleDrawing'] as const;

export const Credit = struct('Credit', {
  applicantOrg: OrgId,
  maker: Address,
  checker: list(Address, { max: 1 }),
  approver: list(Address, { max: 1 }),
  issuingOrg: OrgId,
  advisingOrg: OrgId,
  beneficiary: Address,
  denom: string({ max: 64 }),
  calendar: string({ max: LC_LIMITS.calendar }),
  /** The MT700 as issued (or as drafted, before issue). */
  mt700: string({ max: LC_LIMITS.mt700 }),
  required: list(DocumentKind, { max: LC_LIMITS.required }),
  tenorDays: u32,
  eucp: bool,
  partialAllowed: bool,
  amount: Amount,
  tolerance: ToleranceCodec,
  expiryDay: u32,
  latestShipmentDay: optional(u32),
  presentationDays: u32,
  status: literals('CreditStatus', CREDIT_STATUSES),
  closeReason: literals('CloseReason', CLOSE_REASONS),
  /** The issuing bank's identity that issued it (its escrows come from it and are refunded to it). */
  issuedBy: list(Address, { max: 1 }),
  /** What was honoured: paid or accepted (owed at maturity). */
  drawn: Amount,
  /** Bank holds that fund it, in order (`lc/<id>/<n>`), with what each still holds. */
  holds: list(HoldShare, { max: 64 }),
  amendments: u32,
  pendingAmendment: optional(u32),
  presentations: u32,
  pendingPresentation: optional(u32),
  height: u64,
  txHash: Digest,
});
export type Credit = Infer<typeof Credit>;

/** `lapsed`: the credit closed while the amendment awaited the beneficiary (its increase refunded). */
export const AMENDMENT_STATUSES = ['pending', 'accepted', 'rejected', 'lapsed'] as const;
export const Amendment = struct('Amendment', {
  changes: AmendCredit,
  status: literals('AmendmentStatus', AMENDMENT_STATUSES),
  /** The hold funding an increase, if any. */
  hold: string({ max: 128 }),
  height: u64,
});
export type Amendment = Infer<typeof Amendment>;

export const PRESENTATION_STATUSES = [
  /** eUCP: records arriving, until the notice of completeness. */
  'presented',
  /** Under examination until the deadline. */
  'examining',
  'refused',
  'waived',
  /** Honoured with payment at maturity (acceptance or deferred payment). */
  'accepted',
  'paid',
  /**
   * Not made after all: an eUCP presentation without its notice of completeness by expiry
   * (Art. e5), or a refused one the beneficiary replaced by presenting again.
   */
  'lapsed',
] as const;
export type PresentationStatus = (typeof PRESENTATION_STATUSES)[number];

export const Presentation = struct('Presentation', {
  presenter: Address,
  amount: Amount,
  documents: list(PresentedDocument, { max: LC_LIMITS.documents }),
  time: u64,
  /** eUCP: when the notice of completeness was received. */
  completedAt: optional(u64),
  /** The last millisecond of the fifth banking day following presentation (or completeness). */
  deadline: optional(u64),
  deadlineDay: optional(u32),
  found: list(string({ max: LC_LIMITS.discrepancy }), { max: 64 }),
  notice: list(string({ max: LC_LIMITS.discrepancy }), { max: LC_LIMITS.discrepancies }),
  noticeAt: optional(u64),
  status: literals('PresentationStatus', PRESENTATION_STATUSES),
  /** The bank lost the right to refuse: no notice by the deadline (Art. 16f). */
  precluded: bool,
  maturityDay: optional(u32),
  height: u64,
});
export type Presentation = Infer<typeof Presentation>;

/** The organizations acting as banks (issuing, advising, keeping calendars): governance sets them. */
export const Banks = list(OrgId, { max: LC_LIMITS.banks });
export const BANKS_PARAM = 'banks';
export const banksKey = moduleParamKey(BANKS_PARAM);

export const creditKey = (idHex: string): string => `credit/${idHex}`;
export const amendmentKey = (idHex: string, seq: number): string => `amendment/${idHex}/${seq}`;
export const presentationKey = (idHex: string, seq: number): string => `presentation/${idHex}/${seq}`;
/** An issuing bank's credit number names one credit. */
export const numberKey = (org: string, number: string): string => `number/${org}/${number}`;
/** A bill of lading (its docs id) and the presentation it went with (`BillUse`). */
export const billKey = (docIdHex: string): string => `bill/${docIdHex}`;
export const BillUse = struct('BillUse', { credit: Digest, seq: u32 });
/** Who keeps a calendar id: the organization of the bank admin that set it first. */
export const calendarOwnerKey = (calendar: string): string => `calendarOwner/${calendar}`;
export const calendarKey = (calendar: string, year: number): string => `calendar/${calendar}/${year}`;
/** Credits expiring on a day (the hook closes them once the day has passed). */
export const expiryQueue = (day: number): string => `expiry/${String(day).padStart(8, '0')}`;
export const EXPIRY_CURSOR_KEY = 'expiryCursor';

export const creditStateKey = (idHex: string): Uint8Array => moduleKey(LC_MODULE, creditKey(idHex));
export const presentationStateKey = (idHex: string, seq: number): Uint8Array =>
  moduleKey(LC_MODULE, presentationKey(idHex, seq));

/** A credit's id: H("pujiang/lc/credit/v1\0" || maker || draft transaction hash): unique per draft. */
export function creditId(chainHash: HashAlgorithm, maker: Uint8Array, txHash: Uint8Array): Uint8Array {
  return hash(chainHash, concatBytes(utf8ToBytes('pujiang/lc/credit/v1\0'), maker, txHash));
}
