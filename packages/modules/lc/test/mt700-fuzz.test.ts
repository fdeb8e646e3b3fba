import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import { CURRENCY_DECIMALS } from '../src/amounts.js';
import { formatMt700 } from '../src/mt700-format.js';
import { parseMt700 } from '../src/mt700-parse.js';
import {
  MT700_AVAILABLE_BY,
  MT700_CONFIRMATION,
  MT700_FORMS,
  MT700_RULES,
  MT700_SHIPMENT_CODES,
  type Mt700Headers,
  type Mt700Party,
  type Mt700Terms,
} from '../src/mt700-types.js';
import { SAMPLE } from './mt700-sample.js';

/**
 * Random valid terms must survive format then parse unchanged; random and mutated texts must
 * either parse (and then format to a text that parses to the same terms) or be refused with
 * LC_MT700_INVALID from a named rule, never another exception. A seeded generator keeps runs
 * reproducible: a failure prints its seed.
 */

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
  const maybe = () => next() < 0.5;
  return { next, int, pick, maybe };
}
type Rng = ReturnType<typeof rng>;

const X = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-?:().,'+ ";
const Z = `${X}=!"%&*<>;{@#_`;

/** A line: `min`..`max` characters of the set, not starting with ":" or "-" (nor `/` if asked). */
function line(r: Rng, max: number, set = X, min = 1, noSlash = false): string {
  const n = r.int(min, max);
  let out = '';
  for (let i = 0; i < n; i++) {
    let c = r.pick([...set]);
    while (i === 0 && (c === ':' || c === '-' || (noSlash && c === '/'))) c = r.pick([...set]);
    out += c;
  }
  return out;
}
const lines = (r: Rng, maxLines: number, max: number, set = X) =>
  Array.from({ length: r.int(1, maxLines) }, () => line(r, max, set));
