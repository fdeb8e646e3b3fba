import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes, PujiangError, utf8ToBytes } from '@pujiang/types';

/**
 * The prime-order group the committee's threshold ElGamal runs in: ristretto255 (RFC 9496),
 * from @noble/curves. Points travel as their 32-byte canonical encodings and scalars as 32
 * bytes little-endian below the group order; anything else is refused with a typed code.
 */
const RistrettoPoint = ristretto255.Point;

/** A ristretto255 element, as this package uses it (noble's class is not exported by name). */
export interface Point {
  add(other: Point): Point;
  subtract(other: Point): Point;
  multiply(scalar: bigint): Point;
  equals(other: Point): boolean;
  is0(): boolean;
  toBytes(): Uint8Array;
}

export const ORDER: bigint = RistrettoPoint.Fn.ORDER;
export const G: Point = RistrettoPoint.BASE;
export const IDENTITY: Point = RistrettoPoint.ZERO;
export const POINT_BYTES = 32;
export const SCALAR_BYTES = 32;

export type GroupErrorCode = 'PRIVACY_BAD_POINT' | 'PRIVACY_BAD_SCALAR';

export function decodePoint(bytes: Uint8Array, field: string): Point {
  if (bytes.length !== POINT_BYTES)
    throw new PujiangError('PRIVACY_BAD_POINT', `${field} is not a 32-byte ristretto255 point`, { field });
  let point: Point;
  try {
    point = RistrettoPoint.fromBytes(bytes);
  } catch {
    throw new PujiangError('PRIVACY_BAD_POINT', `${field} is not a canonical ristretto255 encoding`, {
      field,
    });
  }
  return point;
}

/** A point that must not be the identity (keys, ciphertext randomness, proof commitments of keys). */
export function decodeNonZeroPoint(bytes: Uint8Array, field: string): Point {
  const point = decodePoint(bytes, field);
  if (point.is0()) throw new PujiangError('PRIVACY_BAD_POINT', `${field} is the identity`, { field });
  return point;
}

export const encodePoint = (point: Point): Uint8Array => point.toBytes();

export function decodeScalar(bytes: Uint8Array, field: string): bigint {
  if (bytes.length !== SCALAR_BYTES)
    throw new PujiangError('PRIVACY_BAD_SCALAR', `${field} is not a 32-byte scalar`, { field });
  const value = bytesToNumberLE(bytes);
  if (value >= ORDER)
    throw new PujiangError('PRIVACY_BAD_SCALAR', `${field} is not below the group order`, { field });
  return value;
}

export const encodeScalar = (value: bigint): Uint8Array => numberToBytesLE(mod(value), SCALAR_BYTES);

export const mod = (value: bigint): bigint => {
  const r = value % ORDER;
  return r < 0n ? r + ORDER : r;
};

/** A uniformly random non-zero scalar (64 random bytes reduced, as RFC 9496's element derivation). */
export function randomScalar(): bigint {
  for (;;) {
    const value = mod(bytesToNumberLE(randomBytes(64)));
    if (value !== 0n) return value;
  }
}

/** The scalar a Fiat-Shamir challenge takes: SHA-512 of a domain label and length-framed parts, reduced. */
export function hashToScalar(domain: string, parts: readonly Uint8Array[]): bigint {
  const framed: Uint8Array[] = [utf8ToBytes(`pujiang/privacy/${domain}\0`)];
  for (const part of parts) {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, part.length);
    framed.push(length, part);
  }
  return mod(bytesToNumberLE(sha512(concatBytes(...framed))));
}

/** Multiplies, with the identity for a zero scalar (noble refuses 0). */
export function times(point: Point, scalar: bigint): Point {
  const k = mod(scalar);
  return k === 0n ? IDENTITY : point.multiply(k);
}

export function invert(value: bigint): bigint {
  return RistrettoPoint.Fn.inv(mod(value));
}
