/**
 * A receipt's canonical encoding written straight into one buffer: every committed
 * transaction needs one, and the generic codec (or a buffer per field) costs more than the
 * execution of a transfer. `encodeReceiptWithCodec` is the reference; a property test holds
 * the two equal. Node only (it writes with `Buffer`).
 */
import { leb128Length, writeLeb128 } from '@pujiang/codec';
import type { Receipt } from './receipt.js';

export interface ReceiptWriterLimits {
  readonly code: number;
  readonly message: number;
  readonly events: number;
  readonly eventModule: number;
  readonly eventType: number;
  readonly attributes: number;
  readonly attributeKey: number;
  readonly attributeValue: number;
}

/** Attribute keys in encoding order (length prefix first, then bytes), per key set: events of a type repeat theirs. */
const keyOrders = new Map<string, readonly string[]>();
const MAX_KEY_ORDERS = 1024;

function encodedKey(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  const out = Buffer.allocUnsafe(leb128Length(bytes.length) + bytes.length);
  writeLeb128(out, 0, bytes.length);
  out.set(bytes, out.length - bytes.length);
  return out;
}

function keyOrder(keys: readonly string[]): readonly string[] {
  // Length-prefixed, so that no two key lists share an id ([] and [''], or ['a\0b'] and ['a', 'b']).
  let id = '';
  for (const k of keys) id += `${k.length}:${k}`;
  let order = keyOrders.get(id);
  if (order === undefined) {
    const encoded = keys.map((k) => ({ k, e: encodedKey(k) }));
    encoded.sort((a, b) => Buffer.compare(a.e, b.e));
    order = encoded.map(({ k }) => k);
    if (keyOrders.size >= MAX_KEY_ORDERS) keyOrders.clear();
    keyOrders.set(id, order);
  }
  return order;
}

/** The UTF-8 length of a well-formed string within `max`, else -1 (the codec then refuses it). */
function checkedLength(text: string, max: number): number {
  if (!text.isWellFormed()) return -1;
  const n = Buffer.byteLength(text, 'utf8');
  return n <= max ? n : -1;
}

const HASH_HEX = /^[0-9a-f]{64}$/;

/** The encoding, or undefined when anything is unusual (over a limit, a lone surrogate, a bad hash). */
export function writeReceipt(r: Receipt, L: ReceiptWriterLimits): Uint8Array | undefined {
  if (!HASH_HEX.test(r.txHash) || !Number.isSafeInteger(r.gasUsed) || r.gasUsed < 0) return undefined;
  if (r.events.length > L.events) return undefined;
  // First pass: check every string and size the output exactly.
  const codeLength = checkedLength(r.code, L.code);
  if (codeLength < 0) return undefined;
  let size = 32 + leb128Length(codeLength) + codeLength + 1 + 8 + leb128Length(r.events.length);
  let messageLength = 0;
  if (r.message !== undefined) {
    messageLength = checkedLength(r.message, L.message);
    if (messageLength < 0) return undefined;
    size += leb128Length(messageLength) + messageLength;
  }
  const orders: (readonly string[])[] = [];
  for (const e of r.events) {
    const moduleLength = checkedLength(e.module, L.eventModule);
    const typeLength = checkedLength(e.type, L.eventType);
    if (moduleLength < 0 || typeLength < 0) return undefined;
    const keys = Object.keys(e.attributes);
    if (keys.length > L.attributes) return undefined;
    size += leb128Length(moduleLength) + moduleLength + leb128Length(typeLength) + typeLength;
    size += leb128Length(keys.length);
    for (const k of keys) {
      const v = e.attributes[k];
      const keyLength = checkedLength(k, L.attributeKey);
      const valueLength = typeof v === 'string' ? checkedLength(v, L.attributeValue) : -1;
      if (keyLength < 0 || valueLength < 0) return undefined;
      size += leb128Length(keyLength) + keyLength + leb128Length(valueLength) + valueLength;
    }
    orders.push(keyOrder(keys));
  }
  // Second pass: write every byte of the buffer.
  const out = Buffer.allocUnsafe(size);
  out.write(r.txHash, 0, 32, 'hex');
  let at = writeLeb128(out, 32, codeLength);
  at += out.write(r.code, at, 'utf8');
  if (r.message === undefined) out[at++] = 0;
  else {
    out[at++] = 1;
    at = writeLeb128(out, at, messageLength);
    at += out.write(r.message, at, 'utf8');
  }
  out.writeBigUInt64BE(BigInt(r.gasUsed), at);
  at = writeLeb128(out, at + 8, r.events.length);
  r.events.forEach((e, i) => {
    at = writeText(out, at, e.module);
    at = writeText(out, at, e.type);
    const order = orders[i]!;
    at = writeLeb128(out, at, order.length);
    for (const k of order) {
      at = writeText(out, at, k);
      at = writeText(out, at, e.attributes[k]!);
    }
  });
  if (at !== size) return undefined;
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function writeText(out: Buffer, offset: number, text: string): number {
  const at = writeLeb128(out, offset, Buffer.byteLength(text, 'utf8'));
  return at + out.write(text, at, 'utf8');
}
