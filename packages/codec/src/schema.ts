import { compareBytes } from '@pujiang/types';
import { CodecError } from './errors.js';
import { MAX_LENGTH_PREFIX, Reader, Writer } from './io.js';

/**
 * A codec for values of type T. Encodings are schema-driven: the bytes carry no field
 * names or type tags beyond what the schema demands, so each value has exactly one
 * encoding and anything else (trailing bytes, unknown fields, long forms) is refused.
 */
export interface Codec<T> {
  readonly kind: string;
  /** The fewest bytes any value of this codec occupies; bounds counts read from input. */
  readonly minSize: number;
  write(writer: Writer, value: T): void;
  read(reader: Reader): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

export interface LimitOptions {
  /** Largest accepted length (bytes for strings and byte strings, items for lists and maps). */
  max?: number;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_ITEMS = 1_000_000;

function invalid(kind: string, message: string, value?: unknown): CodecError {
  return new CodecError('CODEC_INVALID_VALUE', `${kind}: ${message}`, {
    kind,
    ...(value === undefined ? {} : { value: String(value).slice(0, 80) }),
  });
}

function checkedLength(reader: Reader, kind: string, max: number, minItemSize: number): number {
  const offset = reader.offset;
  const n = reader.lengthPrefix();
  if (n > max) {
    throw new CodecError('CODEC_LENGTH_EXCEEDS_LIMIT', `${kind}: length ${n} exceeds limit ${max}`, {
      kind,
      length: n,
      max,
      offset,
    });
  }
  // Refuse before allocating: the input must hold at least n minimal items.
  if (minItemSize > 0 && n * minItemSize > reader.remaining) {
    throw new CodecError('CODEC_UNEXPECTED_END', `${kind}: length ${n} exceeds the remaining input`, {
      kind,
      length: n,
      remaining: reader.remaining,
      offset,
    });
  }
  return n;
}

function uint(kind: string, bits: 8 | 16 | 32): Codec<number> {
  const limit = 2 ** bits - 1;
  const size = bits / 8;
  return {
    kind,
    minSize: size,
    write(w, v) {
      if (!Number.isInteger(v) || v < 0 || v > limit)
        throw invalid(kind, `expected integer in [0, ${limit}]`, v);
      if (bits === 8) w.u8(v);
      else if (bits === 16) w.u16(v);
      else w.u32(v);
    },
    read(r) {
      return bits === 8 ? r.u8() : bits === 16 ? r.u16() : r.u32();
    },
  };
}

export const u8: Codec<number> = uint('u8', 8);
export const u16: Codec<number> = uint('u16', 16);
export const u32: Codec<number> = uint('u32', 32);

const U64_MAX = (1n << 64n) - 1n;
export const u64: Codec<bigint> = {
  kind: 'u64',
  minSize: 8,
  write(w, v) {
    if (typeof v !== 'bigint' || v < 0n || v > U64_MAX)
      throw invalid('u64', 'expected bigint in [0, 2^64-1]', v);
    w.u64(v);
  },
  read(r) {
    return r.u64();
  },
};

export const bool: Codec<boolean> = {
  kind: 'bool',
  minSize: 1,
  write(w, v) {
    if (typeof v !== 'boolean') throw invalid('bool', 'expected boolean', v);
    w.u8(v ? 1 : 0);
  },
  read(r) {
    const offset = r.offset;
    const b = r.u8();
    if (b > 1) throw new CodecError('CODEC_INVALID_BOOL', 'bool must be 0x00 or 0x01', { offset, byte: b });
    return b === 1;
  },
};

/** Variable-length bytes: LEB128 length, then the bytes. */
export function bytes(options: LimitOptions = {}): Codec<Uint8Array> {
  const max = Math.min(options.max ?? DEFAULT_MAX_BYTES, MAX_LENGTH_PREFIX);
  return {
    kind: 'bytes',
    minSize: 1,
    write(w, v) {
      if (!(v instanceof Uint8Array)) throw invalid('bytes', 'expected Uint8Array');
      if (v.length > max) throw invalid('bytes', `length ${v.length} exceeds limit ${max}`);
      w.lengthPrefix(v.length);
      w.raw(v);
    },
    read(r) {
      return r.raw(checkedLength(r, 'bytes', max, 1));
    },
  };
}

/** Exactly n bytes, no prefix (hashes, fixed-size keys). */
export function fixedBytes(n: number): Codec<Uint8Array> {
  return {
    kind: `bytes${n}`,
    minSize: n,
    write(w, v) {
      if (!(v instanceof Uint8Array) || v.length !== n) throw invalid(`bytes${n}`, `expected ${n} bytes`);
      w.raw(v);
    },
    read(r) {
      return r.raw(n);
    },
  };
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** UTF-8 text; strings with lone surrogates are refused so that every string round-trips. */
export function string(options: LimitOptions = {}): Codec<string> {
  const max = Math.min(options.max ?? DEFAULT_MAX_BYTES, MAX_LENGTH_PREFIX);
  return {
    kind: 'string',
    minSize: 1,
    write(w, v) {
      if (typeof v !== 'string') throw invalid('string', 'expected string', v);
      if (!v.isWellFormed()) throw invalid('string', 'string has a lone surrogate');
      const encoded = utf8Encoder.encode(v);
      if (encoded.length > max)
        throw invalid('string', `UTF-8 length ${encoded.length} exceeds limit ${max}`);
      w.lengthPrefix(encoded.length);
      w.raw(encoded);
    },
    read(r) {
      const offset = r.offset;
      const raw = r.raw(checkedLength(r, 'string', max, 1));
      try {
        return utf8Decoder.decode(raw);
      } catch {
        throw new CodecError('CODEC_INVALID_UTF8', 'string is not valid UTF-8', { offset });
      }
    },
  };
}

export function list<T>(item: Codec<T>, options: LimitOptions = {}): Codec<T[]> {
  const max = Math.min(options.max ?? DEFAULT_MAX_ITEMS, MAX_LENGTH_PREFIX);
  const kind = `list<${item.kind}>`;
  // A zero-size item would let a few bytes declare millions of values.
  if (item.minSize < 1) throw invalid(kind, 'list items must occupy at least one byte');
  return {
    kind,
    minSize: 1,
    write(w, v) {
      if (!Array.isArray(v)) throw invalid(kind, 'expected array');
      if (v.length > max) throw invalid(kind, `length ${v.length} exceeds limit ${max}`);
      w.lengthPrefix(v.length);
      for (const x of v) item.write(w, x);
    },
    read(r) {
      const n = checkedLength(r, kind, max, item.minSize);
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = item.read(r);
      return out;
    },
  };
}

/** 0x00 for absent, 0x01 followed by the value for present. */
export function optional<T>(inner: Codec<T>): Codec<T | undefined> {
  const kind = `optional<${inner.kind}>`;
  // optional<optional<T>> has two encodings of "absent"; refuse the schema.
  if (inner.kind.startsWith('optional<')) throw invalid(kind, 'an optional cannot directly hold an optional');
  return {
    kind,
    minSize: 1,
    write(w, v) {
      if (v === undefined) {
        w.u8(0);
      } else {
        w.u8(1);
        inner.write(w, v);
      }
    },
    read(r) {
      const offset = r.offset;
      const tag = r.u8();
      if (tag === 0) return undefined;
      if (tag === 1) return inner.read(r);
      throw new CodecError('CODEC_INVALID_OPTION_TAG', `${kind}: tag must be 0x00 or 0x01`, { offset, tag });
    },
  };
}

type FieldCodecs = Record<string, Codec<unknown>>;
type OptionalKeys<F extends FieldCodecs> = {
  [K in keyof F]: undefined extends Infer<F[K]> ? K : never;
}[keyof F];
type RequiredKeys<F extends FieldCodecs> = Exclude<keyof F, OptionalKeys<F>>;
export type StructValue<F extends FieldCodecs> = { [K in RequiredKeys<F>]: Infer<F[K]> } & {
  [K in OptionalKeys<F>]?: Exclude<Infer<F[K]>, undefined>;
};

/**
 * Fields in declaration order, without names. On encode, a property the schema does not
 * name is an error, so no unknown field can be silently dropped.
 */
export function struct<F extends FieldCodecs>(name: string, fields: F): Codec<StructValue<F>> {
  const entries = Object.entries(fields);
  const names = new Set(entries.map(([k]) => k));
  for (const key of names) {
    if (/^\d+$/.test(key)) throw invalid(name, `field name ${key} would not keep its declaration order`);
  }
  let minSize = 0;
  for (const [, codec] of entries) minSize += codec.minSize;
  return {
    kind: name,
    minSize,
    write(w, v) {
      if (typeof v !== 'object' || v === null) throw invalid(name, 'expected object');
      const record = v as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!names.has(key) && record[key] !== undefined) throw invalid(name, `unknown field "${key}"`);
      }
      for (const [key, codec] of entries) {
        try {
          codec.write(w, record[key]);
        } catch (error) {
          if (error instanceof CodecError && error.code === 'CODEC_INVALID_VALUE') {
            // `path` is the field names from the outermost struct in; `field` the innermost's.
            const inner = Array.isArray(error.details.path) ? (error.details.path as string[]) : [];
            throw new CodecError('CODEC_INVALID_VALUE', `${name}.${key}: ${error.message}`, {
              field: `${name}.${key}`,
              ...error.details,
              path: [key, ...inner],
            });
          }
          throw error;
        }
      }
    },
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [key, codec] of entries) {
        const value = codec.read(r);
        if (value !== undefined) out[key] = value;
      }
      return out as StructValue<F>;
    },
  };
}

