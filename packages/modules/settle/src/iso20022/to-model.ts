import { currencyDecimals } from './currencies.js';
import { iso20022Error } from './errors.js';
import type {
  Account,
  Amount,
  ClearingSystem,
  CustomerCreditTransfer,
  FinancialInstitution,
  GroupHeader,
  InstitutionCreditTransfer,
  Party,
  PaymentIdentification,
  PostalAddress,
  SettlementMethod,
} from './model.js';
import { splitDecimal } from './simple-types.js';
import type { XNode } from './xml-node.js';

/**
 * Reads the model out of a message whose tree passed `checkElement`: mandatory elements are
 * there and every value has its type, so what is left to check here is what needs two values
 * at once (an amount's decimals against its currency).
 */

const find = (element: XNode, name: string): XNode | undefined =>
  element.children.find((c) => c.name === name);
const must = (element: XNode, name: string): XNode => find(element, name)!;
const text = (element: XNode, name: string): string | undefined => find(element, name)?.text;
/** `{ [key]: value }` when the value is there, else nothing (optional fields are absent, never undefined). */
const maybe = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

export function amountOf(element: XNode, path: string): Amount {
  const currency = element.attributes.get('Ccy')!;
  const decimals = currencyDecimals(currency)!;
  const { whole, fraction } = splitDecimal(element.text)!;
  if (fraction.length > decimals)
    throw iso20022Error(
      path,
      `${currency} takes at most ${decimals} decimal(s) (ISO 4217 minor unit)`,
      element.text,
    );
  return { currency, minorUnits: BigInt(`${whole}${fraction.padEnd(decimals, '0')}` || '0') };
}

function clearingSystemOf(element: XNode): ClearingSystem {
  const code = text(element, 'Cd');
  return code !== undefined ? { code } : { proprietary: text(element, 'Prtry')! };
}

export function groupHeaderOf(header: XNode): GroupHeader {
  const settlement = must(header, 'SttlmInf');
  const clearing = find(settlement, 'ClrSys');
  return {
    messageId: text(header, 'MsgId')!,
    createdAt: text(header, 'CreDtTm')!,
    settlementMethod: text(settlement, 'SttlmMtd') as SettlementMethod,
    ...maybe('clearingSystem', clearing && clearingSystemOf(clearing)),
  };
}

function paymentIdOf(element: XNode): PaymentIdentification {
  return {
    instructionId: text(element, 'InstrId')!,
    endToEndId: text(element, 'EndToEndId')!,
    ...maybe('transactionId', text(element, 'TxId')),
    uetr: text(element, 'UETR')!,
    ...maybe('clearingSystemReference', text(element, 'ClrSysRef')),
  };
}

function institutionOf(agent: XNode): FinancialInstitution {
  const id = must(agent, 'FinInstnId');
  return { bic: text(id, 'BICFI')!, ...maybe('lei', text(id, 'LEI')) };
}

/** PstlAdr's single-valued elements in schema order, with their model field. */
export const ADDRESS_FIELDS = [
  ['Dept', 'department'],
  ['SubDept', 'subDepartment'],
  ['StrtNm', 'streetName'],
  ['BldgNb', 'buildingNumber'],
  ['BldgNm', 'buildingName'],
  ['Flr', 'floor'],
  ['PstBx', 'postBox'],
  ['Room', 'room'],
  ['PstCd', 'postCode'],
  ['TwnNm', 'townName'],
  ['TwnLctnNm', 'townLocationName'],
  ['DstrctNm', 'districtName'],
  ['CtrySubDvsn', 'countrySubDivision'],
  ['Ctry', 'country'],
] as const;

function addressOf(element: XNode): PostalAddress {
  const out: Record<string, unknown> = {};
  for (const [tag, key] of ADDRESS_FIELDS) {
    const value = text(element, tag);
    if (value !== undefined) out[key] = value;
  }
  const lines = element.children.filter((c) => c.name === 'AdrLine').map((c) => c.text);
  if (lines.length > 0) out.addressLines = lines;
  return out as PostalAddress;
}

