import { bytesToHex, concatBytes, PujiangError } from '@pujiang/types';
import {
  decodePoint,
  encodePoint,
  G,
  IDENTITY,
  POINT_BYTES,
  type Point,
  randomScalar,
  times,
} from './group.js';
import { proveKnowledge, verifyKnowledge } from './proofs.js';

/**
 * Exponential ElGamal over ristretto255: Enc(v) = (r·G, v·G + r·Y). It is additively
 * homomorphic (component-wise sums), and decrypting yields v·G, from which v is found by
 * baby-step giant-step below a bound the caller names. Each submission carries a proof of
 * knowledge of r bound to its context (chain, round, submitter), so nobody can resubmit
 * another member's ciphertext as their own or derive one from it.
 */
export interface ElGamalCiphertext {
  readonly c1: Point;
  readonly c2: Point;
}

export const CIPHERTEXT_BYTES = 2 * POINT_BYTES;

export function encodeCiphertext(ct: ElGamalCiphertext): Uint8Array {
  return concatBytes(encodePoint(ct.c1), encodePoint(ct.c2));
}

export function decodeCiphertext(bytes: Uint8Array, field = 'ciphertext'): ElGamalCiphertext {
  if (bytes.length !== CIPHERTEXT_BYTES)
    throw new PujiangError('PRIVACY_BAD_CIPHERTEXT', `${field} is not two 32-byte points`, {
      field,
      reason: 'length',
    });
  return {
    c1: decodePoint(bytes.subarray(0, 32), `${field}.c1`),
    c2: decodePoint(bytes.subarray(32), `${field}.c2`),
  };
}

export const ZERO_CIPHERTEXT: ElGamalCiphertext = { c1: IDENTITY, c2: IDENTITY };

export function addCiphertexts(a: ElGamalCiphertext, b: ElGamalCiphertext): ElGamalCiphertext {
  return { c1: a.c1.add(b.c1), c2: a.c2.add(b.c2) };
}

/** What a submission's proof is bound to: its ciphertext and the caller's context. */
const bound = (context: Uint8Array, c2: Point): Uint8Array => concatBytes(context, encodePoint(c2));

/** Encrypts a non-negative value to `publicKey`, with the proof of knowledge of r for `context`. */
export function encryptToKey(
  publicKey: Point,
  value: bigint,
  context: Uint8Array,
): { readonly ciphertext: ElGamalCiphertext; readonly proof: Uint8Array } {
  if (value < 0n) throw new PujiangError('PRIVACY_BAD_VALUE', 'a value to encrypt is non-negative');
  const r = randomScalar();
  const c1 = times(G, r);
  const c2 = times(G, value).add(times(publicKey, r));
  return { ciphertext: { c1, c2 }, proof: proveKnowledge(G, r, bound(context, c2)) };
}

export function verifyEncryptionProof(
  ct: ElGamalCiphertext,
  proof: Uint8Array,
  context: Uint8Array,
): boolean {
  return !ct.c1.is0() && verifyKnowledge(G, ct.c1, proof, bound(context, ct.c2));
}

/** Decrypts with the whole secret (tests, and a committee of one). */
export function decryptWithSecret(secret: bigint, ct: ElGamalCiphertext, maxValue: bigint): bigint {
  return discreteLog(ct.c2.subtract(times(ct.c1, secret)), maxValue);
}

const tables = new Map<number, Map<string, number>>();

/** j·G for j < size, keyed by encoding (built once per size and kept). */
function babySteps(size: number): Map<string, number> {
  let table = tables.get(size);
  if (table) return table;
  table = new Map();
  let point = IDENTITY;
  for (let j = 0; j < size; j++) {
    table.set(bytesToHex(point.toBytes()), j);
    point = point.add(G);
  }
  tables.set(size, table);
  return table;
}

/**
 * v with v·G = `target` and 0 <= v <= maxValue, or `PRIVACY_VALUE_OUT_OF_RANGE` when there is
 * none. Baby-step giant-step over growing bounds (2^16, 2^24, ... up to maxValue), so a
 * small value costs little however large the bound: about 2·sqrt(v) group operations.
 */
export function discreteLog(target: Point, maxValue: bigint): bigint {
  if (maxValue < 0n || maxValue > 2n ** 48n)
    throw new PujiangError('PRIVACY_BAD_VALUE', 'a decryption bound is between 0 and 2^48', {
      maxValue: maxValue.toString(),
    });
  for (let bits = 16n; ; bits += 8n) {
    const bound = maxValue < 2n ** bits ? maxValue : 2n ** bits;
    const value = searchBelow(target, bound);
    if (value !== undefined) return value;
    if (bound === maxValue)
      throw new PujiangError('PRIVACY_VALUE_OUT_OF_RANGE', `the plaintext is not between 0 and ${maxValue}`, {
        maxValue: maxValue.toString(),
      });
  }
}

function searchBelow(target: Point, bound: bigint): bigint | undefined {
  const size = Number(sqrtCeil(bound + 1n));
  const table = babySteps(size);
  const giant = times(G, BigInt(size));
  let point = target;
  for (let i = 0n; i * BigInt(size) <= bound; i++) {
    const j = table.get(bytesToHex(point.toBytes()));
    if (j !== undefined) {
      const value = i * BigInt(size) + BigInt(j);
      if (value <= bound) return value;
    }
    point = point.subtract(giant);
  }
  return undefined;
}

function sqrtCeil(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.ceil(Math.sqrt(Number(n))));
  while (x * x < n) x++;
  while ((x - 1n) * (x - 1n) >= n) x--;
  return x;
}
