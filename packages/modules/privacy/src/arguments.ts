import { invalidArgument } from '@pujiang/types';
import { ID_PATTERN } from './formats.js';

/**
 * Checks of what callers pass to the privacy client calls and verifiers: a malformed
 * argument is `SDK_INVALID_ARGUMENT` naming it, before anything is computed or sent.
 */
export function idArgument(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value))
    throw invalidArgument(
      `${parameter} is 1-64 of a-z 0-9 . _ - (starting with a letter or digit)`,
      parameter,
    );
  return value;
}

export function naturalArgument(value: unknown, parameter: string): bigint {
  if (typeof value !== 'bigint' || value < 0n)
    throw invalidArgument(`${parameter} is a bigint from 0`, parameter);
  return value;
}

export function intArgument(value: unknown, parameter: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw invalidArgument(`${parameter} is a whole number from ${min} to ${max}`, parameter);
  return value;
}

export function hexArgument(value: unknown, parameter: string, bytes?: number): string {
  if (
    typeof value !== 'string' ||
    !/^([0-9a-f]{2})+$/.test(value) ||
    (bytes !== undefined && value.length !== 2 * bytes)
  )
    throw invalidArgument(
      `${parameter} is ${bytes === undefined ? '' : `${bytes} bytes of `}lowercase hex`,
      parameter,
    );
  return value;
}

export function textArgument(value: unknown, parameter: string, max: number): string {
  if (typeof value !== 'string' || value.length > max)
    throw invalidArgument(`${parameter} is text of at most ${max} characters`, parameter);
  return value;
}

export function recordArgument<T extends object>(value: unknown, parameter: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument(`${parameter} must be an object`, parameter);
  return value as T;
}
