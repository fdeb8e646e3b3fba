import { keccak256 } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, invalidArgument, utf8ToBytes } from '@pujiang/types';

// Arguments in the forms Ethereum tools use (0x-prefixed hex, checksummed addresses, bigint
// quantities), checked before anything is sent: each failure is `SDK_INVALID_ARGUMENT`
// naming the parameter. Addresses and words come out as the chain writes them: lowercase
// hex without 0x.

/** `0x`-prefixed lowercase hex, as Ethereum tools print data, addresses and words. */
export type Hex = `0x${string}`;

export const ox = (hex: string): Hex => `0x${hex}`;

const U256_MAX = (1n << 256n) - 1n;

/**
 * A 20-byte EVM address: 40 hex digits (with or without 0x) or 20 bytes. Mixed case must be
 * the EIP-55 checksum, so a mistyped address is caught here. Answers 40 lowercase hex digits.
 */
export function evmAddressArgument(value: unknown, parameter: string): string {
  if (value instanceof Uint8Array) {
    if (value.length !== 20) throw invalidArgument(`${parameter} must be 20 bytes`, parameter);
    return bytesToHex(value);
  }
  if (typeof value !== 'string' || !/^(0x)?[0-9a-fA-F]{40}$/.test(value))
    throw invalidArgument(`${parameter} must be an EVM address (40 hex digits)`, parameter);
  const digits = value.replace(/^0x/, '');
  const lower = digits.toLowerCase();
  if (digits !== lower && digits !== digits.toUpperCase() && digits !== checksummed(lower))
    throw invalidArgument(`${parameter} has a bad EIP-55 checksum`, parameter);
  return lower;
}

/** EIP-55: each letter upper case where the matching nibble of Keccak-256(lowercase hex) is 8 or more. */
function checksummed(lower: string): string {
  const hash = bytesToHex(keccak256(utf8ToBytes(lower)));
  let out = '';
  for (let i = 0; i < lower.length; i++)
    out += Number.parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out;
}

/**
 * Bytes of call data or code: a Uint8Array, or hex (`0x…` or bare, an even number of
 * digits; `0x` alone is empty). `nonEmpty` refuses empty data (a deployment's bytecode).
 */
export function hexDataArgument(value: unknown, parameter: string, nonEmpty = false): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'string' && value !== '' && /^(0x)?([0-9a-fA-F]{2})*$/.test(value))
    bytes = hexToBytes(value);
  else throw invalidArgument(`${parameter} must be bytes or hex (0x…)`, parameter);
  if (nonEmpty && bytes.length === 0) throw invalidArgument(`${parameter} must not be empty`, parameter);
  return bytes;
}

/**
 * An amount of wei (0 to 2^256-1): a bigint, a safe integer, a decimal string, or a
 * 0x-prefixed hex quantity.
 */
export function weiArgument(value: unknown, parameter: string): bigint {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^(0|[1-9][0-9]{0,77}|0x[0-9a-fA-F]{1,64})$/.test(value))
    n = BigInt(value);
  if (n === undefined || n < 0n || n > U256_MAX)
    throw invalidArgument(`${parameter} must be an integer from 0 to 2^256-1 (wei)`, parameter);
  return n;
}

/** A 256-bit word big-endian without leading zeros (zero: no bytes), as `EvmCall.value` takes it. */
export function trimmedBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const hex = value.toString(16);
  return hexToBytes(hex.length % 2 === 1 ? `0${hex}` : hex);
}

/**
 * A storage slot: its index as a bigint or a safe integer, 0x-prefixed hex of at most 32
 * bytes, 64 hex digits, or 32 bytes. Answers the slot as a 32-byte word (64 lowercase hex digits).
 */
export function slotArgument(value: unknown, parameter = 'slot'): string {
  const problem = () =>
    invalidArgument(`${parameter} must be a slot: an index (bigint) or a 32-byte word (hex)`, parameter);
  if (value instanceof Uint8Array) {
    if (value.length !== 32) throw problem();
    return bytesToHex(value);
  }
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value)) n = BigInt(`0x${value}`);
  else throw problem();
  if (n < 0n || n > U256_MAX) throw problem();
  return n.toString(16).padStart(64, '0');
}