const letters = (r: Rng, n: number, set = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') =>
  Array.from({ length: n }, () => r.pick([...set])).join('');
const bic = (r: Rng) =>
  letters(r, 6) + letters(r, 2, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') + (r.maybe() ? 'XXX' : '');
const date = (r: Rng) => {
  const [y, m] = [r.int(2000, 2099), r.int(1, 12)];
  const d = r.int(1, m === 2 ? (y % 4 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};
const identifier = (r: Rng) => `/${r.maybe() ? `${letters(r, 1)}/` : ''}${line(r, 34, X, 1, true)}`;
const lt = (r: Rng) => `${letters(r, 6)}${letters(r, 2, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}AXXX`;
const digits = (r: Rng, n: number) => letters(r, n, '0123456789');

function party(r: Rng, options: readonly ('A' | 'B' | 'D')[]): Mt700Party {
  const id = r.maybe() ? { partyIdentifier: identifier(r) } : {};
  const option = r.pick(options);
  if (option === 'A') return { option, ...id, bic: bic(r) };
  if (option === 'B') {
    const location = r.maybe() || !('partyIdentifier' in id) ? { location: line(r, 35, X, 1, true) } : {};
    return { option, ...id, ...location };
  }
  const first = line(r, 35, X, 1, true);
  return { option, ...id, nameAddress: [first, ...lines(r, 4, 35)].slice(0, 4) };
}

function randomTerms(r: Rng): Mt700Terms {
  const rules = r.pick(MT700_RULES);
  const currency = r.pick(Object.keys(CURRENCY_DECIMALS));
  const by = r.pick(MT700_AVAILABLE_BY);
  const payment =
    by === 'BY MIXED PYMT'
      ? 'mixed'
      : by === 'BY DEF PAYMENT'
        ? 'deferred'
        : r.pick(['none', 'drafts', 'deferred']);
  const confirmation = r.pick(MT700_CONFIRMATION);
  const shipping = r.pick(['none', 'latest', 'period']);
  const opt = <T>(make: () => T): T | undefined => (r.maybe() ? make() : undefined);
  const place = () => (r.maybe() ? line(r, 140, Z) : `${line(r, 60, Z)}\n${line(r, 60, Z)}`);
  const t: Record<string, unknown> = {
    form: r.pick(MT700_FORMS),
    creditNumber: line(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    preAdviceReference: opt(() => line(r, 16)),
    issueDate: date(r),
    rules,
    rulesNarrative: rules === 'OTHR' ? opt(() => line(r, 35)) : undefined,
    expiryDate: date(r),
    expiryPlace: line(r, 29),
    applicantBank: opt(() => party(r, ['A', 'D'])),
    applicant: lines(r, 4, 35),
    beneficiaryAccount: opt(() => line(r, 34, X, 1, true)),
    beneficiary: [line(r, 35, X, 1, true), ...lines(r, 3, 35)],
    currency,
    amount: BigInt(r.int(1, 2 ** 31)) * BigInt(r.int(1, 40_000)),
    tolerance: opt(() => ({ plus: r.int(0, 99), minus: r.int(0, 99) })),
    additionalAmounts: opt(() => lines(r, 4, 35)),
    availableWith: r.maybe()
      ? { option: 'A', bic: bic(r), by }
      : { option: 'D', nameAddress: lines(r, 4, 35), by },
    draftsAt: payment === 'drafts' ? lines(r, 3, 35) : undefined,
    drawee: payment === 'drafts' ? party(r, ['A', 'D']) : undefined,
    mixedPaymentDetails: payment === 'mixed' ? lines(r, 4, 35) : undefined,
    negotiationDeferredPaymentDetails: payment === 'deferred' ? lines(r, 4, 35) : undefined,
    partialShipments: opt(() => r.pick(MT700_SHIPMENT_CODES)),
    transhipment: opt(() => r.pick(MT700_SHIPMENT_CODES)),
    placeOfReceipt: opt(place),
    portOfLoading: opt(place),
    portOfDischarge: opt(place),
    placeOfDelivery: opt(place),
    latestShipmentDate: shipping === 'latest' ? date(r) : undefined,
    shipmentPeriod: shipping === 'period' ? lines(r, 6, 65) : undefined,
    goods: opt(() => lines(r, 8, 65, Z)),
    documentsRequired: opt(() => lines(r, 8, 65, Z)),
    additionalConditions: opt(() => lines(r, 8, 65, Z)),
    specialPaymentConditionsBeneficiary: opt(() => lines(r, 4, 65, Z)),
    specialPaymentConditionsReceivingBank: opt(() => lines(r, 4, 65, Z)),
    charges: opt(() => lines(r, 6, 35, Z)),
    presentationPeriodDays: undefined,
    confirmation,
    requestedConfirmationParty:
      confirmation === 'WITHOUT' ? opt(() => party(r, ['A', 'D'])) : party(r, ['A', 'D']),
    reimbursingBank: opt(() => party(r, ['A', 'D'])),
    instructionsToBank: opt(() => lines(r, 12, 65)),
    adviseThroughBank: opt(() => party(r, ['A', 'B', 'D'])),
    senderToReceiverInformation: opt(() => lines(r, 6, 35, Z)),
  };
  if (r.maybe()) {
    t.presentationPeriodDays = r.int(0, 999);
    if (r.maybe()) t.presentationPeriodNarrative = line(r, 35);
  }
  // Amounts fit 15d: at most 14 digits in all.
  t.amount = (t.amount as bigint) % 10n ** 14n || 1n;
  for (const k of Object.keys(t)) if (t[k] === undefined) delete t[k];
  return t as unknown as Mt700Terms;
}

function randomHeaders(r: Rng): Mt700Headers {
  const application: Mt700Headers['application'] = r.maybe()
    ? {
        direction: 'input',
        receiver: lt(r),
        ...(r.maybe() ? { priority: r.pick(['S', 'N', 'U'] as const) } : {}),
      }
    : {
        direction: 'output',
        inputTime: '0930',
        inputDate: '260310',
        senderLogicalTerminal: lt(r),
        senderSession: digits(r, 4),
        senderSequence: digits(r, 6),
        outputDate: '260311',
        outputTime: '2359',
      };
  return {
    basic: {
      applicationId: 'F',
      serviceId: '01',
      logicalTerminal: lt(r),
      session: digits(r, 4),
      sequence: digits(r, 6),
    },
    application,
    ...(r.maybe() ? { user: [{ tag: '108', value: line(r, 16, 'ABCDEFGHIJ0123456789') }] } : {}),
    ...(r.maybe() ? { trailer: [{ tag: 'CHK', value: letters(r, 12, '0123456789ABCDEF') }] } : {}),
  };
}

function parsedOrRefused(text: string, seed: number): void {
  let message: ReturnType<typeof parseMt700>;
  try {
    message = parseMt700(text);
  } catch (error) {
    assert.ok(isPujiangError(error, 'LC_MT700_INVALID'), `seed ${seed}: ${String(error)}`);
    const reason = String((error as unknown as { details: { reason: unknown } }).details.reason);
    assert.ok(!reason.startsWith('unreadable'), `seed ${seed}: an unexpected exception: ${reason}`);
    return;
  }
  const again = parseMt700(formatMt700(message.terms, message.headers));
  assert.deepEqual(again, message, `seed ${seed}`);
}

describe('MT700 properties', () => {
  it('reads back random valid terms unchanged, and formats them canonically', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const terms = randomTerms(r);
      const headers = randomHeaders(r);
      const text = formatMt700(terms, headers);
      const back = parseMt700(text);
      assert.deepEqual(back, { headers, terms }, `seed ${seed}`);
      assert.equal(formatMt700(back.terms, back.headers), text, `seed ${seed}`);
    }
  });

  it('refuses random text with typed errors only', () => {
    const r = rng(7);
    const alphabet = `${Z}{}\r\n\t\u00e9\u4e2d`;
    for (let seed = 0; seed < 1500; seed++) {
      const n = r.int(0, 300);
      let text = '';
      for (let i = 0; i < n; i++) text += r.pick([...alphabet]);
      if (r.maybe()) text = `{1:F01PJIBCNSHAXXX0001000123}{2:I700PJABDEHHXXXXN}{4:\r\n${text}\r\n-}`;
      parsedOrRefused(text, seed);
    }
  });

  it('refuses mutated messages with typed errors only', () => {
    const r = rng(11);
    const pieces = [
      ':',
      '-',
      '}',
      '{',
      '\r\n',
      '/',
      ',',
      '0',
      '9',
      'A',
      ' ',
      ':20:',
      ':41A:',
      '@',
      'BY PAYMENT',
    ];
    for (let seed = 0; seed < 3000; seed++) {
      let text = SAMPLE;
      for (let k = r.int(1, 4); k > 0; k--) {
        const at = r.int(0, text.length);
        const op = r.int(0, 2);
        if (op === 0) text = text.slice(0, at) + text.slice(at + r.int(1, 12));
        else if (op === 1) text = text.slice(0, at) + r.pick(pieces) + text.slice(at);
        else text = text.slice(0, at) + r.pick([...X]) + text.slice(at + 1);
      }
      parsedOrRefused(text, seed);
    }
  });
});