function partyOf(element: XNode, path: string): Party {
  const address = find(element, 'PstlAdr');
  const org = find(element, 'Id') && must(must(element, 'Id'), 'OrgId');
  if (org && org.children.length === 0)
    throw iso20022Error(
      `${path}/Id/OrgId`,
      'an organisation identification needs AnyBIC or LEI (the supported subset)',
    );
  return {
    ...maybe('name', text(element, 'Nm')),
    ...maybe('postalAddress', address && addressOf(address)),
    ...maybe('anyBic', org && text(org, 'AnyBIC')),
    ...maybe('lei', org && text(org, 'LEI')),
    ...maybe('countryOfResidence', text(element, 'CtryOfRes')),
  };
}

function accountOf(element: XNode): Account {
  const id = must(element, 'Id');
  const iban = text(id, 'IBAN');
  return iban !== undefined ? { iban } : { other: text(must(id, 'Othr'), 'Id')! };
}

/** What both transactions share, in schema order up to the agents. */
function commonOf(tx: XNode, path: string) {
  return {
    paymentId: paymentIdOf(must(tx, 'PmtId')),
    settlementAmount: amountOf(must(tx, 'IntrBkSttlmAmt'), `${path}/IntrBkSttlmAmt`),
    settlementDate: text(tx, 'IntrBkSttlmDt')!,
  };
}

function tailOf(tx: XNode) {
  const purpose = find(tx, 'Purp');
  const remittance = find(tx, 'RmtInf');
  return {
    ...maybe('purpose', purpose && text(purpose, 'Cd')),
    ...maybe('remittanceInformation', remittance && text(remittance, 'Ustrd')),
  };
}

const optionalAccount = (tx: XNode, name: string): Account | undefined => {
  const element = find(tx, name);
  return element && accountOf(element);
};

export function customerTransferOf(tx: XNode, path: string): CustomerCreditTransfer {
  const charges = tx.children
    .filter((c) => c.name === 'ChrgsInf')
    .map((c, i) => ({
      amount: amountOf(must(c, 'Amt'), `${path}/ChrgsInf[${i + 1}]/Amt`),
      agent: institutionOf(must(c, 'Agt')),
    }));
  return {
    ...commonOf(tx, path),
    chargeBearer: text(tx, 'ChrgBr') as CustomerCreditTransfer['chargeBearer'],
    ...(charges.length > 0 ? { charges } : {}),
    instructingAgent: institutionOf(must(tx, 'InstgAgt')),
    instructedAgent: institutionOf(must(tx, 'InstdAgt')),
    debtor: partyOf(must(tx, 'Dbtr'), `${path}/Dbtr`),
    ...maybe('debtorAccount', optionalAccount(tx, 'DbtrAcct')),
    debtorAgent: institutionOf(must(tx, 'DbtrAgt')),
    creditorAgent: institutionOf(must(tx, 'CdtrAgt')),
    creditor: partyOf(must(tx, 'Cdtr'), `${path}/Cdtr`),
    ...maybe('creditorAccount', optionalAccount(tx, 'CdtrAcct')),
    ...tailOf(tx),
  };
}

export function institutionTransferOf(tx: XNode, path: string): InstitutionCreditTransfer {
  const agent = (name: string) => {
    const element = find(tx, name);
    return element && institutionOf(element);
  };
  return {
    ...commonOf(tx, path),
    instructingAgent: institutionOf(must(tx, 'InstgAgt')),
    instructedAgent: institutionOf(must(tx, 'InstdAgt')),
    debtor: institutionOf(must(tx, 'Dbtr')),
    ...maybe('debtorAccount', optionalAccount(tx, 'DbtrAcct')),
    ...maybe('debtorAgent', agent('DbtrAgt')),
    ...maybe('creditorAgent', agent('CdtrAgt')),
    creditor: institutionOf(must(tx, 'Cdtr')),
    ...maybe('creditorAccount', optionalAccount(tx, 'CdtrAcct')),
    ...tailOf(tx),
  };
}
