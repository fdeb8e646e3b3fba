import { bytesToHex } from '@pujiang/types';

/**
 * The EVM's state in the module's part of the chain's state tree, so every account, code and
 * storage slot has the chain's state proofs:
 *
 * - `a/<address>`: the account: nonce (8 bytes), code hash (32 bytes), balance (the rest, big-endian, no leading zeros);
 * - `c/<code hash>`: contract code, shared by every account with that code;
 * - `s/<address>/<slot>`: a storage slot's value, big-endian without leading zeros (absent: zero).
 *
 * Addresses are 40 and slots and hashes 64 lowercase hex digits, without `0x`.
 */
export const accountKey = (address: string): string => `a/${address}`;
export const codeKey = (codeHash: string): string => `c/${codeHash}`;
export const storageKey = (address: string, slot: string): string => `s/${address}/${slot}`;

export interface AccountRecord {
  readonly nonce: bigint;
  readonly balance: bigint;
  /** Keccak-256 of the code (that of empty code for an account without). */
  readonly codeHash: Uint8Array;
}

export function encodeAccount(a: AccountRecord): Uint8Array {
  const balance = trimmed(a.balance);
  const out = new Uint8Array(40 + balance.length);
  new DataView(out.buffer).setBigUint64(0, a.nonce);
  out.set(a.codeHash, 8);
  out.set(balance, 40);
  return out;
}

export function decodeAccount(bytes: Uint8Array): AccountRecord {
  if (bytes.length < 40) throw new Error('stored EVM account is shorter than 40 bytes');
  const nonce = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0);
  return { nonce, codeHash: bytes.slice(8, 40), balance: toBigInt(bytes.subarray(40)) };
}

/** A 256-bit word as stored: big-endian, leading zeros dropped (zero is never stored). */
export function trimmed(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Storage values without leading zeros, as the EVM's state managers hand them over. */
export function stripZeros(value: Uint8Array): Uint8Array {
  let i = 0;
  while (i < value.length && value[i] === 0) i++;
  return value.subarray(i);
}

export const hex = (bytes: Uint8Array): string => bytesToHex(bytes);
