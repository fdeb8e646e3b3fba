import { isPujiangError } from '@pujiang/types';
import { formatSwiftAmount } from './amounts.js';
import { formatHeaders, formatTrailer } from './mt700-blocks.js';
import { joinFields } from './mt700-fields.js';
import { parseMt700 } from './mt700-parse.js';
import { formatAvailableWith, formatParty } from './mt700-party.js';
import { formatYymmdd, mt700Error } from './mt700-text.js';
import type { Mt700Headers, Mt700Message, Mt700Party, Mt700Terms } from './mt700-types.js';

/**
 * `formatMt700(terms, headers)`: the canonical MT700 text (CRLF line ends, fields in the
 * standard's order, amounts with all the currency's decimals). The text is parsed back and
 * must give exactly the terms and headers it was made from, so whatever `formatMt700`
 * returns `parseMt700` reads, and bad terms are refused naming their field.
 */

/** Each term's field, to name it when the terms are not what their text reads back as. */
const FIELD_OF: Readonly<Record<keyof Mt700Terms, string>> = {
  form: '40A',
  creditNumber: '20',
  preAdviceReference: '23',
  issueDate: '31C',
  rules: '40E',
  rulesNarrative: '40E',
  expiryDate: '31D',
  expiryPlace: '31D',
  applicantBank: '51a',
  applicant: '50',
  beneficiaryAccount: '59',
  beneficiary: '59',
  currency: '32B',
  amount: '32B',
  tolerance: '39A',
  additionalAmounts: '39C',
  availableWith: '41a',
  draftsAt: '42C',
  drawee: '42a',
  mixedPaymentDetails: '42M',
  negotiationDeferredPaymentDetails: '42P',
  partialShipments: '43P',
  transhipment: '43T',
  placeOfReceipt: '44A',
  portOfLoading: '44E',
  portOfDischarge: '44F',
  placeOfDelivery: '44B',
  latestShipmentDate: '44C',
  shipmentPeriod: '44D',
  goods: '45A',
  documentsRequired: '46A',
  additionalConditions: '47A',
  specialPaymentConditionsBeneficiary: '49G',
  specialPaymentConditionsReceivingBank: '49H',
  charges: '71D',
  presentationPeriodDays: '48',
  presentationPeriodNarrative: '48',
  confirmation: '49',
  requestedConfirmationParty: '58a',
  reimbursingBank: '53a',
  instructionsToBank: '78',
  adviseThroughBank: '57a',
  senderToReceiverInformation: '72Z',
};

function textLines(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((line) => typeof line !== 'string'))
    throw mt700Error(field, 'must be a list of lines');
  return value as string[];
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw mt700Error(field, 'must be text');
  return value;
}

