import { MAX_TX_BYTES } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { badRequest } from './api-error.js';

/** Parsers for path and query parameters; each refusal names the parameter. */
export function parseHeight(text: string | null | undefined, name = 'height'): bigint {
  if (text === null || text === undefined || !/^[1-9][0-9]{0,14}$/.test(text))
    throw badRequest(`${name} must be a positive decimal integer`, { parameter: name });
  return BigInt(text);
}

export function parseHash(text: string, name = 'hash'): string {
  const hex = text.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw badRequest(`${name} must be 64 hex digits`, { parameter: name });
  return hex;
}

export function parseAddress(text: string): string {
  const hex = text.toLowerCase();
  if (!/^[0-9a-f]{42}$/.test(hex))
    throw badRequest('address must be 42 hex digits', { parameter: 'address' });
  return hex;
}

export function parseTxHex(value: unknown, name = 'tx'): Uint8Array {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_TX_BYTES * 2 + 2 ||
    !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)
  )
    throw badRequest(
      `${name} must be the transaction's canonical encoding as hex (at most ${MAX_TX_BYTES} bytes)`,
      {
        parameter: name,
      },
    );
  return hexToBytes(value);
}

export function parseBool(text: string | null, name: string, fallback: boolean): boolean {
  if (text === null) return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw badRequest(`${name} must be true or false`, { parameter: name });
}
