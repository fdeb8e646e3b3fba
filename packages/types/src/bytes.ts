import { PujiangError } from './errors.js';

export type BytesErrorCode = 'BYTES_INVALID_HEX';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Node's Buffer (native hex), or undefined in a browser, where the plain loops below run. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Parses hex (optionally `0x`-prefixed, either case); throws BYTES_INVALID_HEX otherwise. */
export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!HEX_RE.test(body)) {
    throw new PujiangError<BytesErrorCode>('BYTES_INVALID_HEX', 'expected an even-length hex string', {
      length: hex.length,
    });
  }
  if (NodeBuffer !== undefined) return new Uint8Array(NodeBuffer.from(body, 'hex'));
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lowercase hex without prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined)
    return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  let hex = '';
  for (const byte of bytes) hex += HEX_BYTES[byte];
  return hex;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lexicographic comparison of byte strings (shorter prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function utf8ToBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
