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
import { type HashAlgorithm, hash, merkleProof, merkleRoot } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { writeReceipt } from './receipt-writer.js';

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

/** Limits of what a receipt can hold (UTF-8 bytes); execution enforces them before anything is stored. */
export const RECEIPT_LIMITS = {
  code: 64,
  message: 1024,
  events: 1024,
  eventModule: 32,
  eventType: 64,
  attributes: 64,
  attributeKey: 64,
  attributeValue: 1024,
  /** All events of one receipt together (well inside the 1 MiB a stored receipt may take). */
  eventBytes: 256 * 1024,
} as const;
export const MAX_EVENT_ATTRIBUTES = RECEIPT_LIMITS.attributes;
export const MAX_RECEIPT_MESSAGE = RECEIPT_LIMITS.message;

/** Node has `Buffer` (fast paths below); a browser does not, and gets the same bytes through the codec. */
const HAS_BUFFER = typeof Buffer !== 'undefined';
const utf8 = new TextEncoder();
const utf8Length = (text: string): number =>
  HAS_BUFFER ? Buffer.byteLength(text, 'utf8') : utf8.encode(text).length;

/** The longest prefix of `text` whose UTF-8 encoding fits `maxBytes` (never splitting a character). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

const L = RECEIPT_LIMITS;
const ReceiptCodec = struct('Receipt', {
  txHash: fixedBytes(32),
  code: string({ max: L.code }),
  message: optional(string({ max: L.message })),
  gasUsed: u64,
  events: list(
    struct('Event', {
      module: string({ max: L.eventModule }),
      type: string({ max: L.eventType }),
      attributes: map(string({ max: L.attributeKey }), string({ max: L.attributeValue }), {
        max: L.attributes,
      }),
    }),
    { max: L.events },
  ),
});
/** A block's receipts as stored: each receipt's own encoding (the results tree's leaves), so they are encoded once. */
const ReceiptLeaves = list(bytes({ max: 1 << 20 }), { max: 100_000 });

type ReceiptRecord = Infer<typeof ReceiptCodec>;

function toRecord(r: Receipt): ReceiptRecord {
  return {
    txHash: hexToBytes(r.txHash),
    code: r.code,
    ...(r.message === undefined ? {} : { message: truncateUtf8(r.message, L.message) }),
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

/** One receipt's canonical encoding through the generic codec (the reference for `encodeReceipt`). */
export function encodeReceiptWithCodec(receipt: Receipt): Uint8Array {
  return encode(ReceiptCodec, toRecord(receipt));
}

/**
 * One receipt's canonical encoding: the leaf of the block's results tree. Every committed
 * transaction needs one, so this writes the same bytes as `encodeReceiptWithCodec` directly
 * (a property test holds them equal); anything unusual (over a limit, a lone surrogate)
 * goes through the codec, which refuses it with a typed error.
 */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  if (!HAS_BUFFER) return encodeReceiptWithCodec(receipt);
  const message = receipt.message === undefined ? undefined : truncateUtf8(receipt.message, L.message);
  const fitted = message === receipt.message || message === undefined ? receipt : { ...receipt, message };
  return writeReceipt(fitted, L) ?? encodeReceiptWithCodec(receipt);
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

export type BlockHookPhase = 'beginBlock' | 'endBlock';

/**
 * The receipt id of a module's block hook: H("pujiang/hook/v1\0" phase "\0" module "\0"
 * height). No transaction has it: a transaction's id is the hash of its encoding, which
 * starts with its version byte, not this label.
 */
export function hookId(
  algorithm: HashAlgorithm,
  phase: BlockHookPhase,
  module: string,
  height: bigint,
): string {
  return bytesToHex(hash(algorithm, utf8ToBytes(`pujiang/hook/v1\0${phase}\0${module}\0${height}`)));
}
