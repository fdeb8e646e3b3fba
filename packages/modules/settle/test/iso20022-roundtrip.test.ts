import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import {
  type Account,
  type Amount,
  type ChargeBearer,
  currencyDecimals,
  type FinancialInstitution,
  formatIso20022,
  formatPacs008,
  formatPacs009,
  type GroupHeader,
  type Iso20022Message,
  knownCurrencies,
  type Pacs008Message,
  type Pacs009Message,
  type Party,
  type PaymentIdentification,
  type PostalAddress,
  parseIso20022,
} from '../src/index.js';

/**
 * Property: for random valid models of both messages, parse(format(m)) equals m and the
 * canonical text is a fixed point. Random invalid models are refused by the formatter with a
 * path, never written. A seeded generator keeps runs reproducible: a failure prints its seed.
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
  const maybe = (p = 0.5) => next() < p;
  return { next, int, pick, maybe };
}
type Rng = ReturnType<typeof rng>;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = `${UPPER}${DIGITS}`;
const FINX = `${ALNUM}abcdefghijklmnopqrstuvwxyz/-?:().,'+ `;
const EXTENDED = `${FINX}!#$%&*=^_\`{|}~";<>@[\\]`;
const CURRENCIES = knownCurrencies();

const chars = (r: Rng, set: string, min: number, max: number) =>
  Array.from({ length: r.int(min, max) }, () => r.pick([...set])).join('');
/** FIN X text without the slashes CBPR+ forbids at the ends or doubled. */
const slashSafe = (r: Rng, max: number) => {
  let t = chars(r, FINX, 1, max).replace(/\/+/g, '/');
  if (t.startsWith('/')) t = `A${t.slice(1)}`;
  if (t.endsWith('/')) t = `${t.slice(0, -1)}Z`;
  return t;
};
const bic = (r: Rng) =>
  chars(r, ALNUM, 4, 4) +
  chars(r, UPPER, 2, 2) +
  chars(r, ALNUM, 2, 2) +
  (r.maybe() ? chars(r, ALNUM, 3, 3) : '');
