import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import {
  ABOUT_TOLERANCE,
  formatSwiftAmount,
  maxDrawable,
  parseSwiftAmount,
  toleranceBounds,
} from '../src/amounts.js';
import { mt700Banks } from '../src/mt700-blocks.js';
import { formatMt700 } from '../src/mt700-format.js';
import { parseMt700 } from '../src/mt700-parse.js';
import { documentItems } from '../src/mt700-text.js';
import type { Mt700Terms } from '../src/mt700-types.js';
import {
  SAMPLE,
  SAMPLE_HEADERS,
  SAMPLE_LINES,
  SAMPLE_TERMS,
  withLine,
  withoutField,
} from './mt700-sample.js';

function refused(field: string, reason?: string | RegExp) {
  return (error: unknown) => {
    assert.ok(isPujiangError(error, 'LC_MT700_INVALID'), `expected LC_MT700_INVALID, got ${String(error)}`);
    const details = (error as unknown as { details: { field: string; reason: string } }).details;
    assert.equal(details.field, field, `field of: ${details.reason}`);
    if (typeof reason === 'string') assert.ok(details.reason.includes(reason), details.reason);
    else if (reason !== undefined) assert.match(details.reason, reason);
    return true;
  };
}

describe('MT700: the sample credit', () => {
  it('reads its terms and headers', () => {
    const { terms, headers } = parseMt700(SAMPLE);
    assert.deepEqual(terms, SAMPLE_TERMS);
    assert.deepEqual(headers, SAMPLE_HEADERS);
    assert.deepEqual(mt700Banks(headers), { sender: 'PJIBCNSHXXX', receiver: 'PJABDEHHXXX' });
  });

  it('writes the same text back, and reads LF line ends as CRLF', () => {
    assert.equal(formatMt700(SAMPLE_TERMS, SAMPLE_HEADERS), SAMPLE);
    const lf = parseMt700(`\n${SAMPLE.replaceAll('\r\n', '\n')}\n`);
    assert.equal(formatMt700(lf.terms, lf.headers), SAMPLE);
  });

  it('writes a canonical form of what it reads', () => {
    const loose = withLine(':39A:', ':39A:05/05').replace(':32B:EUR1250000,00', ':32B:EUR001250000,');
    const { terms, headers } = parseMt700(loose);
    assert.equal(terms.amount, 125_000_000n);
    assert.deepEqual(terms.tolerance, { plus: 5, minus: 5 });
    assert.equal(formatMt700(terms, headers), SAMPLE);
  });

  it('groups the documents required into items', () => {
    assert.deepEqual(documentItems(SAMPLE_TERMS.documentsRequired ?? []), [
      'SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS',
      'FULL SET CLEAN ON BOARD BILLS OF LADING MADE OUT TO ORDER OF ISSUING BANK MARKED FREIGHT PREPAID NOTIFY APPLICANT',
      'PACKING LIST IN 2 COPIES',
      'INSURANCE POLICY FOR 110% OF INVOICE VALUE COVERING INSTITUTE CARGO CLAUSES (A)',
      'CERTIFICATE OF ORIGIN ISSUED BY THE CHAMBER OF COMMERCE',
    ]);
    assert.deepEqual(documentItems(['1) INVOICE', 'IN 3 COPIES', '2. PACKING LIST']), [
      'INVOICE IN 3 COPIES',
      'PACKING LIST',
    ]);
  });

  it('reads the output form of the application header', () => {
    const output = SAMPLE.replace(
      '{2:I700PJABDEHHXXXXN}',
      '{2:O7001015260310PJIBCNSHAXXX00011234562603101016N}',
    ).replace('{1:F01PJIBCNSHAXXX0001000123}', '{1:F01PJABDEHHAXXX0002000456}');
    const { headers } = parseMt700(output);
    assert.deepEqual(headers.application, {
      direction: 'output',
      inputTime: '1015',
      inputDate: '260310',
      senderLogicalTerminal: 'PJIBCNSHAXXX',
      senderSession: '0001',
      senderSequence: '123456',
      outputDate: '260310',
      outputTime: '1016',
      priority: 'N',
    });
    assert.deepEqual(mt700Banks(headers), { sender: 'PJIBCNSHXXX', receiver: 'PJABDEHHXXX' });
    assert.equal(formatMt700(SAMPLE_TERMS, headers), output);
  });
});

