import { BIC, checkLine, checkLines, mt700Error } from './mt700-text.js';
import {
  MT700_AVAILABLE_BY,
  type Mt700AvailableBy,
  type Mt700AvailableWith,
  type Mt700Party,
} from './mt700-types.js';

/**
 * Bank fields. Options A (`[/1!a][/34x]` then a BIC), B (`[/1!a][/34x]` then `[35x]`
 * location) and D (`[/1!a][/34x]` then `4*35x` name and address); a first line starting with
 * `/` is the party identifier. 41a has A (BIC) or D (`4*35x`) followed by a `14x` code.
 */

/** `[/1!a][/34x]`: `/D/123456`, `/123456` (never `//...`). */
function partyIdentifier(field: string, line: string): string {
  checkLine(field, line, 37, 'x');
  const rest = line.slice(1);
  const withCode = /^[A-Za-z]\/./.test(rest);
  if (rest.length === 0 || rest.startsWith('/') || rest.length > (withCode ? 36 : 34))
    throw mt700Error(field, 'party identifier must be /1!a/34x or /34x');
  return line;
}

function bic(field: string, line: string | undefined): string {
  if (line === undefined || !BIC.test(line))
    throw mt700Error(field, 'identifier code must be a BIC (4!a2!a2!c[3!c])');
  return line;
}

export function parseParty(field: string, option: string, lines: readonly string[]): Mt700Party {
  const hasIdentifier = lines[0]?.startsWith('/') === true;
  const identifier = hasIdentifier ? { partyIdentifier: partyIdentifier(field, lines[0]!) } : {};
  const rest = hasIdentifier ? lines.slice(1) : [...lines];
  if (option === 'A') {
    if (rest.length !== 1) throw mt700Error(field, 'option A is an optional party identifier line and a BIC');
    return { option: 'A', ...identifier, bic: bic(field, rest[0]) };
  }
  if (option === 'B') {
    if (rest.length > 1) throw mt700Error(field, 'option B is a party identifier line and a location line');
    if (rest.length === 0 && !hasIdentifier) throw mt700Error(field, 'no content');
    const location = rest.length === 1 ? { location: checkLine(field, rest[0]!, 35, 'x') } : {};
    return { option: 'B', ...identifier, ...location };
  }
  if (rest[0]?.startsWith('/')) throw mt700Error(field, 'name and address must not start with "/"');
  return { option: 'D', ...identifier, nameAddress: checkLines(field, rest, 4, 35, 'x') };
}

function tagOf(field: string, option: string): string {
  return field.slice(0, 2) + option;
}

/** A party to `[tag as written, lines]`; its validity is checked when the text is parsed back. */
export function formatParty(field: string, party: Mt700Party): [string, string[]] {
  if (typeof party !== 'object' || party === null) throw mt700Error(field, 'party must be an object');
  const head = party.partyIdentifier === undefined ? [] : [String(party.partyIdentifier)];
  switch (party.option) {
    case 'A':
      return [tagOf(field, 'A'), [...head, String(party.bic)]];
    case 'B':
      return [
        tagOf(field, 'B'),
        [...head, ...(party.location === undefined ? [] : [String(party.location)])],
      ];
    case 'D':
      if (!Array.isArray(party.nameAddress))
        throw mt700Error(field, 'name and address must be a list of lines');
      return [tagOf(field, 'D'), [...head, ...party.nameAddress.map(String)]];
    default:
      throw mt700Error(field, 'party option must be A, B or D');
  }
}

function availableBy(field: string, line: string | undefined): Mt700AvailableBy {
  if (line === undefined || !(MT700_AVAILABLE_BY as readonly string[]).includes(line))
    throw mt700Error(field, `code must be one of ${MT700_AVAILABLE_BY.join(', ')}`);
  return line as Mt700AvailableBy;
}

export function parseAvailableWith(
  field: string,
  option: string,
  lines: readonly string[],
): Mt700AvailableWith {
  if (option === 'A') {
    if (lines.length !== 2) throw mt700Error(field, 'option A is a BIC line and a code line');
    return { option: 'A', bic: bic(field, lines[0]), by: availableBy(field, lines[1]) };
  }
  if (lines.length < 2 || lines.length > 5)
    throw mt700Error(field, 'option D is 1 to 4 lines of name and address and a code line');
  const nameAddress = checkLines(field, lines.slice(0, -1), 4, 35, 'x');
  return { option: 'D', nameAddress, by: availableBy(field, lines[lines.length - 1]) };
}

export function formatAvailableWith(value: Mt700AvailableWith): [string, string[]] {
  if (typeof value !== 'object' || value === null) throw mt700Error('41a', 'must be an object');
  if (value.option === 'A') return ['41A', [String(value.bic), String(value.by)]];
  if (value.option === 'D' && Array.isArray(value.nameAddress))
    return ['41D', [...value.nameAddress.map(String), String(value.by)]];
  throw mt700Error('41a', 'option must be A (with bic) or D (with nameAddress lines)');
}
