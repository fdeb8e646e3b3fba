import { edwards } from '@noble/curves/abstract/edwards.js';
import { bn254_Fr } from '@noble/curves/bn254.js';
import { PujiangError } from '@pujiang/types';

/**
 * Baby Jubjub (EIP-2494), the twisted Edwards curve over BN254's scalar field that circom
 * circuits compute on, built with @noble/curves' Edwards arithmetic from its published
 * parameters. Commitments are v·G + r·H: G is circomlib's Base8, H the first generator of
 * circomlib's Pedersen hash (blake), whose discrete log to G nobody knows.
 */
const Point = edwards({
  p: bn254_Fr.ORDER,
  n: 2736030358979909402780800718157159386076813972158567259200215660948447373041n,
  h: 8n,
  a: 168700n,
  d: 168696n,
  Gx: 5299619240641551281634865583518297030282874472190772894086521144482721001553n,
  Gy: 16950150798460657717958625567821834550301663161624707787222815936182638968203n,
});

/** A Baby Jubjub point as this package uses it (noble's class is not exported by name). */
export interface JubPoint {
  add(other: JubPoint): JubPoint;
  subtract(other: JubPoint): JubPoint;
  multiply(scalar: bigint): JubPoint;
  equals(other: JubPoint): boolean;
  toAffine(): { x: bigint; y: bigint };
}

export const SUBGROUP_ORDER: bigint = Point.Fn.ORDER;
const FIELD: bigint = bn254_Fr.ORDER;
export const G: JubPoint = Point.BASE;
export const H: JubPoint = Point.fromAffine({
  x: 10457101036533406547632367118273992217979173478358440826365724437999023779287n,
  y: 19824078218392094440610104313265183977899662750282163392862422243483260492317n,
});
export const IDENTITY: JubPoint = Point.ZERO;
export const POINT_BYTES = 64;

/** v·G + r·H (v and r reduced mod the subgroup order; 0 gives the identity's term). */
export function commit(value: bigint, blind: bigint): JubPoint {
  const term = (p: JubPoint, k: bigint) => {
    const s = ((k % SUBGROUP_ORDER) + SUBGROUP_ORDER) % SUBGROUP_ORDER;
    return s === 0n ? IDENTITY : p.multiply(s);
  };
  return term(G, value).add(term(H, blind));
}

const toBytes32 = (v: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
};
const fromBytes32 = (b: Uint8Array): bigint => b.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);

/** x || y, each 32 bytes big-endian (the circuit's public inputs are these coordinates). */
export function encodeJub(point: JubPoint): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(POINT_BYTES);
  out.set(toBytes32(x), 0);
  out.set(toBytes32(y), 32);
  return out;
}

/** A point of the prime-order subgroup, or `CONFIDENTIAL_BAD_POINT`. */
export function decodeJub(bytes: Uint8Array, field: string): JubPoint {
  if (bytes.length !== POINT_BYTES)
    throw new PujiangError('CONFIDENTIAL_BAD_POINT', `${field} is not 64 bytes (x || y)`, { field });
  const x = fromBytes32(bytes.subarray(0, 32));
  const y = fromBytes32(bytes.subarray(32));
  // One encoding per point: coordinates below p. The identity (0, 1) is a balance too.
  if (x >= FIELD || y >= FIELD)
    throw new PujiangError('CONFIDENTIAL_BAD_POINT', `${field} has a coordinate past the field`, { field });
  if (x === 0n && y === 1n) return IDENTITY;
  let point: InstanceType<typeof Point>;
  try {
    point = Point.fromAffine({ x, y });
    point.assertValidity();
  } catch {
    throw new PujiangError('CONFIDENTIAL_BAD_POINT', `${field} is not a point of Baby Jubjub`, { field });
  }
  // Torsion components would let a commitment hide a small-order part the circuit never sees.
  if (!point.isTorsionFree())
    throw new PujiangError('CONFIDENTIAL_BAD_POINT', `${field} is not in the prime-order subgroup`, {
      field,
    });
  return point;
}

export const coordinates = (point: JubPoint): [bigint, bigint] => {
  const { x, y } = point.toAffine();
  return [x, y];
};
