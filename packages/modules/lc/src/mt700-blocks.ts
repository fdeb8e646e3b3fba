import { isValidCivil } from './calendar-days.js';
import { mt700Error } from './mt700-text.js';
import type {
  Mt700BasicHeader,
  Mt700Headers,
  Mt700HeaderTag,
  Mt700InputHeader,
  Mt700OutputHeader,
} from './mt700-types.js';

/**
 * The envelope of a FIN message: `{1:...}{2:...}[{3:...}]{4:\r\n...\r\n-}[{5:...}]`. The
 * text block ends at the first line that is `-}`: no field line may start with `-`.
 */

/** Bounds the work on any input: far above an MT700's 10,000 characters of text. */
export const MAX_MESSAGE_CHARS = 65_536;
/** The most text an MT700's block 4 may hold (CrLf counting as two). */
export const MAX_TEXT_BLOCK_CHARS = 10_000;

export interface RawBlocks {
  basic: string;
  application: string;
  user?: string;
  /** The text block's lines, without the opening and closing ones. */
  text: string[];
  trailer?: string;
}

/** Splits a message into its blocks; CRLF and LF line ends are both accepted. */
export function splitBlocks(message: unknown): RawBlocks {
  if (typeof message !== 'string') throw mt700Error('message', 'a message is text');
  if (message.length > MAX_MESSAGE_CHARS)
    throw mt700Error('message', `longer than ${MAX_MESSAGE_CHARS} characters`);
  const input = message.replace(/\r\n/g, '\n').trim();
  if (input.includes('\r')) throw mt700Error('message', 'a carriage return outside a CRLF line end');
  let at = 0;
  const open = (n: string): boolean => input.startsWith(`{${n}:`, at);
  const simple = (n: string, name: string): string => {
    if (!open(n)) throw mt700Error(name, `block ${n} missing where expected`);
    const end = input.indexOf('}', at);
    const body = end < 0 ? '' : input.slice(at + 3, end);
    if (end < 0 || body.includes('{')) throw mt700Error(name, `block ${n} is not closed`);
    at = end + 1;
    return body;
  };
  const tagged = (n: string, name: string): string => {
    const start = at;
    at += 3;
    while (input[at] === '{') {
      const end = input.indexOf('}', at);
      if (end < 0) throw mt700Error(name, `block ${n} is not closed`);
      at = end + 1;
    }
    if (input[at] !== '}') throw mt700Error(name, `block ${n} is not closed`);
    at += 1;
    return input.slice(start + 3, at - 1);
  };
  const basic = simple('1', 'block1');
  const application = simple('2', 'block2');
  const user = open('3') ? tagged('3', 'block3') : undefined;
  if (!input.startsWith('{4:\n', at))
    throw mt700Error('block4', 'block 4 must open with "{4:" and a line end');
  const end = input.indexOf('\n-}', at + 3);
  if (end < 0) throw mt700Error('block4', 'block 4 must end with a line "-}"');
  const textBody = input.slice(at + 4, end);
  at = end + 3;
  const trailer = open('5') ? tagged('5', 'block5') : undefined;
  if (at !== input.length) throw mt700Error('message', 'text after the last block');
  const text = textBody.length === 0 ? [] : textBody.split('\n');
  const crlfLength = textBody.length + text.length - 1;
  if (crlfLength > MAX_TEXT_BLOCK_CHARS)
    throw mt700Error('block4', `text longer than ${MAX_TEXT_BLOCK_CHARS} characters`);
  return {
    basic,
    application,
    text,
    ...(user === undefined ? {} : { user }),
    ...(trailer === undefined ? {} : { trailer }),
  };
}

const LOGICAL_TERMINAL = /^[A-Z]{6}[A-Z0-9]{2}[A-Z0-9][A-Z0-9]{3}$/;

const isYymmdd = (s: string): boolean =>
  /^\d{6}$/.test(s) &&
  isValidCivil(2000 + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)));
const isHhmm = (s: string): boolean =>
  /^\d{4}$/.test(s) && Number(s.slice(0, 2)) < 24 && Number(s.slice(2)) < 60;

export function parseBasicHeader(body: string): Mt700BasicHeader {
  const m = /^([FAL])(\d{2})([A-Z0-9]{12})(\d{4})(\d{6})$/.exec(body);
  if (!m) throw mt700Error('block1', 'basic header must be F01 + logical terminal + session + sequence');
  const [, applicationId, serviceId, logicalTerminal, session, sequence] = m as unknown as string[];
  if (!LOGICAL_TERMINAL.test(logicalTerminal!))
    throw mt700Error('block1', 'logical terminal is not a BIC address');
  return {
    applicationId: applicationId as Mt700BasicHeader['applicationId'],
    serviceId: serviceId!,
    logicalTerminal: logicalTerminal!,
    session: session!,
    sequence: sequence!,
  };
}

