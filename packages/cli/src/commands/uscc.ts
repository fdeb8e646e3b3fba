import { randomInt } from 'node:crypto';
import { PujiangError } from '@pujiang/types';

/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters, a registration
 * authority code, an entity type, a 6-digit administrative division, the 9-character
 * organization code (GB 11714, its own check character last) and a check character over the
 * first 17. A given code is checked; a development network gets generated ones (authority 9,
 * market regulation; type 1, enterprise; division 310115, Pudong, Shanghai).
 */

export type UsccErrorCode = 'ONBOARD_BAD_USCC';

/** The 31 characters a code uses (no I, O, S, V, Z) and their values, in order. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714: the organization code's 8 characters (digits and capitals) and weights. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_BODY = /^[0-9A-Z]{8}$/;

function usccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

function orgCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body[i]!, 36) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Throws ONBOARD_BAD_USCC unless `code` is a well-formed code with both check characters right. */
export function checkUscc(code: string): string {
  const fail = (why: string) =>
    new PujiangError<UsccErrorCode>(
      'ONBOARD_BAD_USCC',
      `${code} is not a unified social credit code: ${why}`,
      {
        uscc: code,
      },
    );
  if (typeof code !== 'string' || code.length !== 18 || [...code].some((c) => !CHARSET.includes(c)))
    throw fail(`18 characters of ${CHARSET}`);
  const orgCode = code.slice(8, 17);
  if (ORG_BODY.test(orgCode.slice(0, 8)) && orgCheck(orgCode.slice(0, 8)) !== orgCode[8])
    throw fail('the organization code check character is wrong');
  if (usccCheck(code.slice(0, 17)) !== code[17]) throw fail('the check character is wrong');
  return code;
}

/** A fresh, valid code for a development network: random organization code, both checks right. */
export function generateUscc(division = '310115'): string {
  let body = '';
  for (let i = 0; i < 8; i++) body += CHARSET[randomInt(CHARSET.length)];
  const first17 = `91${division}${body}${orgCheck(body)}`;
  return `${first17}${usccCheck(first17)}`;
}