describe('MT700: refusals', () => {
  it('refuses each missing mandatory field by its tag', () => {
    const mandatory: [string, string][] = [
      ['27', '27'],
      ['40A', '40A'],
      ['20', '20'],
      ['31C', '31C'],
      ['40E', '40E'],
      ['31D', '31D'],
      ['50', '50'],
      ['59', '59'],
      ['32B', '32B'],
      ['41D', '41a'],
      ['49', '49'],
    ];
    for (const [written, field] of mandatory) {
      assert.throws(() => parseMt700(withoutField(written)), refused(field, 'mandatory field missing'));
    }
    // Optional fields may go (58a with 49 WITHOUT).
    const noConfirmation = withLine(':49:', ':49:WITHOUT').replace(':58A:PJABDEHHXXX\r\n', '');
    assert.equal(parseMt700(noConfirmation).terms.confirmation, 'WITHOUT');
  });

  it('refuses formats, codes and the standard rules, naming field and rule', () => {
    const cases: [string, string, string | RegExp][] = [
      [withLine(':31C:', ':31C:260230'), '31C', 'not a valid date'],
      [withLine(':31C:', ':31C:2026-03-10'), '31C', /longer than 6|YYMMDD/],
      [withLine(':31D:', ':31D:260630'), '31D', 'place of expiry missing'],
      [withLine(':32B:', ':32B:EUR1250000,001'), '32B', 'EUR has 2 decimals'],
      [withLine(':32B:', ':32B:JPY1250000,5'), '32B', 'JPY has 0 decimals'],
      [withLine(':32B:', ':32B:EUR1250000'), '32B', 'decimal comma'],
      [withLine(':32B:', ':32B:XYZ100,'), '32B', 'unknown currency'],
      [withLine(':32B:', ':32B:EUR0,00'), '32B', 'zero'],
      [withLine(':32B:', ':32B:EUR123456789012345,'), '32B', /longer|15 characters/],
      [withLine(':40A:', ':40A:REVOCABLE'), '40A', 'must be one of'],
      [withLine(':40E:', ':40E:UCP LATEST VERSION/SEE 47A'), '40E', 'only with OTHR'],
      [withLine(':40E:', ':40E:UCP 600'), '40E', 'must be one of'],
      [withLine(':39A:', ':39A:5.5/5'), '39A', '2n/2n'],
      [withLine(':39A:', ':39A:100/5'), '39A', '2n/2n'],
      [withLine(':43P:', ':43P:PROHIBITED'), '43P', 'must be one of'],
      [withLine(':49:', ':49:MAYBE'), '49', 'must be one of'],
      [SAMPLE.replace('BY NEGOTIATION', 'BY SIGHT'), '41D', 'code must be one of'],
      [SAMPLE.replace(':41D:ANY BANK IN GERMANY', ':41A:NOTABIC'), '41A', 'BIC'],
      [SAMPLE.replace(':41D:ANY BANK IN GERMANY', ':41A:PJABDEHH\r\nXXX'), '41A', 'option A'],
      [withLine(':42A:', ':42A:/D/12345'), '42A', 'option A'],
      [withLine(':48:', ':48:TWENTY ONE DAYS'), '48', '3n[/35x]'],
      [withLine(':20:', ':20:LC//123'), '20', '"//"'],
      [withLine(':20:', ':20:LC2026SH0001234567'), '20', 'longer than 16'],
      [withLine(':27:', ':27:1/2'), '27', 'MT701'],
      [withLine(':27:', ':27:2/2'), '27', 'number must be 1'],
      [withLine(':50:', ':50:SHANGHAI PUJIANG TRADING CO LTD @ PUDONG'), '50', /longer than 35|X set/],
      [withLine(':50:', ':50:SHANGHAI PUJIANG #1'), '50', 'X set'],
      [withLine(':50:', ':50:A', 'B', 'C', 'D', 'E'), '50', 'more than 4 lines'],
      [
        withLine(':45A:', ':45A:+2 SETS @ EUR 625000', '-SPARE PARTS'),
        '45A',
        'must not start with ":" or "-"',
      ],
      [withLine(':59:', ':59://DE89', 'NAME'), '59', 'account'],
      [withLine(':44E:', `:44E:${'P'.repeat(141)}`), '44E', /140/],
    ];
    for (const [message, field, reason] of cases)
      assert.throws(() => parseMt700(message), refused(field, reason));
  });

  it('refuses the network validated rules C1 to C3 and the confirmation and payment usage rules', () => {
    assert.throws(() => parseMt700(withoutField('42A')), refused('42a', 'C1'));
    assert.throws(() => parseMt700(withoutField('42C')), refused('42C', 'C1'));
    const c2 = withLine(':43P:', ':42P:AT 90 DAYS AFTER SHIPMENT', ':43P:NOT ALLOWED');
    assert.throws(() => parseMt700(c2), refused('42P', 'C2'));
    const c3 = withLine(':45A:', ':44D:JUNE 2026', SAMPLE_LINES.find((l) => l.startsWith(':45A:'))!);
    assert.throws(() => parseMt700(c3), refused('44D', 'C3'));
    assert.throws(() => parseMt700(withoutField('58A')), refused('58a', 'CONFIRM or MAY ADD'));
    const deferred = SAMPLE.replace('BY NEGOTIATION', 'BY DEF PAYMENT');
    assert.throws(() => parseMt700(deferred), refused('42P', 'BY DEF PAYMENT'));
  });

  it('refuses order, repetition, unknown tags and broken blocks', () => {
    const swapped = SAMPLE.replace(
      ':40A:IRREVOCABLE\r\n:20:LC2026SH000123',
      ':20:LC2026SH000123\r\n:40A:IRREVOCABLE',
    );
    assert.throws(() => parseMt700(swapped), refused('40A', 'out of order'));
    assert.throws(
      () => parseMt700(withLine(':43T:', ':43T:ALLOWED', ':43T:ALLOWED')),
      refused('43T', 'more than once'),
    );
    assert.throws(() => parseMt700(withLine(':43T:', ':43S:ALLOWED')), refused('43S', 'not a field'));
    const first50 = SAMPLE_LINES.find((l) => l.startsWith(':50:'))!;
    assert.throws(() => parseMt700(withLine(':50:', ':51B:X', first50)), refused('51B', 'not a field'));
    assert.throws(() => parseMt700(SAMPLE.replace('I700', 'I701')), refused('block2', 'not 700'));
    assert.throws(() => parseMt700(SAMPLE.replace('\r\n-}', '\r\n}')), refused('block4', '-}'));
    assert.throws(() => parseMt700(SAMPLE.replace('{1:F01', '{1:X01')), refused('block1'));
    assert.throws(() => parseMt700(SAMPLE.replace('{3:{108:', '{3:{ABC:')), refused('block3'));
    assert.throws(() => parseMt700(`${SAMPLE}x`), refused('message', 'text after'));
    assert.throws(
      () => parseMt700(SAMPLE.replace('\r\n:20:', '\r:20:')),
      refused('message', 'carriage return'),
    );
    assert.throws(() => parseMt700(42 as unknown as string), refused('message'));
    assert.throws(() => parseMt700('x'.repeat(70_000)), refused('message', 'longer than'));
  });

  it('refuses terms that would not read back, naming the field', () => {
    const bad = (patch: Record<string, unknown>, field: string, reason?: string) =>
      assert.throws(
        () => formatMt700({ ...SAMPLE_TERMS, ...patch } as unknown as Mt700Terms, SAMPLE_HEADERS),
        refused(field, reason),
      );
    bad({ amount: -5n }, '32B', 'positive');
    bad({ amount: 5 }, '32B', 'positive');
    bad({ currency: 'ABC' }, '32B', 'unknown currency');
    bad({ issueDate: '1999-12-31' }, '31C', '2000..2099');
    bad({ tolerance: { plus: 5, minus: 5, about: true } }, '39A', 'canonical');
    bad({ applicant: 'ONE LINE' }, '50', 'list of lines');
    bad({ drawee: { option: 'C', bic: 'PJIBCNSHXXX' } }, '42a', 'A, B or D');
    // Read back, a first line starting with "/" is a party identifier: the name is then missing.
    bad({ drawee: { option: 'D', nameAddress: ['/NOT A NAME'] } }, '42D', 'no content');
    bad(
      { drawee: { option: 'D', partyIdentifier: '/D/1', nameAddress: ['/NOT A NAME'] } },
      '42D',
      'must not start',
    );
    bad({ rulesNarrative: 'ICC RULES' }, '40E', 'only with OTHR');
    bad({ presentationPeriodNarrative: undefined, presentationPeriodDays: 1000 }, '48', '3n');
    bad({ nickname: 'X' }, 'nickname (not a term of MT700)', 'canonical');
    assert.throws(() => formatMt700(null as unknown as Mt700Terms, SAMPLE_HEADERS), refused('message'));
    assert.throws(
      () =>
        formatMt700(SAMPLE_TERMS, { ...SAMPLE_HEADERS, basic: { ...SAMPLE_HEADERS.basic, session: '1' } }),
      refused('block1'),
    );
  });
});

