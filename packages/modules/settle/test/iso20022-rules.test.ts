import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import { parseIso20022, parsePacs008 } from '../src/index.js';

/**
 * One message per refusal rule of the values (the schema's types as CBPR+ restricts them) and
 * of the CBPR+ rules across values, each the valid sample with one thing broken; and the refused
 * sample files. The envelope and structure refusals are in iso20022-refusals.test.ts.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const P8 = fixture('pacs008-cny-icbc-boc-hk.xml');
const P9 = fixture('pacs009-cny-boc-ccb.xml');
const TX8 = 'Document/FIToFICstmrCdtTrf/CdtTrfTxInf';
const TX9 = 'Document/FICdtTrf/CdtTrfTxInf';
const HDR = 'Document/FIToFICstmrCdtTrf/GrpHdr';

/** The sample with `from` replaced by `to` (the replacement must happen). */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  assert.notEqual(out, xml, `the edit of ${from} changed nothing`);
  return out;
}
const e8 = (from: string | RegExp, to: string) => edit(P8, from, to);
const e9 = (from: string | RegExp, to: string) => edit(P9, from, to);
const DEBTOR_ADDRESS = /<PstlAdr>\n\s+<StrtNm>Century Avenue<\/StrtNm>[\s\S]*?<\/PstlAdr>/;
const DEBTOR_ACCOUNT = '<Othr>\n            <Id>1001234509000012345</Id>\n          </Othr>';
const charge =
  '<ChrgsInf><Amt Ccy="CNY">10.00</Amt><Agt><FinInstnId><BICFI>ICBKCNBJSHI</BICFI></FinInstnId></Agt></ChrgsInf>';

type Case = readonly [
  title: string,
  input: unknown,
  path: string,
  rule: RegExp,
  parse?: (x: never) => unknown,
];

