import {
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
} from '@pujiang/codec';
import { ADDRESS_LENGTH, type HashAlgorithm, hash } from '@pujiang/crypto';
import { moduleKey, moduleParamKey } from '@pujiang/protocol';
import { concatBytes, utf8ToBytes } from '@pujiang/types';

/**
 * The `scf` module's formats: supply-chain finance. A buyer confirms a payable to a supplier;
 * the result is a receivable backed by the invoice's and delivery documents' notarized
 * digests. Its holder may split it into parts and transfer parts down the supply chain, or
 * ask a bank to finance a part at a discount (the part is then pledged to the bank). On the
 * due date the buyer pays every part's holder (or pledgee) pro rata through the bank module.
 */
export const SCF_MODULE = 'scf';

export const SCF_LIMITS = {
  /** Parts one split makes. */
  splitParts: 16,
  /** Parts (leaves) one confirmed receivable may be divided into, all splits together. */
  parts: 64,
  deliveryDigests: 8,
  reference: 64,
  banks: 64,
  orgId: 64,
  /** Days a due date may lie ahead (ten years). */
  dueDays: 3660,
} as const;

/** A receivable's own number at the buyer (its payable reference): printable, no spaces. */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}$/;
/** Denominations as the bank module names them. */
export const DENOM = /^[a-z][a-z0-9/._-]{0,63}$/;
export const ZERO_DIGEST = new Uint8Array(32);
/** The latest day a due date may name in a message (a u32 day number). */
export const MAX_DUE_DAY = 2n ** 32n - 1n;

/** Days are counted in Asia/Shanghai time (UTC+8, no daylight saving): integer arithmetic only. */
export const DAY_MS = 86_400_000n;
export const SHANGHAI_OFFSET_MS = 8n * 3_600_000n;
export const dayOf = (timeMs: bigint): bigint =>
  (timeMs + SHANGHAI_OFFSET_MS) / DAY_MS - (timeMs + SHANGHAI_OFFSET_MS < 0n ? 1n : 0n);
export const startOfDay = (day: bigint): bigint => day * DAY_MS - SHANGHAI_OFFSET_MS;

const Address = fixedBytes(ADDRESS_LENGTH);
const Digest = fixedBytes(32);
/** Amounts as minimal big-endian bytes (the bank module's `encodeAmount`): up to 2^256 - 1. */
const Amount = bytes({ max: 32 });
const OrgId = string({ max: SCF_LIMITS.orgId });

/** `scf/setCreditLine`: a bank caps what a buyer may have outstanding in confirmations of a denomination. */
export const SetCreditLine = struct('SetCreditLine', {
  buyer: Address,
  denom: string({ max: 64 }),
  limit: Amount,
});
export type SetCreditLine = Infer<typeof SetCreditLine>;

/** `scf/confirm`: the buyer (sender) confirms a payable to `supplier`; the receivable's id derives from the invoice. */
export const ConfirmReceivable = struct('ConfirmReceivable', {
  supplier: Address,
  denom: string({ max: 64 }),
  amount: Amount,
  /** The due date: a day number (days since 1970-01-01, Asia/Shanghai). */
  dueDay: u32,
  /** SHA-256 of the invoice file: one receivable per invoice across the chain. */
  invoiceDigest: Digest,
  /** SHA-256 of the delivery documents (a delivery note, a bill of lading, an acceptance). */
  deliveryDigests: list(Digest, { max: SCF_LIMITS.deliveryDigests }),
  reference: string({ max: SCF_LIMITS.reference }),
});
export type ConfirmReceivable = Infer<typeof ConfirmReceivable>;

/** `scf/split`: the holder divides a part into 2 to 16 parts of the given amounts (they sum to it). */
export const SplitReceivable = struct('SplitReceivable', {
  id: Digest,
  amounts: list(Amount, { max: SCF_LIMITS.splitParts }),
});
export type SplitReceivable = Infer<typeof SplitReceivable>;

export const TransferReceivable = struct('TransferReceivable', { id: Digest, to: Address });
export type TransferReceivable = Infer<typeof TransferReceivable>;

/** `scf/requestFinancing`: the holder asks bank `org` to advance `advance` against a part. */
export const RequestFinancing = struct('RequestFinancing', { id: Digest, org: OrgId, advance: Amount });
export type RequestFinancing = Infer<typeof RequestFinancing>;

export const CancelFinancing = struct('CancelFinancing', { id: Digest });
export type CancelFinancing = Infer<typeof CancelFinancing>;

/**
 * `scf/finance`: the bank named in the request pays the advance to the holder and takes the
 * part in pledge; at maturity the part's payment goes to `payTo` (an identity of the bank).
 * Its approval follows the policy of `scf/finance/<org>` (maker, checker, approver: the sender
 * and its endorsers).
 */
export const FinanceReceivable = struct('FinanceReceivable', {
  id: Digest,
  payTo: Address,
  /** The advance the bank's signers approve: it must be the one the holder asked for. */
  advance: Amount,
});
export type FinanceReceivable = Infer<typeof FinanceReceivable>;

