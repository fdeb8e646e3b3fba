import {
  accountId,
  anyBic,
  bicfi,
  cbprAmount,
  cbprDateTime,
  country,
  currencyCode,
  extended,
  externalCode,
  finx,
  fixedOne,
  iban,
  instructionId,
  isoDate,
  lei,
  oneOf,
  type SimpleType,
  uuidv4,
} from './simple-types.js';

/**
 * The supported subset of pacs.008.001.08 and pacs.009.001.08 as CBPR+ restricts them,
 * declared once: the reader checks a message against it (order, multiplicity, unknown
 * elements, leaf types) and the writer checks what it is about to emit against it.
 */

export interface AttributeDecl {
  readonly name: string;
  readonly type: SimpleType;
}

export interface ElementDecl {
  readonly name: string;
  readonly min: 0 | 1;
  readonly max: number;
  readonly type: SimpleType | ComplexType;
  readonly attributes?: readonly AttributeDecl[];
}

export interface ComplexType {
  /** A sequence in schema order, or a choice of exactly one child. */
  readonly kind: 'sequence' | 'choice';
  readonly children: readonly ElementDecl[];
  /** Elements the published schema has here that this subset does not support. */
  readonly unsupported?: readonly string[];
}

export const isComplex = (type: SimpleType | ComplexType): type is ComplexType => 'kind' in type;

const one = (name: string, type: SimpleType | ComplexType): ElementDecl => ({ name, min: 1, max: 1, type });
const opt = (name: string, type: SimpleType | ComplexType, max = 1): ElementDecl => ({
  name,
  min: 0,
  max,
  type,
});
const seq = (children: ElementDecl[], unsupported?: string[]): ComplexType => ({
  kind: 'sequence',
  children,
  ...(unsupported ? { unsupported } : {}),
});
const choice = (children: ElementDecl[], unsupported?: string[]): ComplexType => ({
  kind: 'choice',
  children,
  ...(unsupported ? { unsupported } : {}),
});

/** `CBPR_Amount`: a decimal with its mandatory `Ccy` attribute. */
const amount = (name: string, min: 0 | 1 = 1): ElementDecl => ({
  name,
  min,
  max: 1,
  type: cbprAmount,
  attributes: [{ name: 'Ccy', type: currencyCode }],
});

/** An agent identified by its BIC (the subset's only agent identification), with an optional LEI. */
const institution = seq([one('BICFI', bicfi), opt('LEI', lei)], ['ClrSysMmbId', 'Nm', 'PstlAdr', 'Othr']);
const agent = seq([one('FinInstnId', institution)], ['BrnchId']);

/** `PostalAddress24` as CBPR+ restricts it (extended character set, at most 3 address lines). */
const postalAddress = seq(
  [
    opt('Dept', extended(70)),
    opt('SubDept', extended(70)),
    opt('StrtNm', extended(70)),
    opt('BldgNb', extended(16)),
    opt('BldgNm', extended(35)),
    opt('Flr', extended(70)),
    opt('PstBx', extended(16)),
    opt('Room', extended(70)),
    opt('PstCd', extended(16)),
    opt('TwnNm', extended(35)),
    opt('TwnLctnNm', extended(35)),
    opt('DstrctNm', extended(35)),
    opt('CtrySubDvsn', extended(35)),
    opt('Ctry', country),
    opt('AdrLine', extended(70), 3),
  ],
  ['AdrTp'],
);

/** `PartyIdentification135`: name, address, organisation identification by BIC or LEI, residence. */
const party = seq(
  [
    opt('Nm', extended(140)),
    opt('PstlAdr', postalAddress),
    opt('Id', choice([one('OrgId', seq([opt('AnyBIC', anyBic), opt('LEI', lei)], ['Othr']))], ['PrvtId'])),
    opt('CtryOfRes', country),
  ],
  ['CtctDtls'],
);

const account = seq(
  [one('Id', choice([one('IBAN', iban), one('Othr', seq([one('Id', accountId)], ['SchmeNm', 'Issr']))]))],
  ['Tp', 'Ccy', 'Nm', 'Prxy'],
);

const paymentId = seq([
  one('InstrId', instructionId),
  one('EndToEndId', finx(35)),
  opt('TxId', finx(35)),
  one('UETR', uuidv4),
  opt('ClrSysRef', finx(35)),
]);

const settlementInformation = seq(
  [
    one('SttlmMtd', oneOf('SettlementMethod1Code', ['INDA', 'INGA', 'CLRG'])),
    opt(
      'ClrSys',
      choice([one('Cd', externalCode('ExternalCashClearingSystem1Code', 3)), one('Prtry', finx(35))]),
    ),
  ],
  [
    'SttlmAcct',
    'InstgRmbrsmntAgt',
    'InstgRmbrsmntAgtAcct',
    'InstdRmbrsmntAgt',
    'InstdRmbrsmntAgtAcct',
    'ThrdRmbrsmntAgt',
    'ThrdRmbrsmntAgtAcct',
  ],
);

