import { currencyDecimals } from './currencies.js';
import { iso20022Error } from './errors.js';
import type {
  Amount,
  CustomerCreditTransfer,
  FinancialInstitution,
  GroupHeader,
  InstitutionCreditTransfer,
  Party,
  PaymentIdentification,
  PostalAddress,
} from './model.js';
import { currencyCode } from './simple-types.js';
import { ADDRESS_FIELDS } from './to-model.js';
import { leaf, node, type XNode } from './xml-node.js';

/**
 * Builds the element tree of a model, in schema order. A model may come from JavaScript
 * without types, so every field is checked to be what its type says before it is used; the
 * values themselves are then checked by the same declarations the reader uses.
 */

type Fields = Readonly<Record<string, unknown>>;

function record(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw iso20022Error(path, 'must be an object');
  return value as Fields;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw iso20022Error(path, 'must be a string');
  return value;
}

/** An optional text element: absent when the field is absent. */
function optLeaf(name: string, value: unknown, path: string): XNode | undefined {
  return value === undefined ? undefined : leaf(name, str(value, `${path}/${name}`));
}

/** An amount in the currency's decimals: 1234567 minor units of CNY is "12345.67". */
export function amountNode(name: string, value: unknown, path: string): XNode {
  const amount = record(value, `${path}/${name}`) as Partial<Amount>;
  const currency = str(amount.currency, `${path}/${name}/@Ccy`);
  const decimals = currencyDecimals(currency);
  if (decimals === undefined)
    throw iso20022Error(`${path}/${name}/@Ccy`, currencyCode.check(currency)!, currency);
  const minor = amount.minorUnits;
  if (typeof minor !== 'bigint' || minor < 0n)
    throw iso20022Error(`${path}/${name}`, 'minorUnits must be a bigint of at least 0');
  const digits = minor.toString().padStart(decimals + 1, '0');
  const written = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return leaf(name, written, new Map([['Ccy', currency]]));
}

function agentNode(name: string, value: unknown, path: string): XNode {
  const fi = record(value, `${path}/${name}`) as Partial<FinancialInstitution>;
  const here = `${path}/${name}/FinInstnId`;
  return node(name, [
    node('FinInstnId', [leaf('BICFI', str(fi.bic, `${here}/BICFI`)), optLeaf('LEI', fi.lei, here)]),
  ]);
}

const optAgent = (name: string, value: unknown, path: string): XNode | undefined =>
  value === undefined ? undefined : agentNode(name, value, path);

function addressNode(value: unknown, path: string): XNode {
  const address = record(value, path) as Fields;
  const fields = ADDRESS_FIELDS.map(([tag, key]) => optLeaf(tag, address[key], path));
  const lines = address.addressLines as PostalAddress['addressLines'] | undefined;
  // An empty list would be written as nothing and read back as absent: refuse it.
  if (lines !== undefined && (!Array.isArray(lines) || lines.length === 0))
    throw iso20022Error(`${path}/AdrLine`, 'addressLines must be a non-empty array, or absent');
  const lineNodes = (lines ?? []).map((line, i) => leaf('AdrLine', str(line, `${path}/AdrLine[${i + 1}]`)));
  return node('PstlAdr', [...fields, ...lineNodes]);
}

function partyNode(name: string, value: unknown, path: string): XNode {
  const here = `${path}/${name}`;
  const party = record(value, here) as Partial<Party>;
  const org =
    party.anyBic === undefined && party.lei === undefined
      ? undefined
      : node('Id', [
          node('OrgId', [
            optLeaf('AnyBIC', party.anyBic, `${here}/Id/OrgId`),
            optLeaf('LEI', party.lei, `${here}/Id/OrgId`),
          ]),
        ]);
  return node(name, [
    optLeaf('Nm', party.name, here),
    party.postalAddress === undefined ? undefined : addressNode(party.postalAddress, `${here}/PstlAdr`),
    org,
    optLeaf('CtryOfRes', party.countryOfResidence, here),
  ]);
}

function accountNode(name: string, value: unknown, path: string): XNode | undefined {
  if (value === undefined) return undefined;
  const here = `${path}/${name}/Id`;
  const account = record(value, `${path}/${name}`) as Partial<{ iban: unknown; other: unknown }>;
  if ((account.iban === undefined) === (account.other === undefined))
    throw iso20022Error(here, 'an account is either { iban } or { other }');
  const id =
    account.iban !== undefined
      ? leaf('IBAN', str(account.iban, `${here}/IBAN`))
      : node('Othr', [leaf('Id', str(account.other, `${here}/Othr/Id`))]);
  return node(name, [node('Id', [id])]);
}

