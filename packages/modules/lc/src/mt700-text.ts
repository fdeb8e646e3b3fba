import { PujiangError } from '@pujiang/types';
import { dayFromCivil, isoFromDay, isValidCivil } from './calendar-days.js';

/**
 * The text rules of SWIFT MT fields: the X and Z character sets, `n*m` line limits, YYMMDD
 * dates, and the one error every refusal of an MT700 raises: `LC_MT700_INVALID` with
 * `details.field` (the tag, `block1`... for headers, `message` for the whole) and
 * `details.reason`.
 */

export function mt700Error(field: string, reason: string): PujiangError {
  return new PujiangError('LC_MT700_INVALID', `MT700 field ${field}: ${reason}`, { field, reason });
}

/** SWIFT X: letters, digits, / - ? : ( ) . , ' + and space. */
const X_CHARS = "A-Za-z0-9/\\-?:().,'+ ";
/** SWIFT Z: X plus = ! " % & * < > ; { @ # _ (narrative fields since November 2018). */
const Z_CHARS = `${X_CHARS}=!"%&*<>;{@#_`;
const X_LINE = new RegExp(`^[${X_CHARS}]*$`);
const Z_LINE = new RegExp(`^[${Z_CHARS}]*$`);

export type Charset = 'x' | 'z';

/** A line of a field: non-empty, in the character set, not starting with `:` or `-`. */
export function checkLine(field: string, line: string, max: number, charset: Charset): string {
  if (line.length === 0) throw mt700Error(field, 'empty line');
  if (line.length > max) throw mt700Error(field, `line longer than ${max} characters`);
  if (!(charset === 'x' ? X_LINE : Z_LINE).test(line))
    throw mt700Error(field, `character outside the SWIFT ${charset.toUpperCase()} set`);
  if (line[0] === ':' || line[0] === '-') throw mt700Error(field, 'a line must not start with ":" or "-"');
  return line;
}

/** `n*m`: one to `maxLines` lines of at most `maxLength` characters. */
export function checkLines(
  field: string,
  lines: readonly string[],
  maxLines: number,
  maxLength: number,
  charset: Charset,
): string[] {
  if (lines.length === 0) throw mt700Error(field, 'no content');
  if (lines.length > maxLines) throw mt700Error(field, `more than ${maxLines} lines`);
  return lines.map((line) => checkLine(field, line, maxLength, charset));
}

/** A single-line value (`16x`, `24x`, ...). */
export function singleLine(
  field: string,
  lines: readonly string[],
  max: number,
  charset: Charset = 'x',
): string {
  return checkLines(field, lines, 1, max, charset)[0]!;
}

/**
 * `140z`: up to 140 characters that may wrap over lines; a line break counts as the two
 * characters CrLf it is on the network. Kept as one string with `\n` between lines.
 */
export function narrative140(field: string, lines: readonly string[]): string {
  checkLines(field, lines, 70, 140, 'z');
  const text = lines.join('\n');
  if (text.length + (lines.length - 1) > 140) throw mt700Error(field, 'longer than 140 characters');
  return text;
}

/** YYMMDD to `20YY-MM-DD`. */
export function parseYymmdd(field: string, text: string): string {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw mt700Error(field, 'date must be YYMMDD');
  const [year, month, day] = [2000 + Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isValidCivil(year, month, day)) throw mt700Error(field, `${text} is not a valid date`);
  return isoFromDay(dayFromCivil(year, month, day));
}

/** `20YY-MM-DD` to YYMMDD (the message has two digits of year: 2000 to 2099 only). */
export function formatYymmdd(field: string, iso: unknown): string {
  const m = typeof iso === 'string' ? /^20(\d{2})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m || !isValidCivil(Number(`20${m[1]}`), Number(m[2]), Number(m[3])))
    throw mt700Error(field, 'date must be YYYY-MM-DD in 2000..2099');
  return `${m[1]}${m[2]}${m[3]}`;
}

/** BIC: 4!a2!a2!c[3!c]. */
export const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

/**
 * The items of a narrative such as 46A Documents Required: a line starting with `+`, or with
 * a number and `)` or `.`, starts an item; other lines continue the one before.
 */
export function documentItems(lines: readonly string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    const marker = /^(?:\+\s*|\d{1,3}[).]\s*)/.exec(line);
    if (marker !== null || items.length === 0) items.push(line.slice(marker?.[0].length ?? 0).trim());
    else items[items.length - 1] = `${items[items.length - 1]} ${line.trim()}`.trim();
  }
  return items.filter((item) => item.length > 0);
}
