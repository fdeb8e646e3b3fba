import { bytesToHex, PujiangError } from '@pujiang/types';
import { gcd, lcm, modInv } from 'bigint-crypto-utils';
import { PrivateKey, PublicKey } from 'paillier-bigint';

/**
 * Paillier (g = n + 1) from `paillier-bigint`, as the chain and clients use it. A key's
 * modulus n travels as big-endian bytes of 2048 to 4096 bits; a ciphertext as exactly
 * 2·|n| bytes (one encoding per value). The chain checks what the ciphertext alone allows:
 * its length, 0 < c < n², and that c is a unit mod n² (gcd(c, n) = 1). What it cannot see,
 * whether a ciphertext holds an in-range value, is why only registered submitters may submit.
 */
export const PAILLIER_MIN_BITS = 2048;
export const PAILLIER_MAX_BITS = 4096;

export type PaillierErrorCode = 'PRIVACY_BAD_KEY' | 'PRIVACY_BAD_CIPHERTEXT' | 'PRIVACY_BAD_VALUE';

export const bigintFromBytes = (bytes: Uint8Array): bigint =>
  bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);

export function bigintToBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new PujiangError('PRIVACY_BAD_VALUE', `a value does not fit ${length} bytes`);
  return out;
}

/** Small primes no honest modulus is divisible by (a cheap sanity check, not a proof). */
const SMALL_PRIMES_PRODUCT = (() => {
  let product = 1n;
  for (let p = 3; p < 2000; p += 2) {
    let prime = true;
    for (let d = 3; d * d <= p; d += 2) if (p % d === 0) prime = false;
    if (prime) product *= BigInt(p);
  }
  return product;
})();

/** The modulus from its encoding: 256 to 512 bytes, no leading zero byte, odd, no small factor. */
export function parseModulus(bytes: Uint8Array): bigint {
  const bits = bytes.length * 8;
  if (bytes.length * 8 < PAILLIER_MIN_BITS || bits > PAILLIER_MAX_BITS || (bytes[0] ?? 0) < 0x80)
    throw new PujiangError(
      'PRIVACY_BAD_KEY',
      `a Paillier modulus has ${PAILLIER_MIN_BITS} to ${PAILLIER_MAX_BITS} bits, a multiple of 8, top bit set`,
      {
        bytes: bytes.length,
      },
    );
  const n = bigintFromBytes(bytes);
  if ((n & 1n) === 0n || gcd(n, SMALL_PRIMES_PRODUCT) !== 1n)
    throw new PujiangError('PRIVACY_BAD_KEY', 'a Paillier modulus is odd and has no factor below 2000');
  return n;
}

export const ciphertextLength = (modulusBytes: number): number => 2 * modulusBytes;

/** A ciphertext under modulus n (of `modulusBytes` bytes): the checks of this file's comment. */
export function parseCiphertext(n: bigint, modulusBytes: number, bytes: Uint8Array): bigint {
  if (bytes.length !== ciphertextLength(modulusBytes))
    throw new PujiangError(
      'PRIVACY_BAD_CIPHERTEXT',
      `a ciphertext under this key is ${ciphertextLength(modulusBytes)} bytes`,
      {
        reason: 'length',
        bytes: bytes.length,
      },
    );
  const c = bigintFromBytes(bytes);
  if (c === 0n || c >= n * n)
    throw new PujiangError('PRIVACY_BAD_CIPHERTEXT', 'a ciphertext is between 1 and n² - 1', {
      reason: 'range',
    });
  if (gcd(c, n) !== 1n)
    throw new PujiangError('PRIVACY_BAD_CIPHERTEXT', 'a ciphertext is a unit mod n²', { reason: 'unit' });
  return c;
}

export const publicKeyOf = (n: bigint): PublicKey => new PublicKey(n, n + 1n);

/** The encryption of 0 with r = 1: the neutral element a sum starts from. */
export const PAILLIER_ONE = 1n;

export function addPaillier(n: bigint, a: bigint, b: bigint): bigint {
  return publicKeyOf(n).addition(a, b);
}

/** Whether (value, r) opens c: c = (1 + n)^value · r^n mod n², with 0 <= value < n and 0 < r < n a unit. */
export function opensTo(n: bigint, c: bigint, value: bigint, r: bigint): boolean {
  if (value < 0n || value >= n || r <= 0n || r >= n || gcd(r, n) !== 1n) return false;
  return publicKeyOf(n).encrypt(value, r) === c;
}

/** A private key from its primes (what a key file keeps). */
export function privateKeyOf(p: bigint, q: bigint): PrivateKey {
  const n = p * q;
  const lambda = lcm(p - 1n, q - 1n);
  return new PrivateKey(lambda, modInv(lambda, n), publicKeyOf(n), p, q);
}
