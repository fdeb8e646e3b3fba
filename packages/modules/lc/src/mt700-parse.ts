import { isPujiangError } from '@pujiang/types';
import { parseSwiftAmount } from './amounts.js';
import { parseApplicationHeader, parseBasicHeader, parseHeaderTags, splitBlocks } from './mt700-blocks.js';
import { type RawField, splitFields } from './mt700-fields.js';
import { parseAvailableWith, parseParty } from './mt700-party.js';
import { checkLine, checkLines, mt700Error, narrative140, parseYymmdd, singleLine } from './mt700-text.js';
import {
  MT700_CONFIRMATION,
  MT700_FORMS,
  MT700_RULES,
  MT700_SHIPMENT_CODES,
  type Mt700Headers,
  type Mt700Message,
  type Mt700ShipmentCode,
  type Mt700Terms,
} from './mt700-types.js';

/**
 * `parseMt700(text)`: an MT700 message to its headers and typed terms, checking every field's
 * format, codes and the standard's rules; anything else is `LC_MT700_INVALID` naming the
 * field and the rule, never another exception.
 */
export function parseMt700(text: string): Mt700Message {
  try {
    return parseUnchecked(text);
  } catch (error) {
    if (isPujiangError(error, 'LC_MT700_INVALID')) throw error;
    // A slip in this code must not escape as a TypeError from a bank's message.
    throw mt700Error(
      'message',
      `unreadable (${error instanceof Error ? error.message.slice(0, 80) : 'error'})`,
    );
  }
}

function oneOf<T extends string>(field: string, value: string, codes: readonly T[]): T {
  if (!(codes as readonly string[]).includes(value))
    throw mt700Error(field, `must be one of ${codes.join(', ')}`);
  return value as T;
}

function parseUnchecked(text: string): Mt700Message {
  const blocks = splitBlocks(text);
  const headers: Mt700Headers = {
    basic: parseBasicHeader(blocks.basic),
    application: parseApplicationHeader(blocks.application),
    ...(blocks.user === undefined ? {} : { user: parseHeaderTags(blocks.user, 'block3') }),
    ...(blocks.trailer === undefined ? {} : { trailer: parseHeaderTags(blocks.trailer, 'block5') }),
  };
  const fields = splitFields(blocks.text);
  return { headers, terms: termsOf(fields) };
}

