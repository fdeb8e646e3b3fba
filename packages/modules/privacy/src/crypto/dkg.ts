import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, PujiangError, utf8ToBytes } from '@pujiang/types';
import {
  decodeScalar,
  encodePoint,
  encodeScalar,
  G,
  IDENTITY,
  invert,
  mod,
  type Point,
  randomScalar,
  times,
} from './group.js';

/**
 * Feldman verifiable secret sharing, the building block of the committee's distributed key
 * generation (Pedersen's joint-Feldman with complaints, as Gennaro, Jarecki, Krawczyk and
 * Rabin analyse it) and of resharing. A dealer's polynomial f of degree t-1 is committed as
 * A_k = a_k·G; member j (1-based) gets f(j), and checks f(j)·G = Σ A_k·j^k.
 */
export interface Polynomial {
  readonly coefficients: readonly bigint[];
}

/** A random polynomial of degree t-1; `secret` fixes f(0) (resharing deals one's own share). */
export function randomPolynomial(threshold: number, secret?: bigint): Polynomial {
  const coefficients = [secret ?? randomScalar()];
  for (let k = 1; k < threshold; k++) coefficients.push(randomScalar());
  return { coefficients };
}

export function commitmentsOf(poly: Polynomial): Point[] {
  return poly.coefficients.map((a) => times(G, a));
}

export function evaluate(poly: Polynomial, index: number): bigint {
  let value = 0n;
  const x = BigInt(index);
  for (let k = poly.coefficients.length - 1; k >= 0; k--)
    value = mod(value * x + (poly.coefficients[k] as bigint));
  return value;
}

/** Σ A_k·j^k: what member j's share times G must be (Horner's rule, t-1 multiplications). */
export function shareCommitment(commitments: readonly Point[], index: number): Point {
  const x = BigInt(index);
  let point = commitments[commitments.length - 1] as Point;
  for (let k = commitments.length - 2; k >= 0; k--) point = times(point, x).add(commitments[k] as Point);
  return point;
}

/** λ_i at 0 over `indexes` (distinct, 1-based): Σ λ_i·f(i) = f(0) for any f of degree < |indexes|. */
export function lagrangeAtZero(indexes: readonly number[], i: number): bigint {
  let num = 1n;
  let den = 1n;
  for (const j of indexes) {
    if (j === i) continue;
    num = mod(num * BigInt(j));
    den = mod(den * BigInt(j - i));
  }
  return mod(num * invert(den));
}

/** Σ weight_i·commitments_i, coefficient by coefficient (joint commitments of summed polynomials). */
export function combineCommitments(
  parts: readonly { readonly commitments: readonly Point[]; readonly weight: bigint }[],
): Point[] {
  const threshold = parts[0]?.commitments.length ?? 0;
  const out: Point[] = [];
  for (let k = 0; k < threshold; k++) {
    let sum = IDENTITY;
    for (const part of parts)
      sum = sum.add(
        part.weight === 1n
          ? (part.commitments[k] as Point)
          : times(part.commitments[k] as Point, part.weight),
      );
    out.push(sum);
  }
  return out;
}

/**
 * A share for one receiver, sealed with the dealer's ephemeral key E = e·G: the pad is
 * SHA-512 of the context, E, the receiver's index and e·K (K the receiver's committee key).
 * The pad hides the share; its integrity comes from the public commitments, which every
 * receiver checks (and complains about on chain if they do not match).
 */
function pad(context: Uint8Array, ephemeral: Point, index: number, shared: Point): Uint8Array {
  const label = utf8ToBytes(`pujiang/privacy/dkg-share/v1\0${index}\0`);
  return sha512(concatBytes(label, context, encodePoint(ephemeral), encodePoint(shared))).subarray(0, 32);
}

export function sealShare(
  share: bigint,
  receiverKey: Point,
  ephemeralSecret: bigint,
  index: number,
  context: Uint8Array,
): Uint8Array {
  const mask = pad(context, times(G, ephemeralSecret), index, times(receiverKey, ephemeralSecret));
  return xor(encodeScalar(share), mask);
}

export function openShare(
  sealed: Uint8Array,
  ephemeral: Point,
  receiverSecret: bigint,
  index: number,
  context: Uint8Array,
): bigint {
  if (sealed.length !== 32) throw new PujiangError('PRIVACY_BAD_SHARE', 'a sealed share is 32 bytes');
  const mask = pad(context, ephemeral, index, times(ephemeral, receiverSecret));
  try {
    return decodeScalar(xor(sealed, mask), 'share');
  } catch {
    throw new PujiangError('PRIVACY_BAD_SHARE', 'the sealed share does not open to a scalar', { index });
  }
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}
