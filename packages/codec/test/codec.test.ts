import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bool,
  bytes,
  type Codec,
  CodecError,
  decode,
  encode,
  fixedBytes,
  type Infer,
  list,
  literals,
  map,
  optional,
  string,
  struct,
  u8,
  u16,
  u32,
  u64,
  union,
} from '../src/index.js';

const Transfer = struct('Transfer', {
  to: fixedBytes(21),
  amount: u64,
  memo: optional(string({ max: 256 })),
});

/** A schema that touches every combinator, so the properties below cover them all. */
const Sample = struct('Sample', {
  a: u8,
  b: u16,
  c: u32,
  d: u64,
  flag: bool,
  blob: bytes({ max: 1024 }),
  hash: fixedBytes(32),
  text: string({ max: 512 }),
  items: list(Transfer, { max: 16 }),
  maybe: optional(u32),
  attributes: map(string({ max: 32 }), bytes({ max: 64 }), { max: 16 }),
  action: union('Action', { transfer: Transfer, burn: u64, noop: struct('Noop', {}) }),
  suite: literals('Suite', ['ed25519', 'sm2', 'ml-dsa-44'] as const),
});
type Sample = Infer<typeof Sample>;

const arbTransfer = fc
  .record(
    {
      to: fc.uint8Array({ minLength: 21, maxLength: 21 }),
      amount: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      memo: fc.string({ unit: 'grapheme', maxLength: 40 }),
    },
    { requiredKeys: ['to', 'amount'] },
  )
  .map((v) => ({ ...v })); // fast-check builds null-prototype records; decode returns plain objects

const arbSample: fc.Arbitrary<Sample> = fc
  .record(
    {
      a: fc.integer({ min: 0, max: 255 }),
      b: fc.integer({ min: 0, max: 0xffff }),
      c: fc.integer({ min: 0, max: 0xffff_ffff }),
      d: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      flag: fc.boolean(),
      blob: fc.uint8Array({ maxLength: 300 }),
      hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      text: fc.string({ unit: 'grapheme', maxLength: 60 }),
      items: fc.array(arbTransfer, { maxLength: 5 }),
      maybe: fc.integer({ min: 0, max: 0xffff_ffff }),
      attributes: fc
        .uniqueArray(fc.tuple(fc.string({ maxLength: 10 }), fc.uint8Array({ maxLength: 20 })), {
          selector: ([k]) => k,
          maxLength: 6,
        })
        .map((pairs) => new Map(pairs)),
      action: fc.oneof(
        arbTransfer.map((value) => ({ type: 'transfer' as const, value })),
        fc.bigInt({ min: 0n, max: 1000n }).map((value) => ({ type: 'burn' as const, value })),
        fc.constant({ type: 'noop' as const, value: {} }),
      ),
      suite: fc.constantFrom('ed25519', 'sm2', 'ml-dsa-44'),
    },
    {
      requiredKeys: [
        'a',
        'b',
        'c',
        'd',
        'flag',
        'blob',
        'hash',
        'text',
        'items',
        'attributes',
        'action',
        'suite',
      ],
    },
  )
  .map((v) => ({ ...v }) as Sample);

