import { hexToBytes } from '@pujiang/types';
import { invalidParams } from './errors.js';

/** Parameter readers: each refuses what is not what the method takes, naming the position. */
export function quantity(value: unknown, at: string, bits = 256): bigint {
  if (typeof value !== 'string' || !/^0x(0|[1-9a-f][0-9a-f]*)$/i.test(value))
    throw invalidParams(`${at}: expected a hex quantity (0x-prefixed, no leading zeros)`);
  const n = BigInt(value);
  if (n >= 1n << BigInt(bits)) throw invalidParams(`${at}: at most ${bits} bits`);
  return n;
}

export function data(value: unknown, at: string, max = 256 * 1024): Uint8Array {
  if (typeof value !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(value) || value.length > 2 + max * 2)
    throw invalidParams(`${at}: expected 0x-prefixed hex bytes`);
  return hexToBytes(value.slice(2).toLowerCase());
}

export function address(value: unknown, at: string): string {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value))
    throw invalidParams(`${at}: expected a 20-byte address`);
  return value.slice(2).toLowerCase();
}

export function hash32(value: unknown, at: string): string {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value))
    throw invalidParams(`${at}: expected a 32-byte hash`);
  return value.slice(2).toLowerCase();
}

export function bool(value: unknown, at: string): boolean {
  if (typeof value !== 'boolean') throw invalidParams(`${at}: expected a boolean`);
  return value;
}

export function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidParams(`${at}: expected an object`);
  return value as Record<string, unknown>;
}

/** A block tag or number: `latest`, `pending`, `safe` and `finalized` are the head (BFT finality: every block is final), `earliest` is 0. */
export function blockTag(value: unknown, head: bigint, at: string): bigint {
  if (
    value === undefined ||
    value === 'latest' ||
    value === 'pending' ||
    value === 'safe' ||
    value === 'finalized'
  )
    return head;
  if (value === 'earliest') return 0n;
  if (typeof value === 'object' && value !== null && 'blockNumber' in value)
    return blockTag((value as { blockNumber: unknown }).blockNumber, head, at);
  return quantity(value, at);
}

export const hexQ = (v: bigint | number): `0x${string}` => `0x${v.toString(16)}`;