/** `scf/release`: the pledgee bank gives the part back to its holder (the advance was repaid). */
export const ReleasePledge = struct('ReleasePledge', { id: Digest });
export type ReleasePledge = Infer<typeof ReleasePledge>;

/** `scf/settle`: the buyer pays a receivable (all that is unpaid, or `amount`), pro rata to its parts. */
export const SettleReceivable = struct('SettleReceivable', { id: Digest, amount: list(Amount, { max: 1 }) });
export type SettleReceivable = Infer<typeof SettleReceivable>;

export const PART_STATES = ['active', 'split', 'pledged', 'settled'] as const;
export type PartState = (typeof PART_STATES)[number];
export const RECEIVABLE_STATUSES = ['open', 'overdue', 'settled'] as const;
export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

/** The confirmed receivable: the debt as a whole (its parts are `Part` records). */
export const Receivable = struct('Receivable', {
  debtor: Address,
  creditor: Address,
  denom: string({ max: 64 }),
  amount: Amount,
  paid: Amount,
  dueDay: u32,
  invoiceDigest: Digest,
  deliveryDigests: list(Digest, { max: SCF_LIMITS.deliveryDigests }),
  reference: string({ max: SCF_LIMITS.reference }),
  /** The notary anchor (batch root) of the invoice digest. */
  anchorRoot: Digest,
  status: literals('ReceivableStatus', RECEIVABLE_STATUSES),
  /** The parts that hold it now (leaves), in creation order. */
  parts: list(Digest, { max: SCF_LIMITS.parts }),
  /** The bank organization whose credit line the confirmation used. */
  lineOrg: OrgId,
  height: u64,
  time: u64,
  txHash: Digest,
});
export type Receivable = Infer<typeof Receivable>;

export const FinancingRequest = struct('FinancingRequest', {
  org: OrgId,
  advance: Amount,
  requestedBy: Address,
  height: u64,
});
export type FinancingRequest = Infer<typeof FinancingRequest>;

export const Pledge = struct('Pledge', {
  org: OrgId,
  payTo: Address,
  advance: Amount,
  height: u64,
  txHash: Digest,
});
export type Pledge = Infer<typeof Pledge>;

/** A part of a receivable: the root (the confirmed one) is a part too. */
export const Part = struct('Part', {
  receivable: Digest,
  parent: list(Digest, { max: 1 }),
  /** Splits from the root to this part (0: the root). */
  depth: u8,
  holder: Address,
  amount: Amount,
  paid: Amount,
  state: literals('PartState', PART_STATES),
  children: list(Digest, { max: SCF_LIMITS.splitParts }),
  request: optional(FinancingRequest),
  pledge: optional(Pledge),
  /** Transfers so far. */
  transfers: u32,
  height: u64,
});
export type Part = Infer<typeof Part>;

/** A bank's line for a buyer in a denomination: confirmations outstanding may not exceed `limit`. */
export const CreditLine = struct('CreditLine', { org: OrgId, limit: Amount, outstanding: Amount });
export type CreditLine = Infer<typeof CreditLine>;

/** The organizations acting as banks (they grant lines and finance): a parameter governance sets. */
export const Banks = list(OrgId, { max: SCF_LIMITS.banks });
export const BANKS_PARAM = 'banks';
export const banksKey = moduleParamKey(BANKS_PARAM);

export const receivableKey = (idHex: string): string => `receivable/${idHex}`;
export const partKey = (idHex: string): string => `part/${idHex}`;
/** One receivable per invoice digest, whoever confirmed it. */
export const invoiceKey = (digestHex: string): string => `invoice/${digestHex}`;
export const creditLineKey = (buyer: string, denom: string): string => `line/${buyer}/${denom}`;
/** The queue of receivables falling due on a day (the overdue hook drains it once the day has passed). */
export const dueQueue = (day: bigint | number): string => `due/${String(day).padStart(8, '0')}`;
/** The first day the overdue hook has not finished (a u64). */
export const DUE_CURSOR_KEY = 'dueCursor';

export const receivableStateKey = (idHex: string): Uint8Array => moduleKey(SCF_MODULE, receivableKey(idHex));
export const partStateKey = (idHex: string): Uint8Array => moduleKey(SCF_MODULE, partKey(idHex));
export const invoiceStateKey = (digestHex: string): Uint8Array =>
  moduleKey(SCF_MODULE, invoiceKey(digestHex));

/** A receivable's id: H("pujiang/scf/receivable/v1\0" || invoice digest) under the chain's hash. */
export function receivableId(chainHash: HashAlgorithm, invoiceDigest: Uint8Array): Uint8Array {
  return hash(chainHash, concatBytes(utf8ToBytes('pujiang/scf/receivable/v1\0'), invoiceDigest));
}

/** Part `index` of a split of `parent`: H("pujiang/scf/part/v1\0" || parent || index). */
export function partId(chainHash: HashAlgorithm, parent: Uint8Array, index: number): Uint8Array {
  return hash(chainHash, concatBytes(utf8ToBytes('pujiang/scf/part/v1\0'), parent, new Uint8Array([index])));
}