function expectCodecError(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof CodecError, `expected CodecError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** Decodes or throws a CodecError; anything else fails the property. */
function tryDecode<T>(codec: Codec<T>, input: Uint8Array): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: decode(codec, input) };
  } catch (error) {
    if (error instanceof CodecError) return { ok: false };
    throw error;
  }
}

describe('canonical codec: properties', () => {
  it('decode(encode(x)) deep-equals x for random values', () => {
    fc.assert(
      fc.property(arbSample, (value) => {
        assert.deepEqual(decode(Sample, encode(Sample, value)), value);
      }),
      { numRuns: 500 },
    );
  });

  it('encode(decode(b)) == b for every byte string the decoder accepts (mutated encodings)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        arbSample,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        (value, mutations) => {
          const b = encode(Sample, value);
          for (const [at, byte] of mutations) if (b.length > 0) b[at % b.length] = byte;
          const result = tryDecode(Sample, b);
          if (result.ok) {
            accepted++;
            assert.deepEqual(encode(Sample, result.value), b);
          }
        },
      ),
      { numRuns: 1500 },
    );
    assert.ok(
      accepted > 100,
      `only ${accepted} mutated inputs were accepted; the property was barely exercised`,
    );
  });

  it('fuzz: random bytes either decode canonically or fail with a CodecError, for every codec', () => {
    const codecs: Codec<unknown>[] = [
      Sample,
      Transfer,
      list(u64),
      map(u32, bool),
      string(),
      bytes(),
      optional(list(bytes())),
      list(list(list(u8))),
      map(string(), optional(list(u16))),
      union('U', { a: struct('A', {}), b: list(bool) }),
    ] as Codec<unknown>[];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.nat({ max: codecs.length - 1 }), (input, which) => {
        const codec = codecs[which]!;
        const result = tryDecode(codec, input);
        if (result.ok) assert.deepEqual(encode(codec, result.value), input);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('canonical codec: refusals', () => {
  it('refuses trailing bytes', () => {
    expectCodecError(() => decode(u16, new Uint8Array([0, 1, 2])), 'CODEC_TRAILING_BYTES');
  });

  it('refuses truncated input', () => {
    expectCodecError(() => decode(u64, new Uint8Array(7)), 'CODEC_UNEXPECTED_END');
  });

  it('refuses non-minimal length prefixes', () => {
    expectCodecError(() => decode(bytes(), new Uint8Array([0x80, 0x00])), 'CODEC_NON_MINIMAL_LENGTH');
    expectCodecError(() => decode(bytes(), new Uint8Array([0x81, 0x00, 0x07])), 'CODEC_NON_MINIMAL_LENGTH');
    assert.deepEqual(decode(bytes(), new Uint8Array([0x01, 0x07])), new Uint8Array([7]));
  });

  it('refuses length prefixes above 2^32-1', () => {
    expectCodecError(
      () => decode(bytes(), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f])),
      'CODEC_LENGTH_OVERFLOW',
    );
    expectCodecError(
      () => decode(bytes(), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      'CODEC_LENGTH_OVERFLOW',
    );
  });

  it('refuses a huge declared count before allocating', () => {
    // 2^32-1 items declared, 1 byte of input: must fail fast, not allocate.
    expectCodecError(
      () => decode(list(u64, { max: 0xffff_ffff }), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0])),
      'CODEC_UNEXPECTED_END',
    );
    expectCodecError(
      () => decode(list(u8, { max: 2 }), new Uint8Array([3, 1, 2, 3])),
      'CODEC_LENGTH_EXCEEDS_LIMIT',
    );
  });

  it('refuses unsorted and duplicate map keys', () => {
    const m = map(u8, u8);
    assert.deepEqual(
      encode(
        m,
        new Map([
          [2, 0],
          [1, 0],
        ]),
      ),
      new Uint8Array([2, 1, 0, 2, 0]),
    );
    expectCodecError(() => decode(m, new Uint8Array([2, 2, 0, 1, 0])), 'CODEC_UNSORTED_MAP');
    expectCodecError(() => decode(m, new Uint8Array([2, 1, 0, 1, 5])), 'CODEC_UNSORTED_MAP');
  });

  it('refuses invalid bool, option tag, union tag and UTF-8', () => {
    expectCodecError(() => decode(bool, new Uint8Array([2])), 'CODEC_INVALID_BOOL');
    expectCodecError(() => decode(optional(u8), new Uint8Array([2, 0])), 'CODEC_INVALID_OPTION_TAG');
    expectCodecError(() => decode(union('U', { a: u8 }), new Uint8Array([1, 0])), 'CODEC_UNKNOWN_VARIANT');
    expectCodecError(() => decode(string(), new Uint8Array([2, 0xc0, 0x80])), 'CODEC_INVALID_UTF8'); // overlong NUL
    expectCodecError(() => decode(string(), new Uint8Array([3, 0xed, 0xa0, 0x80])), 'CODEC_INVALID_UTF8'); // surrogate
  });

  it('refuses unknown fields and out-of-range values on encode', () => {
    expectCodecError(
      () => encode(Transfer, { to: new Uint8Array(21), amount: 1n, extra: 1 } as never),
      'CODEC_INVALID_VALUE',
    );
    expectCodecError(() => encode(u8, 256), 'CODEC_INVALID_VALUE');
    expectCodecError(() => encode(u64, -1n), 'CODEC_INVALID_VALUE');
    expectCodecError(() => encode(string(), '\ud800'), 'CODEC_INVALID_VALUE');
    expectCodecError(() => encode(fixedBytes(4), new Uint8Array(3)), 'CODEC_INVALID_VALUE');
  });

  it('refuses schemas that would allow two encodings or unbounded output', () => {
    expectCodecError(() => list(struct('Empty', {})), 'CODEC_INVALID_VALUE');
    expectCodecError(() => optional(optional(u8)), 'CODEC_INVALID_VALUE');
    expectCodecError(() => literals('Dup', ['a', 'a']), 'CODEC_INVALID_VALUE');
  });

  it('a nested list bomb fails fast instead of allocating', () => {
    // Each level declares the maximum count; the input has a handful of bytes.
    const nested = list(list(list(u8)));
    expectCodecError(
      () => decode(nested, new Uint8Array([0xc0, 0x84, 0x3d, 0xc0, 0x84, 0x3d])),
      'CODEC_UNEXPECTED_END',
    );
  });

  it('names the failing field in encode errors', () => {
    assert.throws(
      () => encode(Transfer, { to: new Uint8Array(21), amount: 5 as unknown as bigint }),
      (e: unknown) => e instanceof CodecError && e.details.field === 'Transfer.amount',
    );
  });

  it('has a fixed, documented layout', () => {
    const value = { to: new Uint8Array(21).fill(0xaa), amount: 258n, memo: 'hi' };
    // to (21 bytes) | amount u64 | memo: present, length 2, "hi"
    const expected = ['aa'.repeat(21), '0000000000000102', '01', '02', '6869'].join('');
    assert.equal(Buffer.from(encode(Transfer, value)).toString('hex'), expected);
  });
});