export type UnionValue<V extends FieldCodecs> = { [K in keyof V]: { type: K; value: Infer<V[K]> } }[keyof V];

/** A tagged union: one byte naming the variant (its index in declaration order), then its value. */
export function union<V extends FieldCodecs>(name: string, variants: V): Codec<UnionValue<V>> {
  const entries = Object.entries(variants);
  if (entries.length === 0 || entries.length > 256) throw invalid(name, 'a union has 1 to 256 variants');
  const index = new Map(entries.map(([k], i) => [k, i]));
  let minSize = Number.POSITIVE_INFINITY;
  for (const [, codec] of entries) minSize = Math.min(minSize, codec.minSize);
  return {
    kind: name,
    minSize: 1 + minSize,
    write(w, v) {
      const tag = typeof v === 'object' && v !== null ? index.get(v.type as string) : undefined;
      if (tag === undefined) throw invalid(name, 'unknown variant', (v as { type?: unknown } | null)?.type);
      w.u8(tag);
      entries[tag]![1].write(w, v.value);
    },
    read(r) {
      const offset = r.offset;
      const tag = r.u8();
      const entry = entries[tag];
      if (!entry)
        throw new CodecError('CODEC_UNKNOWN_VARIANT', `${name}: unknown variant tag ${tag}`, { offset, tag });
      return { type: entry[0], value: entry[1].read(r) } as UnionValue<V>;
    },
  };
}