export function parseApplicationHeader(body: string): Mt700InputHeader | Mt700OutputHeader {
  const input = /^I(\d{3})([A-Z0-9]{12})(?:([SNU])(?:([123])(\d{3})?)?)?$/.exec(body);
  if (input) {
    const [, type, receiver, priority, monitoring, obsolescence] = input;
    if (type !== '700') throw mt700Error('block2', `message type ${type}, not 700`);
    if (!LOGICAL_TERMINAL.test(receiver!)) throw mt700Error('block2', 'receiver is not a BIC address');
    return {
      direction: 'input',
      receiver: receiver!,
      ...(priority === undefined ? {} : { priority: priority as 'S' | 'N' | 'U' }),
      ...(monitoring === undefined ? {} : { deliveryMonitoring: monitoring as '1' | '2' | '3' }),
      ...(obsolescence === undefined ? {} : { obsolescencePeriod: obsolescence }),
    };
  }
  const output = /^O(\d{3})(\d{4})(\d{6})([A-Z0-9]{12})(\d{4})(\d{6})(\d{6})(\d{4})([SNU])?$/.exec(body);
  if (!output) throw mt700Error('block2', 'application header is neither the input nor the output form');
  const [, type, inputTime, inputDate, sender, session, sequence, outputDate, outputTime, priority] =
    output as unknown as string[];
  if (type !== '700') throw mt700Error('block2', `message type ${type}, not 700`);
  if (!LOGICAL_TERMINAL.test(sender!)) throw mt700Error('block2', 'sender is not a BIC address');
  if (!isHhmm(inputTime!) || !isHhmm(outputTime!)) throw mt700Error('block2', 'a time is not HHMM');
  if (!isYymmdd(inputDate!) || !isYymmdd(outputDate!)) throw mt700Error('block2', 'a date is not YYMMDD');
  return {
    direction: 'output',
    inputTime: inputTime!,
    inputDate: inputDate!,
    senderLogicalTerminal: sender!,
    senderSession: session!,
    senderSequence: sequence!,
    outputDate: outputDate!,
    outputTime: outputTime!,
    ...(priority === undefined ? {} : { priority: priority as 'S' | 'N' | 'U' }),
  };
}

/** `{108:MUR}{121:...}` (block 3, numeric tags) or `{CHK:...}` (block 5, letter tags). */
export function parseHeaderTags(body: string, block: 'block3' | 'block5'): Mt700HeaderTag[] {
  const tagPattern = block === 'block3' ? /^\d{3}$/ : /^[A-Z]{3}$/;
  const tags: Mt700HeaderTag[] = [];
  const re = /\{([^{}:]*):([^{}]*)\}/y;
  let m = re.exec(body);
  while (m !== null) {
    const [, tag, value] = m as unknown as [string, string, string];
    if (!tagPattern.test(tag)) throw mt700Error(block, `tag ${tag.slice(0, 8)} is not a ${block} tag`);
    if (value.length > 200 || !/^[\x20-\x7e]*$/.test(value))
      throw mt700Error(block, `tag ${tag}: value must be printable ASCII, at most 200 characters`);
    tags.push({ tag, value });
    if (re.lastIndex === body.length) break;
    m = re.exec(body);
  }
  if (tags.length === 0 || re.lastIndex !== body.length)
    throw mt700Error(block, 'must be a sequence of {tag:value}');
  return tags;
}

export function formatHeaders(headers: Mt700Headers): string {
  if (typeof headers !== 'object' || headers === null) throw mt700Error('block1', 'headers are missing');
  const b = headers.basic ?? ({} as Mt700BasicHeader);
  const basic = `{1:${b.applicationId}${b.serviceId}${b.logicalTerminal}${b.session}${b.sequence}}`;
  const a = headers.application ?? ({} as Mt700InputHeader);
  const application =
    a.direction === 'output'
      ? `{2:O700${a.inputTime}${a.inputDate}${a.senderLogicalTerminal}${a.senderSession}${a.senderSequence}${a.outputDate}${a.outputTime}${a.priority ?? ''}}`
      : `{2:I700${a.receiver}${a.priority ?? ''}${a.deliveryMonitoring ?? ''}${a.obsolescencePeriod ?? ''}}`;
  const tags = (list: Mt700HeaderTag[] | undefined, n: string): string => {
    if (list === undefined) return '';
    if (!Array.isArray(list)) throw mt700Error(`block${n}`, 'tags must be a list');
    return `{${n}:${list.map((t) => `{${t?.tag}:${t?.value}}`).join('')}}`;
  };
  return basic + application + tags(headers.user, '3');
}

export function formatTrailer(headers: Mt700Headers): string {
  const list = headers.trailer;
  if (list === undefined) return '';
  if (!Array.isArray(list)) throw mt700Error('block5', 'tags must be a list');
  return `{5:${list.map((t) => `{${t?.tag}:${t?.value}}`).join('')}}`;
}

/** The sending and receiving banks' BIC11 (the issuing bank sends an MT700 to the advising bank). */
export function mt700Banks(headers: Mt700Headers): { sender: string; receiver: string } {
  const bic11 = (lt: string): string => lt.slice(0, 8) + lt.slice(9, 12);
  const a = headers.application;
  return a.direction === 'input'
    ? { sender: bic11(headers.basic.logicalTerminal), receiver: bic11(a.receiver) }
    : { sender: bic11(a.senderLogicalTerminal), receiver: bic11(headers.basic.logicalTerminal) };
}