const groupHeader = seq(
  [
    one('MsgId', finx(35)),
    one('CreDtTm', cbprDateTime),
    one('NbOfTxs', fixedOne),
    one('SttlmInf', settlementInformation),
  ],
  ['BtchBookg', 'CtrlSum', 'TtlIntrBkSttlmAmt', 'IntrBkSttlmDt', 'PmtTpInf', 'InstgAgt', 'InstdAgt'],
);

const purpose = choice([one('Cd', externalCode('ExternalPurpose1Code', 4))], ['Prtry']);
/** CBPR+ allows one unstructured remittance line of 140 characters. */
const remittance = seq([one('Ustrd', extended(140))], ['Strd']);

const CHAIN_AGENTS = ['PrvsInstgAgt1', 'PrvsInstgAgt1Acct', 'PrvsInstgAgt2', 'PrvsInstgAgt2Acct'];
const MORE_AGENTS = ['PrvsInstgAgt3', 'PrvsInstgAgt3Acct', 'IntrmyAgt1', 'IntrmyAgt1Acct', 'IntrmyAgt2'];
const LAST_AGENTS = ['IntrmyAgt2Acct', 'IntrmyAgt3', 'IntrmyAgt3Acct', 'DbtrAgtAcct', 'CdtrAgtAcct'];
const TIMING = ['PmtTpInf', 'SttlmPrty', 'SttlmTmIndctn', 'SttlmTmReq'];

/** pacs.008's `CreditTransferTransaction39`, the CBPR+ subset. */
const customerTransaction = seq(
  [
    one('PmtId', paymentId),
    amount('IntrBkSttlmAmt'),
    one('IntrBkSttlmDt', isoDate),
    one('ChrgBr', oneOf('ChargeBearerType1Code', ['DEBT', 'CRED', 'SHAR'])),
    opt('ChrgsInf', seq([amount('Amt'), one('Agt', agent)]), Number.POSITIVE_INFINITY),
    one('InstgAgt', agent),
    one('InstdAgt', agent),
    one('Dbtr', party),
    opt('DbtrAcct', account),
    one('DbtrAgt', agent),
    one('CdtrAgt', agent),
    one('Cdtr', party),
    opt('CdtrAcct', account),
    opt('Purp', purpose),
    opt('RmtInf', remittance),
  ],
  [
    ...TIMING,
    ...['AccptncDtTm', 'PoolgAdjstmntDt', 'InstdAmt', 'XchgRate'],
    ...CHAIN_AGENTS,
    ...MORE_AGENTS,
    ...LAST_AGENTS,
    ...['UltmtDbtr', 'InitgPty', 'UltmtCdtr', 'InstrForCdtrAgt', 'InstrForNxtAgt'],
    ...['RgltryRptg', 'Tax', 'RltdRmtInf', 'SplmtryData'],
  ],
);

/** pacs.009's `CreditTransferTransaction36`, the CBPR+ core subset: debtor and creditor are banks. */
const institutionTransaction = seq(
  [
    one('PmtId', paymentId),
    amount('IntrBkSttlmAmt'),
    one('IntrBkSttlmDt', isoDate),
    one('InstgAgt', agent),
    one('InstdAgt', agent),
    one('Dbtr', agent),
    opt('DbtrAcct', account),
    opt('DbtrAgt', agent),
    opt('CdtrAgt', agent),
    one('Cdtr', agent),
    opt('CdtrAcct', account),
    opt('Purp', purpose),
    opt('RmtInf', remittance),
  ],
  [
    ...TIMING,
    ...CHAIN_AGENTS,
    ...MORE_AGENTS,
    ...LAST_AGENTS,
    ...['UltmtDbtr', 'UltmtCdtr', 'InstrForCdtrAgt', 'InstrForNxtAgt', 'UndrlygCstmrCdtTrf', 'SplmtryData'],
  ],
);

/** CBPR+ carries exactly one transaction per message. */
const message = (transaction: ComplexType): ComplexType =>
  seq([one('GrpHdr', groupHeader), one('CdtTrfTxInf', transaction)], ['SplmtryData']);

export const PACS008_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08';
export const PACS009_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08';

/** The `Document` element of each message. */
export const PACS008_DOCUMENT: ElementDecl = one(
  'Document',
  seq([one('FIToFICstmrCdtTrf', message(customerTransaction))]),
);
export const PACS009_DOCUMENT: ElementDecl = one(
  'Document',
  seq([one('FICdtTrf', message(institutionTransaction))]),
);
