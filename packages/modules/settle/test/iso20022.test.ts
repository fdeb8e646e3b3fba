import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  formatIso20022,
  formatPacs008,
  formatPacs009,
  type Pacs008Message,
  type Pacs009Message,
  parseIso20022,
  parsePacs008,
  parsePacs009,
} from '../src/index.js';

/**
 * Sample messages written from the published message definitions (pacs.008.001.08 and
 * pacs.009.001.08, CBPR+ usage): Chinese banks' BICs, CNY and other currencies' decimals,
 * the accepted spellings of one message, and the canonical form the formatter writes.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const PACS008 = fixture('pacs008-cny-icbc-boc-hk.xml');
const PACS009 = fixture('pacs009-cny-boc-ccb.xml');

const EXPECTED_008: Pacs008Message = {
  type: 'pacs.008.001.08',
  groupHeader: {
    messageId: 'ICBKSH20261208-0001',
    createdAt: '2026-12-08T09:30:00+08:00',
    settlementMethod: 'INDA',
  },
  transaction: {
    paymentId: {
      instructionId: 'SH1208PJ0001',
      endToEndId: 'PO-2026-0457-TEXTILE',
      uetr: '3f2b8c1e-9d4a-4e7b-a1c2-5d6e7f8a9b0c',
    },
    settlementAmount: { currency: 'CNY', minorUnits: 125_000_000n },
    settlementDate: '2026-12-08',
    chargeBearer: 'SHAR',
    instructingAgent: { bic: 'ICBKCNBJSHI' },
    instructedAgent: { bic: 'BKCHHKHH' },
    debtor: {
      name: 'Shanghai Pujiang Trading Co., Ltd.',
      postalAddress: {
        streetName: 'Century Avenue',
        buildingNumber: '88',
        postCode: '200120',
        townName: 'Shanghai',
        country: 'CN',
      },
    },
    debtorAccount: { other: '1001234509000012345' },
    debtorAgent: { bic: 'ICBKCNBJSHI' },
    creditorAgent: { bic: 'BKCHHKHH' },
    creditor: {
      name: 'Harbour Textiles Limited',
      postalAddress: {
        townName: 'Hong Kong',
        country: 'HK',
        addressLines: ['Unit 1203, 18 Harbour Road, Wan Chai'],
      },
    },
    creditorAccount: { other: '012-875-0-012345-6' },
    purpose: 'GDDS',
    remittanceInformation: 'INV HT-2026-1187 COTTON YARN 40 TONS',
  },
};

const EXPECTED_009: Pacs009Message = {
  type: 'pacs.009.001.08',
  groupHeader: {
    messageId: 'BKCH20261208FI000042',
    createdAt: '2026-12-08T10:05:12.250+08:00',
    settlementMethod: 'CLRG',
    clearingSystem: { proprietary: 'PUJIANG' },
  },
  transaction: {
    paymentId: {
      instructionId: 'FI1208BK000042',
      endToEndId: 'NOSTRO-TOPUP-1208',
      transactionId: 'PJ-SETTLE-000042',
      uetr: '8e1d0a52-6c3f-4b9e-9f10-2a3b4c5d6e7f',
    },
    settlementAmount: { currency: 'CNY', minorUnits: 5_000_000_000n },
    settlementDate: '2026-12-08',
    instructingAgent: { bic: 'BKCHCNBJ' },
    instructedAgent: { bic: 'PCBCCNBJ' },
    debtor: { bic: 'BKCHCNBJ' },
    creditor: { bic: 'PCBCCNBJ' },
    creditorAccount: { other: 'CNY-NOSTRO-BKCH-0001' },
    purpose: 'INTC',
  },
};

describe('ISO 20022 sample messages', () => {
  it('reads a CBPR+ pacs.008 in CNY from ICBC Shanghai to Bank of China (Hong Kong)', () => {
    assert.deepEqual(parsePacs008(PACS008), EXPECTED_008);
    assert.deepEqual(parseIso20022(PACS008), EXPECTED_008);
  });

  it('reads a CBPR+ pacs.009 in CNY between Bank of China and China Construction Bank', () => {
    assert.deepEqual(parsePacs009(PACS009), EXPECTED_009);
    assert.deepEqual(parseIso20022(PACS009), EXPECTED_009);
  });

  it('writes the canonical form: the samples are canonical, byte for byte', () => {
    assert.equal(formatPacs008(EXPECTED_008), PACS008);
    assert.equal(formatPacs009(EXPECTED_009), PACS009);
    assert.equal(formatIso20022(EXPECTED_008), PACS008);
    assert.equal(formatIso20022(EXPECTED_009), PACS009);
  });

  it('reads the same message spelled otherwise: a prefix, no indentation, comments, CDATA, references', () => {
    const prefixed = PACS008.replace(/<(\/?)([A-Za-z])/g, '<$1ps:$2')
      .replace(
        '<ps:Document xmlns=',
        '<ps:Document xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x y" xmlns:ps=',
      )
      .replace(/>\s+</g, '><')
      .replace('<ps:GrpHdr>', '<!-- header --><ps:GrpHdr>')
      .replace(
        'INV HT-2026-1187 COTTON YARN 40 TONS',
        'INV HT-2026-1187 <![CDATA[COTTON]]> YARN &#52;&#x30; TONS',
      );
    assert.deepEqual(parsePacs008(prefixed), EXPECTED_008);
    assert.equal(formatPacs008(parsePacs008(prefixed)), PACS008);
  });

  it('reads UTF-8 bytes, with or without a byte order mark, and a document without declaration', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${PACS009}`);
    assert.deepEqual(parseIso20022(bytes), EXPECTED_009);
    assert.deepEqual(
      parseIso20022(PACS009.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '')),
      EXPECTED_009,
    );
  });

  it("writes amounts in the currency's ISO 4217 decimals and escapes markup in text", () => {
    const jpy = { ...EXPECTED_008.transaction, settlementAmount: { currency: 'JPY', minorUnits: 1_500n } };
    const kwd = { ...EXPECTED_008.transaction, settlementAmount: { currency: 'KWD', minorUnits: 7n } };
    const cny = {
      ...EXPECTED_008.transaction,
      settlementAmount: { currency: 'CNY', minorUnits: 5n },
      creditor: { name: 'Tom & Jerry <HK> "Ltd"', anyBic: 'BKCHHKHHXXX', lei: '5493001KJTIIGC8Y1R12' },
    };
    const write = (transaction: Pacs008Message['transaction']) =>
      formatPacs008({ ...EXPECTED_008, transaction });
    assert.match(write(jpy), /<IntrBkSttlmAmt Ccy="JPY">1500<\/IntrBkSttlmAmt>/);
    assert.match(write(kwd), /<IntrBkSttlmAmt Ccy="KWD">0.007<\/IntrBkSttlmAmt>/);
    const text = write(cny);
    assert.match(text, /<IntrBkSttlmAmt Ccy="CNY">0.05<\/IntrBkSttlmAmt>/);
    assert.match(text, /<Nm>Tom &amp; Jerry &lt;HK&gt; "Ltd"<\/Nm>/);
    assert.deepEqual(parsePacs008(text).transaction, cny);
    assert.deepEqual(parsePacs008(write(kwd)).transaction.settlementAmount, {
      currency: 'KWD',
      minorUnits: 7n,
    });
  });

  it('reads amounts written with fewer decimals or an explicit sign, and IBAN accounts', () => {
    const other = PACS008.replace('>1250000.00<', '>+1250000.5<').replace(
      '<Othr>\n            <Id>1001234509000012345</Id>\n          </Othr>',
      '<IBAN>GB82WEST12345698765432</IBAN>',
    );
    const parsed = parsePacs008(other);
    assert.deepEqual(parsed.transaction.settlementAmount, { currency: 'CNY', minorUnits: 125_000_050n });
    assert.deepEqual(parsed.transaction.debtorAccount, { iban: 'GB82WEST12345698765432' });
  });

  it('carries charges: CRED with the charges taken, in order', () => {
    const charges = [
      { amount: { currency: 'CNY', minorUnits: 15_000n }, agent: { bic: 'ICBKCNBJSHI' } },
      {
        amount: { currency: 'CNY', minorUnits: 0n },
        agent: { bic: 'BKCHHKHH', lei: '5493001KJTIIGC8Y1R12' },
      },
    ];
    const model = {
      ...EXPECTED_008,
      transaction: { ...EXPECTED_008.transaction, chargeBearer: 'CRED' as const, charges },
    };
    const text = formatPacs008(model);
    assert.match(text, /<ChrgBr>CRED<\/ChrgBr>\n\s+<ChrgsInf>\n\s+<Amt Ccy="CNY">150.00<\/Amt>/);
    assert.deepEqual(parsePacs008(text), model);
  });
});