const CASES: readonly Case[] = [
  // Values: types of the schema as CBPR+ restricts them.
  ['UETR of version 1', e8('9d4a-4e7b', '9d4a-1e7b'), `${TX8}/PmtId/UETR`, /UUIDv4Identifier/],
  ['UETR in upper case', e8('3f2b8c1e-9d4a', '3F2B8C1E-9D4A'), `${TX8}/PmtId/UETR`, /UUIDv4Identifier/],
  [
    'NbOfTxs other than 1',
    e8('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>2</NbOfTxs>'),
    `${HDR}/NbOfTxs`,
    /exactly one transaction/,
  ],
  ['unknown currency', e8('Ccy="CNY"', 'Ccy="RMB"'), `${TX8}/IntrBkSttlmAmt/@Ccy`, /not an active ISO 4217/],
  ['gold as a currency', e8('Ccy="CNY"', 'Ccy="XAU"'), `${TX8}/IntrBkSttlmAmt/@Ccy`, /commodities/],
  ['currency missing', e8(' Ccy="CNY"', ''), `${TX8}/IntrBkSttlmAmt/@Ccy`, /mandatory attribute missing/],
  [
    'another attribute on the amount',
    e8('Ccy="CNY"', 'Ccy="CNY" Rate="1"'),
    `${TX8}/IntrBkSttlmAmt/@Rate`,
    /attribute not allowed/,
  ],
  [
    'CNY with three decimals',
    e8('1250000.00', '1250000.001'),
    `${TX8}/IntrBkSttlmAmt`,
    /CNY takes at most 2 decimal/,
  ],
  [
    'JPY with decimals',
    e8('Ccy="CNY">1250000.00', 'Ccy="JPY">1250000.50'),
    `${TX8}/IntrBkSttlmAmt`,
    /JPY takes at most 0 decimal/,
  ],
  [
    'more than 14 digits',
    e8('1250000.00', '123456789012345.00'),
    `${TX8}/IntrBkSttlmAmt`,
    /more than 14 digits/,
  ],
  [
    'more than 5 fraction digits',
    e8('1250000.00', '1.000001'),
    `${TX8}/IntrBkSttlmAmt`,
    /more than 5 fraction digits/,
  ],
  ['a negative amount', e8('1250000.00', '-1250000.00'), `${TX8}/IntrBkSttlmAmt`, /decimal number/],
  [
    'an amount with a thousands separator',
    e8('1250000.00', '1,250,000.00'),
    `${TX8}/IntrBkSttlmAmt`,
    /decimal number/,
  ],
  ['a zero amount', e8('1250000.00', '0.00'), `${TX8}/IntrBkSttlmAmt`, /greater than zero/],
  [
    'a BIC in lower case',
    e8('<BICFI>BKCHHKHH</BICFI>', '<BICFI>bkchhkhh</BICFI>'),
    `${TX8}/InstdAgt/FinInstnId/BICFI`,
    /BICFIDec2014Identifier/,
  ],
  [
    'a BIC of 9 characters',
    e8('<BICFI>BKCHHKHH</BICFI>', '<BICFI>BKCHHKHH1</BICFI>'),
    `${TX8}/InstdAgt/FinInstnId/BICFI`,
    /BICFIDec2014Identifier/,
  ],
  [
    'an IBAN with wrong check digits',
    e8(DEBTOR_ACCOUNT, '<IBAN>GB83WEST12345698765432</IBAN>'),
    `${TX8}/DbtrAcct/Id/IBAN`,
    /check digits/,
  ],
  [
    'an account number with "//"',
    e8('1001234509000012345', '1001//234509'),
    `${TX8}/DbtrAcct/Id/Othr/Id`,
    /"\/\/"/,
  ],
  [
    'an account number of 35 characters',
    e8('1001234509000012345', '1'.repeat(35)),
    `${TX8}/DbtrAcct/Id/Othr/Id`,
    /longer than 34/,
  ],
  [
    'not a calendar date',
    e8('<IntrBkSttlmDt>2026-12-08', '<IntrBkSttlmDt>2026-02-30'),
    `${TX8}/IntrBkSttlmDt`,
    /not a calendar date/,
  ],
  [
    'a date with a time zone',
    e8('<IntrBkSttlmDt>2026-12-08', '<IntrBkSttlmDt>2026-12-08+08:00'),
    `${TX8}/IntrBkSttlmDt`,
    /YYYY-MM-DD/,
  ],
  [
    'a creation time in UTC with "Z"',
    e8('09:30:00+08:00', '01:30:00Z'),
    `${HDR}/CreDtTm`,
    /offset is mandatory/,
  ],
  [
    'a creation time with a +15:00 offset',
    e8('09:30:00+08:00', '09:30:00+15:00'),
    `${HDR}/CreDtTm`,
    /within ±14:00/,
  ],
  [
    'the cover settlement method',
    e8('<SttlmMtd>INDA', '<SttlmMtd>COVE'),
    `${HDR}/SttlmInf/SttlmMtd`,
    /INDA, INGA, CLRG/,
  ],
  ['SLEV charges', e8('<ChrgBr>SHAR', '<ChrgBr>SLEV'), `${TX8}/ChrgBr`, /DEBT, CRED, SHAR/],
  [
    'a message id with "@"',
    e8('ICBKSH20261208-0001', 'ICBKSH@20261208'),
    `${HDR}/MsgId`,
    /FIN X character set/,
  ],
  [
    'an instruction id of 17 characters',
    e8('SH1208PJ0001', 'SH1208PJ000100000'),
    `${TX8}/PmtId/InstrId`,
    /longer than 16/,
  ],
  [
    'an instruction id starting with "/"',
    e8('SH1208PJ0001', '/SH1208PJ0001'),
    `${TX8}/PmtId/InstrId`,
    /CBPR_Instruction_Identification/,
  ],
  [
    'a name in Chinese characters',
    e8('Shanghai Pujiang Trading Co., Ltd.', '上海浦江贸易有限公司'),
    `${TX8}/Dbtr/Nm`,
    /extended character set/,
  ],
  [
    'a name of 141 characters',
    e8('Harbour Textiles Limited', 'H'.repeat(141)),
    `${TX8}/Cdtr/Nm`,
    /longer than 140/,
  ],
  ['an empty end-to-end id', e8('PO-2026-0457-TEXTILE', ''), `${TX8}/PmtId/EndToEndId`, /must not be empty/],
  [
    'a purpose code of 5 characters',
    e8('<Cd>GDDS</Cd>', '<Cd>GOODS</Cd>'),
    `${TX8}/Purp/Cd`,
    /1 to 4 letters or digits/,
  ],
  // CBPR+ rules across values.
  ['CRED without charges information', e8('<ChrgBr>SHAR', '<ChrgBr>CRED'), `${TX8}/ChrgsInf`, /CBPR_CRED/],
  [
    'DEBT with two charges',
    e8('<ChrgBr>SHAR</ChrgBr>', `<ChrgBr>DEBT</ChrgBr>${charge}${charge}`),
    `${TX8}/ChrgsInf[2]`,
    /CBPR_DEBT/,
  ],
  [
    'a structured address without country',
    e8('<Ctry>CN</Ctry>', ''),
    `${TX8}/Dbtr/PstlAdr/Ctry`,
    /CBPR_GracePeriod_Structured/,
  ],
  [
    'a hybrid address with three lines',
    e8('</AdrLine>', '</AdrLine><AdrLine>B</AdrLine><AdrLine>C</AdrLine>'),
    `${TX8}/Cdtr/PstlAdr/AdrLine[3]`,
    /CBPR_GracePeriod_Hybrid/,
  ],
  [
    'an address line alone longer than 35',
    e8(/<TwnNm>Hong Kong<\/TwnNm>\s*<Ctry>HK<\/Ctry>/, ''),
    `${TX8}/Cdtr/PstlAdr/AdrLine[1]`,
    /CBPR_GracePeriod_Unstructured/,
  ],
  [
    'an address without name',
    e8('<Nm>Shanghai Pujiang Trading Co., Ltd.</Nm>', ''),
    `${TX8}/Dbtr/Nm`,
    /CBPR_Party_Name_Postal_Address/,
  ],
  [
    'a party with neither name nor BIC',
    e8('<Nm>Shanghai Pujiang Trading Co., Ltd.</Nm>', '').replace(
      DEBTOR_ADDRESS,
      '<CtryOfRes>CN</CtryOfRes>',
    ),
    `${TX8}/Dbtr/Nm`,
    /CBPR_Party_Name_Any_BIC/,
  ],
  [
    'an organisation identification with neither BIC nor LEI',
    e8(DEBTOR_ADDRESS, '<Id><OrgId/></Id>'),
    `${TX8}/Dbtr/Id/OrgId`,
    /AnyBIC or LEI/,
  ],
  [
    'a pacs.009 end-to-end id starting with "/"',
    e9('NOSTRO-TOPUP-1208', '/NOSTRO-TOPUP'),
    `${TX9}/PmtId/EndToEndId`,
    /CBPR_End_To_End_Identification/,
  ],
  [
    'a pacs.009 end-to-end id with "/" as 16th character',
    e9('NOSTRO-TOPUP-1208', 'NOSTRO-TOPUP-12/8'),
    `${TX9}/PmtId/EndToEndId`,
    /CBPR_End_To_End_Identification/,
  ],
  [
    'a pacs.009 creditor without BIC',
    e9(
      /<Cdtr>\s*<FinInstnId>\s*<BICFI>PCBCCNBJ<\/BICFI>/,
      '<Cdtr><FinInstnId><LEI>5493001KJTIIGC8Y1R12</LEI>',
    ),
    `${TX9}/Cdtr/FinInstnId/BICFI`,
    /mandatory element missing/,
  ],
  [
    'a pacs.009 with charge bearer',
    e9('<InstgAgt>', '<ChrgBr>SHAR</ChrgBr><InstgAgt>'),
    `${TX9}/ChrgBr`,
    /element not allowed here/,
  ],
];

