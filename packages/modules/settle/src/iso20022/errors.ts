import { isPujiangError, PujiangError } from '@pujiang/types';

/** The one code every refused ISO 20022 message or model carries. */
export const ISO20022_INVALID = 'SETTLE_ISO20022_INVALID';

/**
 * A refusal naming the element (or attribute, `/@Ccy`) that failed, as a path from
 * `Document`, and the rule it broke; `details.value` echoes a short prefix of the bad value.
 */
export function iso20022Error(path: string, rule: string, value?: string): PujiangError {
  const details: Record<string, unknown> = { path, rule };
  if (value !== undefined) details.value = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return new PujiangError(ISO20022_INVALID, `${path}: ${rule}`, details);
}

/**
 * Runs `body`, letting our refusals through and turning anything else (a slip of this code,
 * the XML library's own exception, a stack overflow) into a refusal of the whole message.
 */
export function refusingOthers<T>(path: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (isPujiangError(error, ISO20022_INVALID)) throw error;
    const why = error instanceof Error ? error.message.slice(0, 80) : 'error';
    throw iso20022Error(path, `unreadable (${why})`);
  }
}