function termsOf(fields: Map<string, RawField>): Mt700Terms {
  const get = (tag: string): RawField | undefined => fields.get(tag);
  const must = (tag: string): RawField => fields.get(tag)!; // splitFields checked presence
  const lines = (tag: string, maxLines: number, maxLength: number, charset: 'x' | 'z' = 'x') => {
    const f = get(tag);
    return f === undefined ? undefined : checkLines(f.tag, f.lines, maxLines, maxLength, charset);
  };
  const opt = <K extends keyof Mt700Terms>(key: K, value: Mt700Terms[K] | undefined) =>
    value === undefined ? {} : { [key]: value };

  const sequence = singleLine('27', must('27').lines, 3);
  const seq = /^(\d)\/(\d)$/.exec(sequence);
  if (!seq) throw mt700Error('27', 'must be 1!n/1!n');
  if (seq[1] !== '1') throw mt700Error('27', 'number must be 1 in an MT700');
  if (seq[2] === '0' || Number(seq[2]) > 8) throw mt700Error('27', 'total must be 1 to 8');
  if (seq[2] !== '1')
    throw mt700Error('27', 'continuation messages (MT701) are not supported: total must be 1');

  const form = oneOf('40A', singleLine('40A', must('40A').lines, 24), MT700_FORMS);
  const creditNumber = singleLine('20', must('20').lines, 16);
  if (creditNumber.startsWith('/') || creditNumber.endsWith('/') || creditNumber.includes('//'))
    throw mt700Error('20', 'must not start or end with "/" nor contain "//"');
  const preAdvice = get('23');
  const issueDate = parseYymmdd('31C', singleLine('31C', must('31C').lines, 6));

  const rulesLine = singleLine('40E', must('40E').lines, 66);
  const slash = rulesLine.indexOf('/');
  const rules = oneOf('40E', slash < 0 ? rulesLine : rulesLine.slice(0, slash), MT700_RULES);
  const rulesNarrative = slash < 0 ? undefined : rulesLine.slice(slash + 1);
  if (
    rulesNarrative !== undefined &&
    (rules !== 'OTHR' || rulesNarrative.length === 0 || rulesNarrative.length > 35)
  )
    throw mt700Error('40E', 'a narrative (1 to 35 characters) is allowed only with OTHR');

  const expiry = singleLine('31D', must('31D').lines, 35);
  const expiryDate = parseYymmdd('31D', expiry.slice(0, 6));
  const expiryPlace = expiry.slice(6);
  // The line's characters are checked; a place is mid-line, so it may start with any of them.
  if (expiryPlace.length === 0) throw mt700Error('31D', 'place of expiry missing');

  const applicantBank = get('51a');
  const applicant = checkLines('50', must('50').lines, 4, 35, 'x');
  const { beneficiaryAccount, beneficiary } = parseBeneficiary(must('59').lines);
  const amountLine = singleLine('32B', must('32B').lines, 18);
  const currency = amountLine.slice(0, 3);
  if (!/^[A-Z]{3}$/.test(currency)) throw mt700Error('32B', 'currency must be 3!a');
  let amount: bigint;
  try {
    amount = parseSwiftAmount(amountLine.slice(3), currency);
  } catch (error) {
    throw mt700Error('32B', isPujiangError(error) ? error.message : 'bad amount');
  }
  const tolerance = get('39A') === undefined ? undefined : parseTolerance(must('39A').lines);
  const available = must('41a');
  const drawee = get('42a');
  const presentation = get('48') === undefined ? undefined : parsePresentation(must('48').lines);
  const confirmation = oneOf('49', singleLine('49', must('49').lines, 7), MT700_CONFIRMATION);
  const shipment = (tag: string): Mt700ShipmentCode | undefined => {
    const f = get(tag);
    return f === undefined ? undefined : oneOf(tag, singleLine(tag, f.lines, 11), MT700_SHIPMENT_CODES);
  };
  const place = (tag: string) => (get(tag) === undefined ? undefined : narrative140(tag, must(tag).lines));
  const latest = get('44C');
  const party = (tag: string) => {
    const f = get(tag);
    return f === undefined ? undefined : parseParty(f.tag, f.option, f.lines);
  };

  const terms: Mt700Terms = {
    form,
    creditNumber,
    ...opt('preAdviceReference', preAdvice && singleLine('23', preAdvice.lines, 16)),
    issueDate,
    rules,
    ...opt('rulesNarrative', rulesNarrative),
    expiryDate,
    expiryPlace,
    ...opt(
      'applicantBank',
      applicantBank && parseParty(applicantBank.tag, applicantBank.option, applicantBank.lines),
    ),
    applicant,
    ...opt('beneficiaryAccount', beneficiaryAccount),
    beneficiary,
    currency,
    amount,
    ...opt('tolerance', tolerance),
    ...opt('additionalAmounts', lines('39C', 4, 35)),
    availableWith: parseAvailableWith(available.tag, available.option, available.lines),
    ...opt('draftsAt', lines('42C', 3, 35)),
    ...opt('drawee', drawee && parseParty(drawee.tag, drawee.option, drawee.lines)),
    ...opt('mixedPaymentDetails', lines('42M', 4, 35)),
    ...opt('negotiationDeferredPaymentDetails', lines('42P', 4, 35)),
    ...opt('partialShipments', shipment('43P')),
    ...opt('transhipment', shipment('43T')),
    ...opt('placeOfReceipt', place('44A')),
    ...opt('portOfLoading', place('44E')),
    ...opt('portOfDischarge', place('44F')),
    ...opt('placeOfDelivery', place('44B')),
    ...opt('latestShipmentDate', latest && parseYymmdd('44C', singleLine('44C', latest.lines, 6))),
    ...opt('shipmentPeriod', lines('44D', 6, 65)),
    ...opt('goods', lines('45A', 100, 65, 'z')),
    ...opt('documentsRequired', lines('46A', 100, 65, 'z')),
    ...opt('additionalConditions', lines('47A', 100, 65, 'z')),
    ...opt('specialPaymentConditionsBeneficiary', lines('49G', 100, 65, 'z')),
    ...opt('specialPaymentConditionsReceivingBank', lines('49H', 100, 65, 'z')),
    ...opt('charges', lines('71D', 6, 35, 'z')),
    ...opt('presentationPeriodDays', presentation?.days),
    ...opt('presentationPeriodNarrative', presentation?.narrative),
    confirmation,
    ...opt('requestedConfirmationParty', party('58a')),
    ...opt('reimbursingBank', party('53a')),
    ...opt('instructionsToBank', lines('78', 12, 65)),
    ...opt('adviseThroughBank', party('57a')),
    ...opt('senderToReceiverInformation', lines('72Z', 6, 35, 'z')),
  };
  checkRules(terms);
  return terms;
}

