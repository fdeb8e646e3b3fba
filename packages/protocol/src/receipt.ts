import {
  bytes,
  decode,
  encode,
  fixedBytes,
  type Infer,
  list,
  map,
  optional,
  string,
  struct,
  u64,
} from '@pujiang/codec';
import { type HashAlgorithm, merkleProof, merkleRoot } from '@pujiang/crypto';
import { bytesToHex, hexToBytes } from '@pujiang/types';

export interface ChainEvent {
  readonly module: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** The outcome of one transaction in a block. */
export interface Receipt {
  readonly txHash: string;
  /** 'OK', or the stable code of the error that stopped the transaction. */
  readonly code: string;
  readonly message?: string;
  readonly gasUsed: number;
  readonly events: readonly ChainEvent[];
}

export const MAX_EVENT_ATTRIBUTES = 64;
export const MAX_RECEIPT_MESSAGE = 1024;

const ReceiptCodec = struct('Receipt', {
  txHash: fixedBytes(32),
  code: string({ max: 64 }),
  message: optional(string({ max: MAX_RECEIPT_MESSAGE })),
  gasUsed: u64,
  events: list(
    struct('Event', {
      module: string({ max: 32 }),
      type: string({ max: 64 }),
      attributes: map(string({ max: 64 }), string({ max: 1024 }), { max: MAX_EVENT_ATTRIBUTES }),
    }),
    { max: 1024 },
  ),
});
/** A block's receipts as stored: each receipt's own encoding (the results tree's leaves), so they are encoded once. */
const ReceiptLeaves = list(bytes({ max: 1 << 20 }), { max: 100_000 });

type ReceiptRecord = Infer<typeof ReceiptCodec>;

function toRecord(r: Receipt): ReceiptRecord {
  return {
    txHash: hexToBytes(r.txHash),
    code: r.code,
    ...(r.message === undefined ? {} : { message: r.message.slice(0, MAX_RECEIPT_MESSAGE) }),
    gasUsed: BigInt(r.gasUsed),
    events: r.events.map((e) => ({
      module: e.module,
      type: e.type,
      attributes: new Map(Object.entries(e.attributes)),
    })),
  };
}

function fromRecord(r: ReceiptRecord): Receipt {
  return {
    txHash: bytesToHex(r.txHash),
    code: r.code,
    ...(r.message === undefined ? {} : { message: r.message }),
    gasUsed: Number(r.gasUsed),
    events: r.events.map((e) => ({
      module: e.module,
      type: e.type,
      attributes: Object.fromEntries(e.attributes),
    })),
  };
}

/** One receipt's canonical encoding: the leaf of the block's results tree. */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  return encode(ReceiptCodec, toRecord(receipt));
}

export function decodeReceipt(bytes: Uint8Array): Receipt {
  return fromRecord(decode(ReceiptCodec, bytes));
}

/** A block's receipts as stored, from their encodings (`encodeReceipt` of each). */
export function encodeReceiptLeaves(leaves: readonly Uint8Array[]): Uint8Array {
  return encode(
    ReceiptLeaves,
    [...leaves],
    leaves.reduce((n, l) => n + l.length + 4, 16),
  );
}

export function decodeReceiptLeaves(bytes: Uint8Array): Uint8Array[] {
  return decode(ReceiptLeaves, bytes);
}

export function encodeReceipts(receipts: readonly Receipt[]): Uint8Array {
  return encodeReceiptLeaves(receipts.map(encodeReceipt));
}

export function decodeReceipts(bytes: Uint8Array): Receipt[] {
  return decodeReceiptLeaves(bytes).map(decodeReceipt);
}

/**
 * The Merkle root (RFC 9162) over the receipts' encodings. The header of the next block
 * commits to it, so every receipt and event has an inclusion proof.
 */
export function resultsRoot(algorithm: HashAlgorithm, receipts: readonly Receipt[]): Uint8Array {
  return merkleRoot(algorithm, receipts.map(encodeReceipt));
}

export function receiptProof(algorithm: HashAlgorithm, receipts: readonly Receipt[], index: number) {
  return merkleProof(algorithm, receipts.map(encodeReceipt), index);
}