export function groupHeaderNode(value: unknown, path: string): XNode {
  const header = record(value, path) as Partial<GroupHeader>;
  const settlement = `${path}/SttlmInf`;
  let clearing: XNode | undefined;
  if (header.clearingSystem !== undefined) {
    const system = record(header.clearingSystem, `${settlement}/ClrSys`) as Partial<{
      code: unknown;
      proprietary: unknown;
    }>;
    if ((system.code === undefined) === (system.proprietary === undefined))
      throw iso20022Error(`${settlement}/ClrSys`, 'a clearing system is either { code } or { proprietary }');
    clearing = node('ClrSys', [
      optLeaf('Cd', system.code, `${settlement}/ClrSys`),
      optLeaf('Prtry', system.proprietary, `${settlement}/ClrSys`),
    ]);
  }
  return node('GrpHdr', [
    leaf('MsgId', str(header.messageId, `${path}/MsgId`)),
    leaf('CreDtTm', str(header.createdAt, `${path}/CreDtTm`)),
    leaf('NbOfTxs', '1'),
    node('SttlmInf', [leaf('SttlmMtd', str(header.settlementMethod, `${settlement}/SttlmMtd`)), clearing]),
  ]);
}

function paymentIdNode(value: unknown, path: string): XNode {
  const here = `${path}/PmtId`;
  const id = record(value, here) as Partial<PaymentIdentification>;
  return node('PmtId', [
    leaf('InstrId', str(id.instructionId, `${here}/InstrId`)),
    leaf('EndToEndId', str(id.endToEndId, `${here}/EndToEndId`)),
    optLeaf('TxId', id.transactionId, here),
    leaf('UETR', str(id.uetr, `${here}/UETR`)),
    optLeaf('ClrSysRef', id.clearingSystemReference, here),
  ]);
}

function tailNodes(tx: Fields, path: string): (XNode | undefined)[] {
  return [
    tx.purpose === undefined ? undefined : node('Purp', [leaf('Cd', str(tx.purpose, `${path}/Purp/Cd`))]),
    tx.remittanceInformation === undefined
      ? undefined
      : node('RmtInf', [leaf('Ustrd', str(tx.remittanceInformation, `${path}/RmtInf/Ustrd`))]),
  ];
}

export function customerTransferNode(value: unknown, path: string): XNode {
  const tx = record(value, path) as Partial<CustomerCreditTransfer> & Fields;
  if (tx.charges !== undefined && (!Array.isArray(tx.charges) || tx.charges.length === 0))
    throw iso20022Error(`${path}/ChrgsInf`, 'charges must be a non-empty array, or absent');
  const charges = (tx.charges ?? []).map((charge, i) => {
    const here = `${path}/ChrgsInf[${i + 1}]`;
    const c = record(charge, here);
    return node('ChrgsInf', [amountNode('Amt', c.amount, here), agentNode('Agt', c.agent, here)]);
  });
  return node('CdtTrfTxInf', [
    paymentIdNode(tx.paymentId, path),
    amountNode('IntrBkSttlmAmt', tx.settlementAmount, path),
    leaf('IntrBkSttlmDt', str(tx.settlementDate, `${path}/IntrBkSttlmDt`)),
    leaf('ChrgBr', str(tx.chargeBearer, `${path}/ChrgBr`)),
    ...charges,
    agentNode('InstgAgt', tx.instructingAgent, path),
    agentNode('InstdAgt', tx.instructedAgent, path),
    partyNode('Dbtr', tx.debtor, path),
    accountNode('DbtrAcct', tx.debtorAccount, path),
    agentNode('DbtrAgt', tx.debtorAgent, path),
    agentNode('CdtrAgt', tx.creditorAgent, path),
    partyNode('Cdtr', tx.creditor, path),
    accountNode('CdtrAcct', tx.creditorAccount, path),
    ...tailNodes(tx, path),
  ]);
}

export function institutionTransferNode(value: unknown, path: string): XNode {
  const tx = record(value, path) as Partial<InstitutionCreditTransfer> & Fields;
  return node('CdtTrfTxInf', [
    paymentIdNode(tx.paymentId, path),
    amountNode('IntrBkSttlmAmt', tx.settlementAmount, path),
    leaf('IntrBkSttlmDt', str(tx.settlementDate, `${path}/IntrBkSttlmDt`)),
    agentNode('InstgAgt', tx.instructingAgent, path),
    agentNode('InstdAgt', tx.instructedAgent, path),
    agentNode('Dbtr', tx.debtor, path),
    accountNode('DbtrAcct', tx.debtorAccount, path),
    optAgent('DbtrAgt', tx.debtorAgent, path),
    optAgent('CdtrAgt', tx.creditorAgent, path),
    agentNode('Cdtr', tx.creditor, path),
    accountNode('CdtrAcct', tx.creditorAccount, path),
    ...tailNodes(tx, path),
  ]);
}
