import { concatBytes } from '@pujiang/types';
import {
  decodeScalar,
  encodePoint,
  encodeScalar,
  hashToScalar,
  mod,
  type Point,
  randomScalar,
  times,
} from './group.js';

/**
 * Non-interactive proofs over ristretto255 by Fiat-Shamir (the challenge hashes a domain
 * label, the caller's context, and every point): Schnorr's proof of knowledge of a discrete
 * logarithm, and Chaum and Pedersen's proof that two logarithms are equal. A proof is 64
 * bytes: challenge || response, both canonical scalars.
 */
export const PROOF_BYTES = 64;

interface Parts {
  readonly c: bigint;
  readonly z: bigint;
}

/** A malformed proof (length, a scalar past the order) is simply not a valid proof. */
function split(proof: Uint8Array): Parts | undefined {
  if (proof.length !== PROOF_BYTES) return undefined;
  try {
    return {
      c: decodeScalar(proof.subarray(0, 32), 'proof.c'),
      z: decodeScalar(proof.subarray(32), 'proof.z'),
    };
  } catch {
    return undefined;
  }
}

const join = (c: bigint, z: bigint): Uint8Array => concatBytes(encodeScalar(c), encodeScalar(z));

/** Proves knowledge of x with X = x·B, bound to `context`. */
export function proveKnowledge(base: Point, secret: bigint, context: Uint8Array): Uint8Array {
  const k = randomScalar();
  const commitment = times(base, k);
  const publicPoint = times(base, secret);
  const c = hashToScalar('schnorr/v1', [
    context,
    encodePoint(base),
    encodePoint(publicPoint),
    encodePoint(commitment),
  ]);
  return join(c, mod(k + c * secret));
}

/** Checks a proof of knowledge of log_B(X) made for `context`. */
export function verifyKnowledge(
  base: Point,
  publicPoint: Point,
  proof: Uint8Array,
  context: Uint8Array,
): boolean {
  const parts = split(proof);
  if (!parts) return false;
  const { c, z } = parts;
  // R = z·B − c·X must hash back to c.
  const commitment = times(base, z).subtract(times(publicPoint, c));
  return (
    c ===
    hashToScalar('schnorr/v1', [
      context,
      encodePoint(base),
      encodePoint(publicPoint),
      encodePoint(commitment),
    ])
  );
}

/** Proves log_G(Y) = log_H(D) = x (Chaum-Pedersen), bound to `context`. */
export function proveEqualLogs(g: Point, h: Point, secret: bigint, context: Uint8Array): Uint8Array {
  const k = randomScalar();
  const y = times(g, secret);
  const d = times(h, secret);
  const a = times(g, k);
  const b = times(h, k);
  const c = hashToScalar('dleq/v1', [context, ...[g, h, y, d, a, b].map(encodePoint)]);
  return join(c, mod(k + c * secret));
}

/** Checks a Chaum-Pedersen proof that log_G(Y) = log_H(D). */
export function verifyEqualLogs(
  g: Point,
  y: Point,
  h: Point,
  d: Point,
  proof: Uint8Array,
  context: Uint8Array,
): boolean {
  const parts = split(proof);
  if (!parts) return false;
  const { c, z } = parts;
  const a = times(g, z).subtract(times(y, c));
  const b = times(h, z).subtract(times(d, c));
  return c === hashToScalar('dleq/v1', [context, ...[g, h, y, d, a, b].map(encodePoint)]);
}
