import { CodecError } from './errors.js';

/** Largest length prefix accepted anywhere (lengths are u32 by definition). */
export const MAX_LENGTH_PREFIX = 0xffff_ffff;

/** Growable output buffer; codecs append to it. */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v);
    this.length += 4;
  }

  u64(v: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, v);
    this.length += 8;
  }

  /** Unsigned LEB128, always the shortest form. */
  lengthPrefix(n: number): void {
    this.reserve(5);
    let v = n;
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.length++] = v;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Cursor over input bytes; every read is bounds-checked and fails with a typed error. */
export class Reader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number): void {
    if (n > this.remaining) {
      throw new CodecError('CODEC_UNEXPECTED_END', 'input ended before the value did', {
        offset: this.offset,
        needed: n,
        remaining: this.remaining,
      });
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return v;
  }

  /** Reads a LEB128 length; refuses non-minimal forms and values above u32. */
  lengthPrefix(): number {
    const start = this.offset;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) {
          throw new CodecError('CODEC_NON_MINIMAL_LENGTH', 'length prefix is not in its shortest form', {
            offset: start,
          });
        }
        if (value > MAX_LENGTH_PREFIX) break;
        return value;
      }
      scale *= 128;
    }
    throw new CodecError('CODEC_LENGTH_OVERFLOW', 'length prefix exceeds 2^32-1', { offset: start });
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}
