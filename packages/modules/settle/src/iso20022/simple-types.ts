import { currencyDecimals } from './currencies.js';

/**
 * The leaf data types of the supported subset: ISO 20022 types restricted as CBPR+ restricts
 * them. `check` returns the rule a value breaks, or undefined when it is valid.
 */
export interface SimpleType {
  readonly name: string;
  check(value: string): string | undefined;
}

/** CBPR+ FIN X character set (`CBPR_RestrictedFINXMax…Text`): what an MT field carries. */
const FINX = /^[0-9a-zA-Z/\-?:().,'+ ]+$/;
/** CBPR+ extended set (`…_Extended`), for names, addresses and remittance text. */
const EXTENDED = /^[0-9a-zA-Z/\-?:().,'+ !#$%&*=^_`{|}~";<>@[\\\]]+$/;
const FINX_CHARS = "a-z A-Z 0-9 / - ? : ( ) . , ' + and space";

const length = (value: string): number => [...value].length;

function text(name: string, max: number, set: RegExp, setName: string): SimpleType {
  return {
    name,
    check(value) {
      if (value.length === 0) return `${name}: must not be empty`;
      if (!set.test(value)) return `${name}: characters outside the CBPR+ ${setName}`;
      if (length(value) > max) return `${name}: longer than ${max} characters`;
      return undefined;
    },
  };
}

/** `CBPR_RestrictedFINXMax{max}Text`. */
export const finx = (max: number): SimpleType =>
  text(`CBPR_RestrictedFINXMax${max}Text`, max, FINX, `FIN X character set (${FINX_CHARS})`);

/** `CBPR_RestrictedFINXMax{max}Text_Extended`. */
export const extended = (max: number): SimpleType =>
  text(`CBPR_RestrictedFINXMax${max}Text_Extended`, max, EXTENDED, 'extended character set');

/** `CBPR_RestrictedFINXMax16Text` that must not start or end with "/" nor contain "//". */
export const instructionId: SimpleType = {
  name: 'CBPR_RestrictedFINXMax16Text',
  check(value) {
    const base = finx(16).check(value);
    if (base) return base;
    if (value.startsWith('/') || value.endsWith('/') || value.includes('//'))
      return 'CBPR_Instruction_Identification: must not start or end with "/" nor contain "//"';
    return undefined;
  },
};

/** An account's `Othr/Id` (`CBPR_RestrictedFINXMax34Text`): no leading "/" nor "//". */
export const accountId: SimpleType = {
  name: 'CBPR_RestrictedFINXMax34Text',
  check(value) {
    const base = finx(34).check(value);
    if (base) return base;
    if (value.startsWith('/') || value.endsWith('/') || value.includes('//'))
      return 'CBPR_RestrictedFINXMax34Text: must not start or end with "/" nor contain "//"';
    return undefined;
  },
};

export function oneOf(name: string, codes: readonly string[]): SimpleType {
  return {
    name,
    check: (value) => (codes.includes(value) ? undefined : `${name}: must be one of ${codes.join(', ')}`),
  };
}

function pattern(name: string, re: RegExp, shape: string): SimpleType {
  return { name, check: (value) => (re.test(value) ? undefined : `${name}: must match ${shape}`) };
}

/** `BICFIDec2014Identifier`: 4 letters or digits, a 2-letter country, 2 location, optional branch. */
export const bicfi = pattern(
  'BICFIDec2014Identifier',
  /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
  '[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?',
);

/** `AnyBICDec2014Identifier` (the same shape, for a party that is not an agent). */
export const anyBic = pattern(
  'AnyBICDec2014Identifier',
  /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
  '[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?',
);

export const lei = pattern('LEIIdentifier', /^[A-Z0-9]{18}[0-9]{2}$/, '[A-Z0-9]{18}[0-9]{2}');

export const country = pattern('CountryCode', /^[A-Z]{2}$/, '[A-Z]{2}');

/** `UUIDv4Identifier`: the UETR, lower case, version 4, RFC 4122 variant. */
export const uuidv4 = pattern(
  'UUIDv4Identifier',
  /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/,
  'a lower-case version 4 UUID (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx)',
);

/** `IBAN2007Identifier`, and the ISO 13616 check digits (mod 97 = 1). */
export const iban: SimpleType = {
  name: 'IBAN2007Identifier',
  check(value) {
    if (!/^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/.test(value))
      return 'IBAN2007Identifier: must match [A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}';
    const moved = (value.slice(4) + value.slice(0, 4)).toUpperCase();
    let rest = 0;
    for (const c of moved) {
      const digits = c >= 'A' ? String(c.charCodeAt(0) - 55) : c;
      for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
    }
    return rest === 1 ? undefined : 'IBAN2007Identifier: check digits do not verify (ISO 13616 mod 97)';
  },
};

/** An external code (`ExternalPurpose1Code`, ...): 1 to `max` characters, no spaces. */
export const externalCode = (name: string, max: number): SimpleType =>
  pattern(name, new RegExp(`^[A-Za-z0-9]{1,${max}}$`), `1 to ${max} letters or digits`);

const COMMODITIES = ['XAU', 'XAG', 'XPD', 'XPT'];

/** `ActiveCurrencyCode` restricted to active ISO 4217 codes with a minor unit. */
export const currencyCode: SimpleType = {
  name: 'ActiveCurrencyCode',
  check(value) {
    if (!/^[A-Z]{3}$/.test(value)) return 'ActiveCurrencyCode: must match [A-Z]{3}';
    if (COMMODITIES.includes(value))
      return 'CBPR_Interbank_Settlement_Currency: XAU, XAG, XPD and XPT are commodities, not currencies';
    if (currencyDecimals(value) === undefined)
      return 'ActiveCurrencyCode: not an active ISO 4217 currency with a minor unit';
    return undefined;
  },
};

export const fixedOne: SimpleType = {
  name: 'Max15NumericText_fixed',
  check: (value) =>
    value === '1' ? undefined : 'Max15NumericText_fixed: CBPR+ carries exactly one transaction, "1"',
};

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** `ISODate` as CBPR+ uses it: YYYY-MM-DD, a real calendar day, no time zone. */
export const isoDate: SimpleType = {
  name: 'ISODate',
  check(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return 'ISODate: must be YYYY-MM-DD';
    return validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? undefined : 'ISODate: not a calendar date';
  },
};

/** `CBPR_DateTime`: an ISODateTime whose UTC offset is mandatory (no "Z"), at most ±14:00. */
export const cbprDateTime: SimpleType = {
  name: 'CBPR_DateTime',
  check(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([+-])(\d{2}):(\d{2})$/.exec(
      value,
    );
    if (!m) return 'CBPR_DateTime: must be YYYY-MM-DDThh:mm:ss[.s]±hh:mm (the offset is mandatory)';
    const [h, min, s, oh, om] = [m[4], m[5], m[6], m[9], m[10]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return 'CBPR_DateTime: not a calendar date';
    if (h > 23 || min > 59 || s > 59) return 'CBPR_DateTime: not a time of day';
    if (oh > 14 || om > 59 || (oh === 14 && om > 0)) return 'CBPR_DateTime: the offset must be within ±14:00';
    return undefined;
  },
};

/** The decimal lexical form of an amount, split; undefined when it is not a decimal. */
export function splitDecimal(value: string): { whole: string; fraction: string } | undefined {
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(value);
  if (!m || `${m[1]}${m[2] ?? ''}`.length === 0) return undefined;
  return { whole: m[1]!, fraction: m[2] ?? '' };
}

/** `CBPR_Amount`'s value: a decimal ≥ 0, at most 14 digits in all and 5 after the point. */
export const cbprAmount: SimpleType = {
  name: 'CBPR_Amount',
  check(value) {
    const parts = splitDecimal(value);
    if (!parts) return 'CBPR_Amount: must be a decimal number (digits and an optional point, no exponent)';
    if (parts.fraction.length > 5) return 'CBPR_Amount: more than 5 fraction digits';
    if (parts.whole.replace(/^0+/, '').length + parts.fraction.length > 14)
      return 'CBPR_Amount: more than 14 digits in total';
    return undefined;
  },
};
