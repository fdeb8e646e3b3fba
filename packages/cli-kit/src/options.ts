import { PujiangError } from '@pujiang/types';

/** A string option that must be present (and non-empty unless `allowEmpty`). */
export function required(values: Record<string, unknown>, name: string, allowEmpty = false): string {
  const value = values[name];
  if (typeof value !== 'string' || (value === '' && !allowEmpty)) {
    throw new PujiangError('CLI_MISSING_OPTION', `--${name} is required`, { option: name });
  }
  return value;
}

/** An optional integer option within bounds. */
export function intOption(
  values: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new PujiangError('CLI_USAGE', `--${name} must be an integer from ${min} to ${max}`, {
      option: name,
    });
  }
  return Number(value);
}