describe('amounts (UCP 600 Art. 30)', () => {
  it('reads and writes SWIFT amounts in minor units', () => {
    assert.equal(parseSwiftAmount('1000000,5', 'USD'), 100_000_050n);
    assert.equal(parseSwiftAmount('1000000,', 'JPY'), 1_000_000n);
    assert.equal(parseSwiftAmount('12,345', 'KWD'), 12_345n);
    assert.equal(formatSwiftAmount(100_000_050n, 'USD'), '1000000,50');
    assert.equal(formatSwiftAmount(1_000_000n, 'KRW'), '1000000,');
    assert.equal(formatSwiftAmount(5n, 'CNY'), '0,05');
    assert.throws(
      () => parseSwiftAmount('1,5', 'JPY'),
      (e) => isPujiangError(e, 'LC_BAD_AMOUNT'),
    );
    assert.throws(
      () => parseSwiftAmount('1.5', 'USD'),
      (e) => isPujiangError(e, 'LC_BAD_AMOUNT'),
    );
    assert.throws(
      () => formatSwiftAmount(1n, 'toString'),
      (e) => isPujiangError(e, 'LC_BAD_AMOUNT'),
    );
  });

  it('adds the 39A tolerance, rounding down to the minor unit', () => {
    assert.equal(maxDrawable(SAMPLE_TERMS), 131_250_000n); // EUR 1,312,500.00
    assert.equal(maxDrawable({ amount: 125_000_000n }), 125_000_000n);
    assert.equal(maxDrawable({ amount: 999n, tolerance: { plus: 10, minus: 10 } }), 1098n); // 1098.9 down
    assert.deepEqual(toleranceBounds(999n, ABOUT_TOLERANCE), { min: 900n, max: 1098n }); // 899.1 up
    assert.deepEqual(toleranceBounds(1_000_001n, { plus: 0, minus: 3 }), { min: 970_001n, max: 1_000_001n });
    assert.throws(() => maxDrawable({ amount: 1n, tolerance: { plus: 100, minus: 0 } }));
  });
});