/** The text block's fields of the terms, in the standard's order. */
function fieldsOf(t: Mt700Terms): [string, string[]][] {
  const out: [string, string[]][] = [['27', ['1/1']]];
  const add = (tag: string, lines: string[] | undefined) => {
    if (lines !== undefined) out.push([tag, lines]);
  };
  const lines = (tag: string, value: unknown) => (value === undefined ? undefined : textLines(tag, value));
  const party = (tag: string, value: Mt700Party | undefined) => {
    if (value !== undefined) out.push(formatParty(tag, value));
  };
  add('40A', [text('40A', t.form)]);
  add('20', [text('20', t.creditNumber)]);
  add('23', t.preAdviceReference === undefined ? undefined : [text('23', t.preAdviceReference)]);
  add('31C', [formatYymmdd('31C', t.issueDate)]);
  const narrative = t.rulesNarrative === undefined ? '' : `/${text('40E', t.rulesNarrative)}`;
  add('40E', [text('40E', t.rules) + narrative]);
  add('31D', [formatYymmdd('31D', t.expiryDate) + text('31D', t.expiryPlace)]);
  party('51a', t.applicantBank);
  add('50', textLines('50', t.applicant));
  const account = t.beneficiaryAccount === undefined ? [] : [`/${text('59', t.beneficiaryAccount)}`];
  add('59', [...account, ...textLines('59', t.beneficiary)]);
  let amount: string;
  try {
    amount = formatSwiftAmount(t.amount, text('32B', t.currency));
  } catch (error) {
    throw mt700Error('32B', isPujiangError(error) ? error.message : 'bad amount');
  }
  add('32B', [t.currency + amount]);
  if (t.tolerance !== undefined) {
    if (typeof t.tolerance !== 'object' || t.tolerance === null)
      throw mt700Error('39A', 'must be {plus, minus}');
    add('39A', [`${t.tolerance.plus}/${t.tolerance.minus}`]);
  }
  add('39C', lines('39C', t.additionalAmounts));
  out.push(formatAvailableWith(t.availableWith));
  add('42C', lines('42C', t.draftsAt));
  party('42a', t.drawee);
  add('42M', lines('42M', t.mixedPaymentDetails));
  add('42P', lines('42P', t.negotiationDeferredPaymentDetails));
  add('43P', t.partialShipments === undefined ? undefined : [text('43P', t.partialShipments)]);
  add('43T', t.transhipment === undefined ? undefined : [text('43T', t.transhipment)]);
  const place = (tag: string, value: string | undefined) =>
    add(tag, value === undefined ? undefined : text(tag, value).split('\n'));
  place('44A', t.placeOfReceipt);
  place('44E', t.portOfLoading);
  place('44F', t.portOfDischarge);
  place('44B', t.placeOfDelivery);
  add('44C', t.latestShipmentDate === undefined ? undefined : [formatYymmdd('44C', t.latestShipmentDate)]);
  add('44D', lines('44D', t.shipmentPeriod));
  add('45A', lines('45A', t.goods));
  add('46A', lines('46A', t.documentsRequired));
  add('47A', lines('47A', t.additionalConditions));
  add('49G', lines('49G', t.specialPaymentConditionsBeneficiary));
  add('49H', lines('49H', t.specialPaymentConditionsReceivingBank));
  add('71D', lines('71D', t.charges));
  if (t.presentationPeriodDays !== undefined || t.presentationPeriodNarrative !== undefined) {
    const tail =
      t.presentationPeriodNarrative === undefined ? '' : `/${text('48', t.presentationPeriodNarrative)}`;
    add('48', [`${t.presentationPeriodDays}${tail}`]);
  }
  add('49', [text('49', t.confirmation)]);
  party('58a', t.requestedConfirmationParty);
  party('53a', t.reimbursingBank);
  add('78', lines('78', t.instructionsToBank));
  party('57a', t.adviseThroughBank);
  add('72Z', lines('72Z', t.senderToReceiverInformation));
  return out;
}

/** One text per value, bigints included, object keys sorted: equal values give equal texts. */
function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function firstDifference(
  made: Mt700Message,
  given: { terms: Mt700Terms; headers: Mt700Headers },
): string | undefined {
  const terms = given.terms as unknown as Record<string, unknown>;
  const back = made.terms as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(terms), ...Object.keys(back)])) {
    if (canonical(terms[key]) !== canonical(back[key]))
      return FIELD_OF[key as keyof Mt700Terms] ?? `${key.slice(0, 40)} (not a term of MT700)`;
  }
  const headers = given.headers as unknown as Record<string, unknown>;
  const names: Record<string, string> = {
    basic: 'block1',
    application: 'block2',
    user: 'block3',
    trailer: 'block5',
  };
  for (const key of new Set([...Object.keys(headers), ...Object.keys(made.headers)])) {
    if (canonical(headers[key]) !== canonical((made.headers as unknown as Record<string, unknown>)[key]))
      return names[key] ?? `${key.slice(0, 40)} (not a header)`;
  }
  return undefined;
}

export function formatMt700(terms: Mt700Terms, headers: Mt700Headers): string {
  if (typeof terms !== 'object' || terms === null) throw mt700Error('message', 'terms must be an object');
  let message: string;
  try {
    const textBlock = joinFields(fieldsOf(terms)).join('\r\n');
    message = `${formatHeaders(headers)}{4:\r\n${textBlock}\r\n-}${formatTrailer(headers)}`;
  } catch (error) {
    if (isPujiangError(error, 'LC_MT700_INVALID')) throw error;
    throw mt700Error('message', 'terms or headers are malformed');
  }
  const back = parseMt700(message);
  const differs = firstDifference(back, { terms, headers });
  if (differs !== undefined)
    throw mt700Error(differs, 'not in canonical form: the message would read back differently');
  return message;
}
