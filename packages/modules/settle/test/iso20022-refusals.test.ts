import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import { ISO20022_MAX_BYTES, parseIso20022, parsePacs008, parsePacs009 } from '../src/index.js';

/**
 * One message per refusal rule, each the valid sample with one thing broken: the refusal is
 * SETTLE_ISO20022_INVALID, names the element (or attribute) that failed, and the rule.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const P8 = fixture('pacs008-cny-icbc-boc-hk.xml');
const P9 = fixture('pacs009-cny-boc-ccb.xml');
const TX8 = 'Document/FIToFICstmrCdtTrf/CdtTrfTxInf';

/** The sample with `from` replaced by `to` (the replacement must happen). */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  assert.notEqual(out, xml, `the edit of ${from} changed nothing`);
  return out;
}
const e8 = (from: string | RegExp, to: string) => edit(P8, from, to);
const DEBTOR_ACCOUNT = '<Othr>\n            <Id>1001234509000012345</Id>\n          </Othr>';

type Case = readonly [
  title: string,
  input: unknown,
  path: string,
  rule: RegExp,
  parse?: (x: never) => unknown,
];

const CASES: readonly Case[] = [
  // The envelope: size, encoding, well-formedness, DTDs, root and namespace.
  ['oversized input', `${P8}${' '.repeat(ISO20022_MAX_BYTES)}`, 'Document', /larger than 65536 bytes/],
  ['oversized bytes', new Uint8Array(ISO20022_MAX_BYTES + 1), 'Document', /larger than/],
  ['not text', 42, 'Document', /string or UTF-8 bytes/],
  ['invalid UTF-8', new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]), 'Document', /not valid UTF-8/],
  ['lone surrogate', e8('Shanghai Pujiang', 'Shanghai \uD800'), 'Document', /lone surrogate/],
  ['control character', e8('Shanghai Pujiang', 'Shanghai\u0001'), 'Document', /U\+0001 is not allowed/],
  [
    'DOCTYPE with an external entity (XXE)',
    e8('<Document', '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document').replace(
      'Harbour Textiles',
      '&x;',
    ),
    'Document',
    /DOCTYPE/,
  ],
  ['entity declaration without DOCTYPE', e8('<Document', '<!ENTITY x "y"><Document'), 'Document', /ENTITY/],
  ['malformed XML', e8('</Ustrd>', '</Ustrd'), 'Document', /malformed XML at line \d+/],
  ['wrong encoding declared', e8('encoding="UTF-8"', 'encoding="GB18030"'), 'Document', /GB18030.*UTF-8/],
  ['XML 1.1', e8('version="1.0"', 'version="1.1"'), 'Document', /version 1\.0/],
  ['processing instruction', e8('<Document', '<?app run?><Document'), 'Document', /processing instructions/],
  ['two root elements', `${P8}<Document/>`, 'Document', /exactly one root/],
  [
    'a head.001 envelope instead of a Document',
    e8(/<Document [^>]*>/, '<AppHdr>').replace('</Document>', '</AppHdr>'),
    'Document',
    /Document alone/,
  ],
  ['no namespace', e8(/ xmlns="[^"]*"/, ''), 'Document/@xmlns', /declares no namespace/],
  [
    'another version of pacs.008',
    e8('pacs.008.001.08', 'pacs.008.001.09'),
    'Document/@xmlns',
    /namespace must be/,
  ],
  ['pacs.009 where pacs.008 is expected', P9, 'Document/@xmlns', /pacs\.008\.001\.08/, parsePacs008],
  ['pacs.008 where pacs.009 is expected', P8, 'Document/@xmlns', /pacs\.009\.001\.08/, parsePacs009],
  [
    'element of another namespace',
    e8('<Purp>', '<x:Purp xmlns:y="urn:y">').replace('</Purp>', '</x:Purp>'),
    `${TX8}/x:Purp`,
    /outside the message namespace/,
  ],
  [
    'namespace redeclared inside',
    e8('<Purp>', '<Purp xmlns="urn:other">'),
    `${TX8}/Purp/@xmlns`,
    /on Document only/,
  ],
  [
    'unknown attribute on the Document',
    e8('<Document ', '<Document version="8" '),
    'Document/@version',
    /attribute not allowed/,
  ],
  ['bare ampersand', e8('Harbour Textiles', 'Harbour & Textiles'), 'Document', /malformed XML|bare "&"/],
  [
    'undefined entity',
    e8('Harbour Textiles', 'Harbour &nbsp; Textiles'),
    `${TX8}/Cdtr/Nm`,
    /entity "&nbsp;" is not defined/,
  ],
  [
    'reference to a control character',
    e8('Harbour Textiles', 'Harbour &#1; Textiles'),
    `${TX8}/Cdtr/Nm`,
    /not an XML character/,
  ],
  // Structure: unknown, unsupported, misplaced, missing, repeated elements.
  ['unknown element', e8('<Purp>', '<Fee>1</Fee><Purp>'), `${TX8}/Fee`, /element not allowed here/],
  [
    'element outside the subset',
    e8('<ChrgBr>', '<InstdAmt Ccy="CNY">1.00</InstdAmt><ChrgBr>'),
    `${TX8}/InstdAmt`,
    /not of the supported subset/,
  ],
  [
    'elements out of order',
    e8(/(<IntrBkSttlmDt>.*<\/IntrBkSttlmDt>)(\s*)(<ChrgBr>.*<\/ChrgBr>)/, '$3$2$1'),
    `${TX8}/IntrBkSttlmDt`,
    /out of schema order/,
  ],
  ['UETR missing', e8(/<UETR>.*<\/UETR>/, ''), `${TX8}/PmtId/UETR`, /mandatory element missing/],
  [
    'debtor agent missing',
    e8(/<DbtrAgt>[\s\S]*?<\/DbtrAgt>/, ''),
    `${TX8}/DbtrAgt`,
    /mandatory element missing/,
  ],
  [
    'two transactions',
    e8(
      '</CdtTrfTxInf>',
      `</CdtTrfTxInf>${P8.slice(P8.indexOf('<CdtTrfTxInf>'), P8.indexOf('</CdtTrfTxInf>') + 14)}`,
    ),
    `${TX8}`,
    /occurs more than once/,
  ],
  [
    'two remittance lines',
    e8('</Ustrd>', '</Ustrd><Ustrd>MORE</Ustrd>'),
    `${TX8}/RmtInf/Ustrd`,
    /occurs more than once/,
  ],
  [
    'four address lines',
    e8('</AdrLine>', '</AdrLine><AdrLine>A</AdrLine><AdrLine>B</AdrLine><AdrLine>C</AdrLine>'),
    `${TX8}/Cdtr/PstlAdr/AdrLine`,
    /more than 3 times/,
  ],
  ['text between elements', e8('<Purp>', 'stray<Purp>'), TX8, /text is not allowed/],
  ['element inside a value', e8('<Cd>GDDS</Cd>', '<Cd>GDDS<X/></Cd>'), `${TX8}/Purp/Cd/X`, /holds a value/],
  [
    'an account with both IBAN and Othr',
    e8(DEBTOR_ACCOUNT, `<IBAN>GB82WEST12345698765432</IBAN>${DEBTOR_ACCOUNT}`),
    `${TX8}/DbtrAcct/Id/Othr`,
    /only one of IBAN or Othr/,
  ],
  [
    'an account with neither',
    e8(DEBTOR_ACCOUNT, ''),
    `${TX8}/DbtrAcct/Id`,
    /one of IBAN or Othr is required/,
  ],
  [
    'proprietary purpose',
    e8('<Cd>GDDS</Cd>', '<Prtry>GOODS</Prtry>'),
    `${TX8}/Purp/Prtry`,
    /not of the supported subset/,
  ],
];

describe('ISO 20022 refusals name the element and the rule', () => {
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
