import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import fc from 'fast-check';
import { decodeWire, encodeWire, MAX_TX_HASHES, type WireMessage } from '../src/index.js';

const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const blob = (max: number) => fc.uint8Array({ maxLength: max });

/** Every kind of peer message, with field values across their ranges. */
const arbWire: fc.Arbitrary<WireMessage> = fc.oneof(
  fc.record({
    type: fc.constant('proposal' as const),
    value: fc.record({
      height: u64,
      round: u32,
      value: hash,
      validRoundPlusOne: u32,
      proposer: u32,
      signature: blob(200),
    }),
  }),
  fc.record({
    type: fc.constant('vote' as const),
    value: fc.record({
      type: fc.constantFrom('prevote' as const, 'precommit' as const),
      height: u64,
      round: u32,
      value: fc.oneof(
        fc.constant({ type: 'nil' as const, value: {} }),
        hash.map((h) => ({ type: 'value' as const, value: h })),
      ),
      validator: u32,
      signature: blob(200),
    }),
  }),
  fc.record({ type: fc.constant('block' as const), value: blob(500) }),
  fc.record({ type: fc.constant('status' as const), value: fc.record({ height: u64 }) }),
  fc.record({ type: fc.constant('blockRequest' as const), value: fc.record({ from: u64, count: u32 }) }),
  fc.record({
    type: fc.constant('decidedBlock' as const),
    value: fc.record({ block: blob(300), certificate: blob(300) }),
  }),
  fc.record({ type: fc.constant('txAnnounce' as const), value: fc.array(hash, { maxLength: 50 }) }),
  fc.record({ type: fc.constant('txRequest' as const), value: fc.array(hash, { maxLength: 50 }) }),
  fc.record({ type: fc.constant('txs' as const), value: fc.array(blob(300), { maxLength: 20 }) }),
);

describe('peer wire messages', () => {
  it('round-trip every kind, and the encoding is canonical (decode then encode gives the same bytes)', () => {
    fc.assert(
      fc.property(arbWire, (m) => {
        const bytes = encodeWire(m);
        const back = decodeWire(bytes);
        assert.deepEqual(back, structuredClone(m)); // fast-check records have no prototype
        assert.deepEqual(encodeWire(back), bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('random and mutated bytes decode to a message or fail with WIRE_UNDECODABLE, never anything else', () => {
    const check = (bytes: Uint8Array) => {
      try {
        const m = decodeWire(bytes);
        assert.deepEqual(encodeWire(m), bytes, 'whatever decodes re-encodes to the same bytes');
      } catch (error) {
        assert.ok(isPujiangError(error) && error.code === 'WIRE_UNDECODABLE', String(error));
      }
    };
    fc.assert(fc.property(blob(400), check), { numRuns: 3000 });
    fc.assert(
      fc.property(arbWire, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, byte) => {
        const bytes = encodeWire(m);
        if (bytes.length === 0) return;
        const mutated = Uint8Array.from(bytes);
        mutated[at % bytes.length] = byte;
        check(mutated);
        check(bytes.subarray(0, at % bytes.length));
      }),
      { numRuns: 3000 },
    );
  });

  it('bounds gossip batches: more hashes than MAX_TX_HASHES do not encode or decode', () => {
    const many = Array.from({ length: MAX_TX_HASHES + 1 }, () => new Uint8Array(32));
    assert.throws(() => encodeWire({ type: 'txAnnounce', value: many }));
  });
});