/** A string drawn from a fixed set, encoded as its index. */
export function literals<const L extends readonly string[]>(name: string, values: L): Codec<L[number]> {
  if (values.length === 0 || values.length > 256) throw invalid(name, 'a literal set has 1 to 256 members');
  if (new Set(values).size !== values.length) throw invalid(name, 'literal members must be distinct');
  const index = new Map(values.map((v, i) => [v, i]));
  return {
    kind: name,
    minSize: 1,
    write(w, v) {
      const tag = index.get(v);
      if (tag === undefined) throw invalid(name, 'not a member', v);
      w.u8(tag);
    },
    read(r) {
      const offset = r.offset;
      const tag = r.u8();
      const value = values[tag];
      if (value === undefined)
        throw new CodecError('CODEC_UNKNOWN_VARIANT', `${name}: unknown tag ${tag}`, { offset, tag });
      return value;
    },
  };
}

/**
 * A map, encoded as a count and then key/value pairs in strictly increasing order of the
 * key's encoding. Duplicate or unsorted keys in the input are refused.
 */
export function map<K, V>(key: Codec<K>, value: Codec<V>, options: LimitOptions = {}): Codec<Map<K, V>> {
  const max = Math.min(options.max ?? DEFAULT_MAX_ITEMS, MAX_LENGTH_PREFIX);
  const kind = `map<${key.kind},${value.kind}>`;
  if (key.minSize < 1) throw invalid(kind, 'map keys must occupy at least one byte');
  return {
    kind,
    minSize: 1,
    write(w, v) {
      if (!(v instanceof Map)) throw invalid(kind, 'expected Map');
      if (v.size > max) throw invalid(kind, `size ${v.size} exceeds limit ${max}`);
      const pairs = [...v].map(([k, x]) => {
        const kw = new Writer(32);
        key.write(kw, k);
        return { k: kw.finish(), x };
      });
      pairs.sort((a, b) => compareBytes(a.k, b.k));
      for (let i = 1; i < pairs.length; i++) {
        if (compareBytes(pairs[i - 1]!.k, pairs[i]!.k) === 0)
          throw invalid(kind, 'two keys share one encoding');
      }
      w.lengthPrefix(pairs.length);
      for (const { k, x } of pairs) {
        w.raw(k);
        value.write(w, x);
      }
    },
    read(r) {
      const n = checkedLength(r, kind, max, key.minSize + value.minSize);
      const out = new Map<K, V>();
      let previous: Uint8Array | undefined;
      for (let i = 0; i < n; i++) {
        const start = r.offset;
        const k = key.read(r);
        const encodedKey = r.bytes.subarray(start, r.offset);
        if (previous && compareBytes(previous, encodedKey) >= 0) {
          throw new CodecError('CODEC_UNSORTED_MAP', `${kind}: keys must be strictly increasing`, {
            offset: start,
          });
        }
        previous = encodedKey;
        out.set(k, value.read(r));
      }
      return out;
    },
  };
}

/** The canonical encoding of a value; `sizeHint` pre-sizes the buffer for large values. */
export function encode<T>(codec: Codec<T>, value: T, sizeHint = 256): Uint8Array {
  const w = new Writer(Math.max(16, sizeHint));
  codec.write(w, value);
  return w.finish();
}

/** Decodes exactly one value; any byte left over is an error. */
export function decode<T>(codec: Codec<T>, input: Uint8Array): T {
  if (!(input instanceof Uint8Array)) throw invalid(codec.kind, 'expected Uint8Array input');
  const r = new Reader(input);
  const value = codec.read(r);
  if (r.remaining !== 0) {
    throw new CodecError('CODEC_TRAILING_BYTES', `${codec.kind}: ${r.remaining} bytes after the value`, {
      offset: r.offset,
      trailing: r.remaining,
    });
  }
  return value;
}