const lei = (r: Rng) => chars(r, ALNUM, 18, 18) + chars(r, DIGITS, 2, 2);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const date = (r: Rng) => {
  const [y, m] = [r.int(1990, 2099), r.int(1, 12)];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const d = r.int(1, m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
  return `${y}-${pad(m)}-${pad(d)}`;
};
const dateTime = (r: Rng) => {
  const offsetHours = r.int(0, 14);
  const offset = `${r.pick(['+', '-'])}${pad(offsetHours)}:${offsetHours === 14 ? '00' : pad(r.pick([0, 30, 45]))}`;
  const fraction = r.maybe(0.3) ? `.${chars(r, DIGITS, 1, 6)}` : '';
  return `${date(r)}T${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}${fraction}${offset}`;
};
const uuid = (r: Rng) => {
  const hex = (n: number) => chars(r, '0123456789abcdef', n, n);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${r.pick([...'89ab'])}${hex(3)}-${hex(12)}`;
};

/** A valid IBAN: a country, a BBAN, and the ISO 13616 check digits computed for them. */
function iban(r: Rng): string {
  const country = chars(r, UPPER, 2, 2);
  const bban = chars(r, ALNUM, 4, 30);
  let rest = 0;
  for (const c of `${bban}${country}00`)
    for (const d of c >= 'A' ? String(c.charCodeAt(0) - 55) : c) rest = (rest * 10 + Number(d)) % 97;
  return `${country}${pad(98 - rest)}${bban}`;
}

/** Amounts of at most 14 written digits, in a random currency's decimals. */
function amount(r: Rng, positive: boolean, currency = r.pick(CURRENCIES)): Amount {
  const digits = r.int(1, 14);
  let minorUnits = BigInt(chars(r, DIGITS, digits, digits));
  if (positive && minorUnits === 0n) minorUnits = 1n;
  return { currency, minorUnits };
}

const institution = (r: Rng): FinancialInstitution => ({
  bic: bic(r),
  ...(r.maybe(0.2) ? { lei: lei(r) } : {}),
});
const account = (r: Rng): Account => (r.maybe() ? { iban: iban(r) } : { other: slashSafe(r, 34) });

function address(r: Rng): PostalAddress {
  const mode = r.pick(['structured', 'hybrid', 'unstructured'] as const);
  if (mode === 'unstructured')
    return { addressLines: Array.from({ length: r.int(1, 3) }, () => chars(r, EXTENDED, 1, 35)) };
  const optional = (key: keyof PostalAddress, max: number) =>
    r.maybe(0.3) ? { [key]: chars(r, EXTENDED, 1, max) } : {};
  return {
    ...optional('department', 70),
    ...optional('streetName', 70),
    ...optional('buildingNumber', 16),
    ...optional('postCode', 16),
    townName: chars(r, EXTENDED, 1, 35),
    ...optional('countrySubDivision', 35),
    country: chars(r, UPPER, 2, 2),
    ...(mode === 'hybrid'
      ? { addressLines: Array.from({ length: r.int(1, 2) }, () => chars(r, EXTENDED, 1, 70)) }
      : {}),
  };
}

function party(r: Rng): Party {
  const anyBic = r.maybe(0.3) ? { anyBic: bic(r) } : {};
  const withAddress = r.maybe(0.6);
  const named = withAddress || !('anyBic' in anyBic) || r.maybe();
  return {
    ...(named ? { name: chars(r, EXTENDED, 1, 140) } : {}),
    ...(withAddress ? { postalAddress: address(r) } : {}),
    ...anyBic,
    ...(r.maybe(0.2) ? { lei: lei(r) } : {}),
    ...(r.maybe(0.2) ? { countryOfResidence: chars(r, UPPER, 2, 2) } : {}),
  };
}

function header(r: Rng): GroupHeader {
  const method = r.pick(['INDA', 'INGA', 'CLRG'] as const);
  const clearing = r.maybe(0.3)
    ? { clearingSystem: r.maybe() ? { code: chars(r, ALNUM, 1, 3) } : { proprietary: chars(r, FINX, 1, 35) } }
    : {};
  return { messageId: chars(r, FINX, 1, 35), createdAt: dateTime(r), settlementMethod: method, ...clearing };
}

function paymentId(r: Rng, endToEnd: string): PaymentIdentification {
  return {
    instructionId: slashSafe(r, 16),
    endToEndId: endToEnd,
    ...(r.maybe(0.3) ? { transactionId: chars(r, FINX, 1, 35) } : {}),
    uetr: uuid(r),
    ...(r.maybe(0.2) ? { clearingSystemReference: chars(r, FINX, 1, 35) } : {}),
  };
}

const tail = (r: Rng) => ({
  ...(r.maybe(0.4) ? { purpose: chars(r, ALNUM, 1, 4) } : {}),
  ...(r.maybe(0.4) ? { remittanceInformation: chars(r, EXTENDED, 1, 140) } : {}),
});

function pacs008(r: Rng): Pacs008Message {
  const chargeBearer = r.pick(['DEBT', 'CRED', 'SHAR'] as const) as ChargeBearer;
  const count = chargeBearer === 'CRED' ? r.int(1, 3) : chargeBearer === 'DEBT' ? r.int(0, 1) : r.int(0, 3);
  const settlementAmount = amount(r, true);
  const charges = Array.from({ length: count }, () => ({
    amount: amount(r, false, settlementAmount.currency),
    agent: institution(r),
  }));
  return {
    type: 'pacs.008.001.08',
    groupHeader: header(r),
    transaction: {
      paymentId: paymentId(r, chars(r, FINX, 1, 35)),
      settlementAmount,
      settlementDate: date(r),
      chargeBearer,
      ...(count > 0 ? { charges } : {}),
      instructingAgent: institution(r),
      instructedAgent: institution(r),
      debtor: party(r),
      ...(r.maybe() ? { debtorAccount: account(r) } : {}),
      debtorAgent: institution(r),
      creditorAgent: institution(r),
      creditor: party(r),
      ...(r.maybe() ? { creditorAccount: account(r) } : {}),
      ...tail(r),
    },
  };
}

function pacs009(r: Rng): Pacs009Message {
  // CBPR+: no "/" first or 16th, nor "//", within the end-to-end id's first 16 characters.
  const endToEnd = chars(r, FINX, 1, 35).replace(/\//g, '-');
  return {
    type: 'pacs.009.001.08',
    groupHeader: header(r),
    transaction: {
      paymentId: paymentId(r, endToEnd),
      settlementAmount: amount(r, true),
      settlementDate: date(r),
      instructingAgent: institution(r),
      instructedAgent: institution(r),
      debtor: institution(r),
      ...(r.maybe() ? { debtorAccount: account(r) } : {}),
      ...(r.maybe(0.3) ? { debtorAgent: institution(r) } : {}),
      ...(r.maybe(0.3) ? { creditorAgent: institution(r) } : {}),
      creditor: institution(r),
      ...(r.maybe() ? { creditorAccount: account(r) } : {}),
      ...tail(r),
    },
  };
}

const refusedWithPath = (error: unknown): boolean => {
  assert.ok(isPujiangError(error, 'SETTLE_ISO20022_INVALID'), String(error));
  assert.match(String(error.details.path), /^Document/);
  return true;
};

describe('ISO 20022 round trip', () => {
  it('parse(format(m)) is m for 400 random valid models of each message', () => {
    const seed = Date.now() % 100_000;
    const r = rng(seed);
    for (let i = 0; i < 800; i++) {
      const model: Iso20022Message = i % 2 === 0 ? pacs008(r) : pacs009(r);
      const text = formatIso20022(model);
      assert.deepEqual(parseIso20022(text), model, `seed ${seed}, model ${i}`);
      assert.equal(
        formatIso20022(parseIso20022(new TextEncoder().encode(text))),
        text,
        `seed ${seed}, model ${i}`,
      );
    }
  });

  it('writes every known currency in its own decimals', () => {
    const r = rng(7);
    for (const currency of CURRENCIES) {
      const model = pacs009(r);
      const decimals = currencyDecimals(currency)!;
      const text = formatPacs009({
        ...model,
        transaction: {
          ...model.transaction,
          settlementAmount: { currency, minorUnits: 10n ** BigInt(decimals) + 1n },
        },
      });
      const written = decimals === 0 ? '2' : `1.${'1'.padStart(decimals, '0')}`;
      assert.ok(text.includes(`<IntrBkSttlmAmt Ccy="${currency}">${written}</IntrBkSttlmAmt>`), currency);
    }
  });

  it('refuses to write invalid models, naming the field by its element path', () => {
    const r = rng(11);
    const base = pacs008(r);
    const tx = base.transaction;
    const broken: [Pacs008Message, string][] = [
      [
        { ...base, transaction: { ...tx, settlementAmount: { currency: 'CNY', minorUnits: -1n } } },
        'IntrBkSttlmAmt',
      ],
      [
        { ...base, transaction: { ...tx, settlementAmount: { currency: 'CNY', minorUnits: 10n ** 15n } } },
        'IntrBkSttlmAmt',
      ],
      [
        { ...base, transaction: { ...tx, settlementAmount: { currency: 'XTS', minorUnits: 1n } } },
        'IntrBkSttlmAmt/@Ccy',
      ],
      [{ ...base, transaction: { ...tx, debtorAgent: { bic: 'icbkcnbj' } } }, 'DbtrAgt/FinInstnId/BICFI'],
      [{ ...base, transaction: { ...tx, creditor: { name: '中国银行' } } }, 'Cdtr/Nm'],
      [
        { ...base, transaction: { ...tx, debtorAccount: { iban: 'CN00', other: '1' } as never } },
        'DbtrAcct/Id',
      ],
      [{ ...base, transaction: { ...tx, paymentId: { ...tx.paymentId, uetr: 'not-a-uuid' } } }, 'PmtId/UETR'],
      [{ ...base, transaction: { ...tx, settlementDate: 20261208 as never } }, 'IntrBkSttlmDt'],
      [{ ...base, transaction: { ...tx, chargeBearer: 'CRED', charges: [] } }, 'ChrgsInf'],
      [
        { ...base, groupHeader: { ...base.groupHeader, createdAt: '2026-12-08T09:30:00Z' } },
        'GrpHdr/CreDtTm',
      ],
      [{ ...base, type: 'pacs.009.001.08' as never }, 'Document'],
    ];
    for (const [model, tail] of broken)
      assert.throws(
        () => formatPacs008(model),
        (error: unknown) =>
          refusedWithPath(error) &&
          String((error as { details: { path: string } }).details.path).endsWith(tail),
        tail,
      );
    for (const junk of [undefined, null, 42, 'pacs.008', [], { type: 'pacs.008.001.08' }])
      assert.throws(() => formatIso20022(junk as never), refusedWithPath);
  });
});