function parseBeneficiary(lines: readonly string[]): { beneficiaryAccount?: string; beneficiary: string[] } {
  if (lines[0]?.startsWith('/')) {
    checkLine('59', lines[0], 35, 'x');
    const account = lines[0].slice(1);
    if (account.length === 0 || account.startsWith('/')) throw mt700Error('59', 'account must be /34x');
    return { beneficiaryAccount: account, beneficiary: checkLines('59', lines.slice(1), 4, 35, 'x') };
  }
  return { beneficiary: checkLines('59', lines, 4, 35, 'x') };
}

function parseTolerance(lines: readonly string[]): { plus: number; minus: number } {
  const m = /^(\d{1,2})\/(\d{1,2})$/.exec(singleLine('39A', lines, 5));
  if (!m) throw mt700Error('39A', 'must be 2n/2n (percent plus / percent minus)');
  return { plus: Number(m[1]), minus: Number(m[2]) };
}

function parsePresentation(lines: readonly string[]): { days: number; narrative?: string } {
  const m = /^(\d{1,3})(?:\/(.*))?$/.exec(singleLine('48', lines, 39));
  if (!m) throw mt700Error('48', 'must be 3n[/35x] (days, then an optional narrative)');
  const narrative = m[2];
  if (narrative !== undefined && (narrative.length === 0 || narrative.length > 35))
    throw mt700Error('48', 'narrative must be 1 to 35 characters');
  return { days: Number(m[1]), ...(narrative === undefined ? {} : { narrative }) };
}

/** The network validated rules of MT700 (C1 to C3) and the usage rules the module relies on. */
function checkRules(t: Mt700Terms): void {
  const drafts = t.draftsAt !== undefined;
  const drawee = t.drawee !== undefined;
  if (drafts !== drawee)
    throw mt700Error(drafts ? '42a' : '42C', 'fields 42C and 42a must both be present (C1)');
  const payment = [
    drafts,
    t.mixedPaymentDetails !== undefined,
    t.negotiationDeferredPaymentDetails !== undefined,
  ];
  if (payment.filter(Boolean).length > 1)
    throw mt700Error(
      t.mixedPaymentDetails !== undefined ? '42M' : '42P',
      'only one of 42C with 42a, 42M or 42P may be present (C2)',
    );
  if (t.latestShipmentDate !== undefined && t.shipmentPeriod !== undefined)
    throw mt700Error('44D', 'either 44C or 44D may be present, not both (C3)');
  if (t.confirmation !== 'WITHOUT' && t.requestedConfirmationParty === undefined)
    throw mt700Error('58a', 'must be present when 49 is CONFIRM or MAY ADD');
  if (t.availableWith.by === 'BY MIXED PYMT' && t.mixedPaymentDetails === undefined)
    throw mt700Error('42M', 'must be present when the credit is available BY MIXED PYMT');
  if (t.availableWith.by === 'BY DEF PAYMENT' && t.negotiationDeferredPaymentDetails === undefined)
    throw mt700Error('42P', 'must be present when the credit is available BY DEF PAYMENT');
}
