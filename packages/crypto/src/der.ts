import { bytesToHex, concatBytes, hexToBytes } from '@pujiang/types';
import { CryptoError } from './errors.js';

/** Minimal DER (X.690) helpers for the few fixed structures we read and write. */
export function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n < 0x100) return Uint8Array.of(0x81, n);
  if (n < 0x10000) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  throw new CryptoError('CRYPTO_UNSUPPORTED_FORMAT', 'DER element too long', { length: n });
}

export function derTlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  return concatBytes(Uint8Array.of(tag), derLength(body.length), body);
}

export const der = {
  sequence: (...items: Uint8Array[]) => derTlv(0x30, ...items),
  integer: (unsignedBigEndian: Uint8Array) => {
    let i = 0;
    while (i < unsignedBigEndian.length - 1 && unsignedBigEndian[i] === 0) i++;
    const trimmed = unsignedBigEndian.subarray(i);
    const body = (trimmed[0]! & 0x80) !== 0 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed;
    return derTlv(0x02, body);
  },
  octetString: (bytes: Uint8Array) => derTlv(0x04, bytes),
  bitString: (bytes: Uint8Array) => derTlv(0x03, Uint8Array.of(0), bytes),
  oid: (encoded: string) => derTlv(0x06, hexToBytes(encoded)),
  contextPrimitive: (n: number, bytes: Uint8Array) => derTlv(0x80 | n, bytes),
  /** [n] EXPLICIT (constructed context-specific) wrapping of already-encoded elements. */
  contextConstructed: (n: number, ...items: Uint8Array[]) => derTlv(0xa0 | n, ...items),
};

/** Dotted form of OID content octets, for error messages only (tolerant, never throws). */
export function oidDotted(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content.subarray(0, 64)) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(value < 80n ? value / 40n : 2n, value < 80n ? value % 40n : value - 80n);
      else arcs.push(value);
      value = 0n;
    }
  }
  return arcs.length > 0 ? arcs.join('.') : '(empty)';
}

/**
 * The hex content octets of an OBJECT IDENTIFIER given in dotted form (X.690 8.19), with
 * arcs of any size: the 2.25 UUID arcs are 128-bit numbers.
 */
export function oidHex(dotted: string): string {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second > 39n)) {
    throw new CryptoError('CRYPTO_INVALID_INPUT', `not an object identifier: ${dotted}`, {});
  }
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const group = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return bytesToHex(Uint8Array.from(bytes));
}

function badSignature(reason: string): CryptoError {
  return new CryptoError('CRYPTO_INVALID_SIGNATURE_ENCODING', `not a DER ECDSA/SM2 signature: ${reason}`, {});
}

/** Reads one strict-DER INTEGER (non-negative, minimal) and returns it as 32 bytes. */
function readInteger(bytes: Uint8Array, offset: number): { value: Uint8Array; next: number } {
  if (bytes[offset] !== 0x02) throw badSignature('expected INTEGER');
  const len = bytes[offset + 1];
  if (len === undefined || len === 0 || len > 33) throw badSignature('bad INTEGER length');
  const start = offset + 2;
  const body = bytes.subarray(start, start + len);
  if (body.length !== len) throw badSignature('truncated INTEGER');
  if ((body[0]! & 0x80) !== 0) throw badSignature('negative INTEGER');
  if (len > 1 && body[0] === 0 && (body[1]! & 0x80) === 0) throw badSignature('non-minimal INTEGER');
  const magnitude = body[0] === 0 ? body.subarray(1) : body;
  if (magnitude.length > 32) throw badSignature('INTEGER wider than 256 bits');
  const value = new Uint8Array(32);
  value.set(magnitude, 32 - magnitude.length);
  return { value, next: start + len };
}

/** DER SEQUENCE { r INTEGER, s INTEGER } to 64-byte r||s; any other form is refused. */
export function signatureFromDer(derBytes: Uint8Array): Uint8Array {
  if (
    derBytes[0] !== 0x30 ||
    derBytes.length < 8 ||
    derBytes[1]! >= 0x80 ||
    derBytes[1]! + 2 !== derBytes.length
  ) {
    throw badSignature('expected a short-form SEQUENCE spanning the input');
  }
  const r = readInteger(derBytes, 2);
  const s = readInteger(derBytes, r.next);
  if (s.next !== derBytes.length) throw badSignature('trailing bytes');
  return concatBytes(r.value, s.value);
}

export function signatureToDer(rs: Uint8Array): Uint8Array {
  if (rs.length !== 64) throw badSignature('r||s must be 64 bytes');
  return der.sequence(der.integer(rs.subarray(0, 32)), der.integer(rs.subarray(32)));
}

export interface DerElement {
  readonly tag: number;
  readonly content: Uint8Array;
  /** The whole element (tag, length and content), e.g. the exact bytes that were signed. */
  readonly tlv: Uint8Array;
  /** Offset just past this element in the input it was read from. */
  readonly end: number;
}

/** Reads one definite-length DER element; refuses indefinite and non-minimal lengths. */
export function readDer(bytes: Uint8Array, offset = 0): DerElement {
  const fail = (reason: string) =>
    new CryptoError('CRYPTO_UNSUPPORTED_FORMAT', `malformed DER: ${reason}`, { offset });
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw fail('truncated header');
  // High-tag-number form (X.690 8.1.2.4): none of our structures use it, so refuse rather than misread.
  if ((tag & 0x1f) === 0x1f) throw fail('multi-byte tag');
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 3) throw fail('unsupported length form');
    length = 0;
    for (let i = 0; i < n; i++) {
      const b = bytes[start + i];
      if (b === undefined) throw fail('truncated length');
      if (i === 0 && b === 0) throw fail('non-minimal length');
      length = length * 256 + b;
    }
    if (length < 0x80) throw fail('non-minimal length');
    start += n;
  }
  if (start + length > bytes.length) throw fail('content runs past the input');
  const end = start + length;
  return { tag, content: bytes.subarray(start, end), tlv: bytes.subarray(offset, end), end };
}

/** The elements directly inside a constructed element's content. */
export function readDerChildren(content: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < content.length) {
    const element = readDer(content, offset);
    out.push(element);
    offset = element.end;
  }
  return out;
}
