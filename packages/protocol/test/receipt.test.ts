import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeReceipt,
  encodeReceipt,
  encodeReceiptWithCodec,
  RECEIPT_LIMITS,
  type Receipt,
  truncateUtf8,
} from '../src/index.js';

const text = (maxLength: number) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength: Math.ceil(maxLength / 4) }));

const arbReceipt: fc.Arbitrary<Receipt> = fc.record(
  {
    txHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
    code: fc.oneof(fc.constant('OK'), text(RECEIPT_LIMITS.code)),
    message: fc.oneof(text(40), fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 1400 })),
    gasUsed: fc.nat(),
    events: fc.array(
      fc.record({
        module: text(RECEIPT_LIMITS.eventModule),
        type: text(RECEIPT_LIMITS.eventType),
        attributes: fc.dictionary(text(20), text(80), { maxKeys: 8 }),
      }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: ['txHash', 'code', 'gasUsed', 'events'] },
);

describe('receipt encoding', () => {
  it('the direct encoder writes exactly the codec’s bytes, and they decode back', () => {
    fc.assert(
      fc.property(arbReceipt, (r) => {
        let reference: Uint8Array | undefined;
        try {
          reference = encodeReceiptWithCodec(r);
        } catch {
          reference = undefined; // over a byte limit or a lone surrogate: both must refuse
        }
        if (reference === undefined) {
          assert.throws(() => encodeReceipt(r));
          return;
        }
        const fast = encodeReceipt(r);
        assert.deepEqual(Buffer.from(fast), Buffer.from(reference));
        const back = decodeReceipt(fast);
        assert.equal(back.txHash, r.txHash);
        assert.deepEqual(Buffer.from(encodeReceipt(back)), Buffer.from(fast));
        assert.equal(back.events.length, r.events.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("attribute key sets that join alike are told apart (the writer caches each set's order)", () => {
    const receipt = (attributes: Record<string, string>[]): Receipt => ({
      txHash: '00'.repeat(32),
      code: 'OK',
      gasUsed: 1,
      events: attributes.map((a) => ({ module: 'm', type: 't', attributes: a })),
    });
    for (const events of [
      [{ '': 'x' }, {}],
      [{ 'a\u0000b': '1' }, { a: '2', b: '3' }],
      [{ a: '1' }, { a: '1', '': '' }],
    ]) {
      const r = receipt(events);
      assert.deepEqual(Buffer.from(encodeReceipt(r)), Buffer.from(encodeReceiptWithCodec(r)));
      const single = receipt(events.slice(1));
      assert.deepEqual(Buffer.from(encodeReceipt(single)), Buffer.from(encodeReceiptWithCodec(single)));
    }
  });

  it('long messages are cut at a character boundary within the byte limit', () => {
    const message = '海关'.repeat(400); // 2,400 bytes
    const cut = truncateUtf8(message, RECEIPT_LIMITS.message);
    assert.ok(Buffer.byteLength(cut) <= RECEIPT_LIMITS.message);
    assert.ok(message.startsWith(cut));
    const r: Receipt = { txHash: '00'.repeat(32), code: 'X', message, gasUsed: 1, events: [] };
    assert.equal(decodeReceipt(encodeReceipt(r)).message, cut);
  });
});
