import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import {
  formatIso20022,
  ISO20022_MAX_BYTES,
  parseIso20022,
  parsePacs008,
  parsePacs009,
} from '../src/index.js';

/**
 * Bad input never crashes the reader: mutated sample messages, random text and bytes,
 * hostile XML (deep nesting, entity expansion, prototype-named elements) either parse, and
 * then write and read back to the same model, or are refused with SETTLE_ISO20022_INVALID
 * naming a path under Document. A seeded generator keeps runs reproducible.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const SAMPLES = [fixture('pacs008-cny-icbc-boc-hk.xml'), fixture('pacs009-cny-boc-ccb.xml')];

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const PIECES = [
  '<',
  '>',
  '/',
  '&',
  ';',
  '"',
  "'",
  '=',
  ' ',
  '\n',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&#0;',
  '&#x10FFFF;',
  'xmlns="urn:x"',
  '<Ustrd>',
  '</Ustrd>',
  '<?x?>',
  '中',
  '\uD83D\uDE00',
  '0',
  '.',
  '-',
  '/',
  'Z',
  '\u0000',
];

/** One random edit: delete, insert, replace a span, duplicate or drop a line, swap two lines. */
function mutate(r: Rng, text: string): string {
  const at = r.int(0, text.length);
  const span = r.int(1, 12);
  switch (r.int(0, 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span);
    case 1:
      return text.slice(0, at) + r.pick(PIECES) + text.slice(at);
    case 2:
      return text.slice(0, at) + r.pick(PIECES) + text.slice(at + span);
    case 3: {
      const lines = text.split('\n');
      const i = r.int(0, lines.length - 1);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 4: {
      const lines = text.split('\n');
      lines.splice(r.int(0, lines.length - 1), 1);
      return lines.join('\n');
    }
    default: {
      const lines = text.split('\n');
      const [i, j] = [r.int(0, lines.length - 1), r.int(0, lines.length - 1)];
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
  }
}

/** Parses, or checks the refusal is ours; a parsed message must survive a round trip. */
function parseOrRefuse(input: unknown, label: string): 'parsed' | 'refused' {
  let model: ReturnType<typeof parseIso20022>;
  try {
    model = parseIso20022(input as string);
  } catch (error) {
    assert.ok(isPujiangError(error, 'SETTLE_ISO20022_INVALID'), `${label}: ${String(error)}`);
    assert.match(String(error.details.path), /^Document/, label);
    assert.equal(typeof error.details.rule, 'string', label);
    return 'refused';
  }
  assert.deepEqual(parseIso20022(formatIso20022(model)), model, label);
  return 'parsed';
}

describe('ISO 20022 reader under hostile input', () => {
  it('mutated sample messages parse and round-trip, or are refused with a path', () => {
    const seed = Date.now() % 100_000;
    const r = rng(seed);
    const seen = { parsed: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      let text = r.pick(SAMPLES);
      for (let k = r.int(1, 3); k > 0; k--) text = mutate(r, text);
      seen[parseOrRefuse(text, `seed ${seed}, case ${i}`)]++;
    }
    // Both outcomes must occur, or the mutations test nothing.
    assert.ok(seen.parsed > 50 && seen.refused > 1000, JSON.stringify(seen));
  });

  it('random text and random bytes are refused', () => {
    const r = rng(4242);
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: r.int(0, 200) }, () => String.fromCharCode(r.int(0, 0xffff))).join(
        '',
      );
      assert.equal(parseOrRefuse(text, `text ${i}`), 'refused');
      const bytes = Uint8Array.from({ length: r.int(0, 200) }, () => r.int(0, 255));
      assert.equal(parseOrRefuse(bytes, `bytes ${i}`), 'refused');
    }
  });

  it('refuses deep nesting, billion laughs, oversized input and prototype-named elements', () => {
    const open = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">';
    const deep = `${open}${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Document>`;
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      `<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${open}<FIToFICstmrCdtTrf>&c;</FIToFICstmrCdtTrf></Document>`;
    const huge = `${open}${'<!-- padding -->'.repeat(ISO20022_MAX_BYTES / 8)}</Document>`;
    const proto = `${open}<__proto__><constructor/></__proto__></Document>`;
    const wide = `${open}<FIToFICstmrCdtTrf>${'<GrpHdr/>'.repeat(5000)}</FIToFICstmrCdtTrf></Document>`;
    for (const [label, text] of Object.entries({ deep, laughs, huge, proto, wide }))
      assert.equal(parseOrRefuse(text, label), 'refused', label);
    assert.equal(({} as Record<string, unknown>).constructor, Object);
    for (const junk of [undefined, null, 0, {}, [], new ArrayBuffer(4), Symbol('x')])
      for (const parse of [parseIso20022, parsePacs008, parsePacs009])
        assert.throws(
          () => parse(junk as never),
          (e: unknown) => isPujiangError(e, 'SETTLE_ISO20022_INVALID'),
        );
  });
});
