import { type Codec, CodecError, encode } from '@pujiang/codec';
import {
  ADDRESS_LENGTH,
  HASH_ALGORITHMS,
  type HashAlgorithm,
  isSuiteId,
  type KeyPair,
} from '@pujiang/crypto';
import { hexToBytes, invalidArgument } from '@pujiang/types';
import type { U64Like } from './client.js';
import { sdkError } from './client-errors.js';

// Checks of a caller's arguments, for the SDK and the modules' client calls: each failure is
// `SDK_INVALID_ARGUMENT` with `details.parameter` naming the argument (`invalidArgument`).
export { invalidArgument };

const U64_MAX = (1n << 64n) - 1n;
const ADDRESS_HEX = new RegExp(`^[0-9a-f]{${ADDRESS_LENGTH * 2}}$`);
const HASH_HEX = /^[0-9a-f]{64}$/;

/** An options or parameters object (a plain object, not null or an array). */
export function objectArgument<T extends object>(value: T | undefined, parameter: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument(`${parameter} must be an object`, parameter);
  return value;
}

export function stringArgument(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || value === '')
    throw invalidArgument(`${parameter} must be a non-empty string`, parameter);
  return value;
}

export function bytesArgument(value: unknown, parameter: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArgument(`${parameter} must be a Uint8Array`, parameter);
  return value;
}

/** A 32-byte hash (a transaction's or a block's) as 64 hex digits, lowercased. */
export function hashArgument(value: unknown, parameter = 'hash'): string {
  const hex = typeof value === 'string' ? value.toLowerCase().replace(/^0x/, '') : undefined;
  if (hex === undefined || !HASH_HEX.test(hex))
    throw invalidArgument(`${parameter} must be 64 hex digits`, parameter);
  return hex;
}

/** A block height: a whole number from 0. */
export function heightArgument(value: unknown, parameter = 'height'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw invalidArgument(`${parameter} must be a whole number from 0`, parameter);
  return value;
}

export function chainHashArgument(value: unknown, parameter = 'chainHash'): HashAlgorithm {
  if (!HASH_ALGORITHMS.includes(value as HashAlgorithm))
    throw invalidArgument(`${parameter} must be one of ${HASH_ALGORITHMS.join(', ')}`, parameter);
  return value as HashAlgorithm;
}

/** A key pair as `generateKeyPair` and the key loaders make them. */
export function keyPairArgument(value: unknown, parameter = 'key'): KeyPair {
  const k = value as Partial<KeyPair> | null | undefined;
  const part = (x: unknown) =>
    typeof x === 'object' && x !== null && (x as { bytes?: unknown }).bytes instanceof Uint8Array;
  if (typeof k !== 'object' || k === null || !isSuiteId(k.suite) || !part(k.publicKey) || !part(k.secretKey))
    throw invalidArgument(
      `${parameter} must be a key pair (generateKeyPair, keyPairFromHex, loadKeyFile)`,
      parameter,
    );
  return k as KeyPair;
}

/** A u64 from a bigint, a safe integer or a decimal string; anything else is `SDK_INVALID_ARGUMENT`. */
export function toU64(value: U64Like, name: string): bigint {
  const problem = () => invalidArgument(`${name} must be an integer from 0 to 2^64-1`, name);
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)) n = BigInt(value);
  else throw problem();
  if (n < 0n || n > U64_MAX) throw problem();
  return n;
}

/** A 21-byte address from 42 hex digits or bytes; anything else is `SDK_INVALID_ARGUMENT`. */
export function parseAddress(address: string | Uint8Array, name = 'address'): Uint8Array {
  if (typeof address === 'string') {
    const hex = address.toLowerCase();
    if (!ADDRESS_HEX.test(hex))
      throw invalidArgument(`${name} must be ${ADDRESS_LENGTH * 2} hex digits`, name);
    return hexToBytes(hex);
  }
  if (!(address instanceof Uint8Array) || address.length !== ADDRESS_LENGTH)
    throw invalidArgument(
      `${name} must be ${ADDRESS_LENGTH * 2} hex digits or ${ADDRESS_LENGTH} bytes`,
      name,
    );
  return address;
}

/**
 * Encodes a client call's payload: a value the module's format refuses (a field missing, of
 * the wrong type, out of range, unknown) is `SDK_INVALID_ARGUMENT` naming the field by its
 * path (`action.value.amount`), not a `CodecError` from deep inside the codec.
 */
export function encodePayload<T>(codec: Codec<T>, value: T): Uint8Array {
  try {
    return encode(codec, value);
  } catch (error) {
    if (!(error instanceof CodecError) || error.code === 'CODEC_TRAILING_BYTES') throw error;
    const path = Array.isArray(error.details.path) ? (error.details.path as string[]) : [];
    const parameter = path.length > 0 ? path.join('.') : codec.kind;
    throw sdkError(
      'SDK_INVALID_ARGUMENT',
      error.message,
      { ...error.details, parameter, cause: error.code },
      error,
    );
  }
}

/** A list argument (any array), copied; anything else names the parameter. */
export function listArgument<T>(value: readonly T[] | undefined, parameter: string): T[] {
  if (!Array.isArray(value)) throw invalidArgument(`${parameter} must be an array`, parameter);
  return [...value];
}

/** A date argument: a valid `Date`. */
export function dateArgument(value: unknown, parameter: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw invalidArgument(`${parameter} must be a valid Date`, parameter);
  return value;
}