describe('ISO 20022 values and CBPR+ rules: refusals name the element and the rule', () => {
  for (const [title, input, path, rule, parse = parseIso20022] of CASES) {
    it(title, () => {
      assert.throws(
        () => (parse as (x: unknown) => unknown)(input),
        (error: unknown) => {
          assert.ok(isPujiangError(error, 'SETTLE_ISO20022_INVALID'), String(error));
          assert.equal(error.details.path, path, error.message);
          assert.match(String(error.details.rule), rule);
          assert.equal(error.message, `${path}: ${String(error.details.rule)}`);
          return true;
        },
      );
    });
  }
});

describe('ISO 20022 refused sample files (test/fixtures/pacs008-refused-*.xml)', () => {
  const files = readdirSync(new URL('../../test/fixtures/', import.meta.url)).filter((f) =>
    f.includes('-refused-'),
  );
  it('there are refused samples to read', () => assert.ok(files.length >= 4, files.join()));
  for (const file of files) {
    it(file, () => {
      const text = fixture(file);
      const path = /<!-- refused at: (\S+) -->/.exec(text)?.[1];
      assert.ok(path, 'the sample names where it is refused');
      assert.throws(
        () => parsePacs008(text),
        (error: unknown) => isPujiangError(error, 'SETTLE_ISO20022_INVALID') && error.details.path === path,
      );
    });
  }
});
