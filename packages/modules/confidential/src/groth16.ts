import { bn254 } from '@noble/curves/bn254.js';
import { PujiangError } from '@pujiang/types';

/**
 * Groth16 verification on BN254 with @noble/curves' pairing, synchronous so a validator runs
 * it inside execution: e(A, B) = e(α, β) · e(Σ xᵢ·ICᵢ, γ) · e(C, δ), checked as one product
 * of four pairings equal to 1. Keys are snarkjs's verification_key.json; the proof travels as
 * 256 bytes: A (x, y), B (x.c0, x.c1, y.c0, y.c1), C (x, y), each coordinate 32 bytes
 * big-endian. The tests hold it to snarkjs's own verifier on valid and tampered proofs.
 */
const { Fp2, Fp12 } = bn254.fields;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

export const PROOF_BYTES = 256;
const FIELD = bn254.fields.Fp.ORDER;
const SCALAR = bn254.fields.Fr.ORDER;

export interface SnarkjsVerificationKey {
  readonly protocol: string;
  readonly curve: string;
  readonly nPublic: number;
  readonly vk_alpha_1: readonly string[];
  readonly vk_beta_2: readonly (readonly string[])[];
  readonly vk_gamma_2: readonly (readonly string[])[];
  readonly vk_delta_2: readonly (readonly string[])[];
  readonly IC: readonly (readonly string[])[];
}

export interface VerificationKey {
  readonly alphaBeta: ReturnType<typeof bn254.pairing>;
  readonly gamma: G2Point;
  readonly delta: G2Point;
  readonly ic: readonly G1Point[];
}

const g1 = (c: readonly string[]): G1Point => G1.fromAffine({ x: BigInt(c[0]!), y: BigInt(c[1]!) });
const g2 = (c: readonly (readonly string[])[]): G2Point =>
  G2.fromAffine({
    x: Fp2.fromBigTuple([BigInt(c[0]![0]!), BigInt(c[0]![1]!)]),
    y: Fp2.fromBigTuple([BigInt(c[1]![0]!), BigInt(c[1]![1]!)]),
  });

export function loadVerificationKey(json: SnarkjsVerificationKey): VerificationKey {
  if (json.protocol !== 'groth16' || json.curve !== 'bn128' || json.IC.length !== json.nPublic + 1)
    throw new PujiangError('CONFIDENTIAL_BAD_KEY', 'not a snarkjs Groth16 BN254 verification key');
  return {
    alphaBeta: bn254.pairing(g1(json.vk_alpha_1), g2(json.vk_beta_2)),
    gamma: g2(json.vk_gamma_2),
    delta: g2(json.vk_delta_2),
    ic: json.IC.map(g1),
  };
}

const word = (bytes: Uint8Array, i: number): bigint =>
  bytes.subarray(32 * i, 32 * (i + 1)).reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

/** The proof's points, each on its curve and subgroup, or undefined for a malformed proof. */
function parseProof(bytes: Uint8Array): { a: G1Point; b: G2Point; c: G1Point } | undefined {
  if (bytes.length !== PROOF_BYTES) return undefined;
  const w = Array.from({ length: 8 }, (_, i) => word(bytes, i));
  if (w.some((v) => v >= FIELD)) return undefined;
  try {
    const a = G1.fromAffine({ x: w[0]!, y: w[1]! });
    const b = G2.fromAffine({ x: Fp2.fromBigTuple([w[2]!, w[3]!]), y: Fp2.fromBigTuple([w[4]!, w[5]!]) });
    const c = G1.fromAffine({ x: w[6]!, y: w[7]! });
    for (const p of [a, b, c]) p.assertValidity();
    return { a, b, c };
  } catch {
    return undefined;
  }
}

/** Whether `proof` proves the circuit for these public inputs (each below the scalar field). */
export function verifyGroth16(key: VerificationKey, proof: Uint8Array, inputs: readonly bigint[]): boolean {
  if (inputs.length !== key.ic.length - 1 || inputs.some((x) => x < 0n || x >= SCALAR)) return false;
  const parsed = parseProof(proof);
  if (!parsed) return false;
  let vkX = key.ic[0] as G1Point;
  // The inputs are public: no need for the constant-time (blinded) multiplication.
  inputs.forEach((x, i) => {
    if (x !== 0n) vkX = vkX.add((key.ic[i + 1] as G1Point).multiplyUnsafe(x));
  });
  // e(-A, B) · e(vk_x, γ) · e(C, δ) · e(α, β) = 1. A degenerate point (the identity, which
  // noble refuses in a pairing) fails verification rather than throwing.
  try {
    const product = bn254.pairingBatch([
      { g1: parsed.a.negate(), g2: parsed.b },
      { g1: vkX, g2: key.gamma },
      { g1: parsed.c, g2: key.delta },
    ]);
    return Fp12.eql(Fp12.mul(product, key.alphaBeta), Fp12.ONE);
  } catch {
    return false;
  }
}

/** snarkjs's proof object as the 256 bytes a transaction carries. */
export function encodeSnarkjsProof(proof: {
  readonly pi_a: readonly string[];
  readonly pi_b: readonly (readonly string[])[];
  readonly pi_c: readonly string[];
}): Uint8Array {
  const words = [
    proof.pi_a[0],
    proof.pi_a[1],
    proof.pi_b[0]![0],
    proof.pi_b[0]![1],
    proof.pi_b[1]![0],
    proof.pi_b[1]![1],
    proof.pi_c[0],
    proof.pi_c[1],
  ].map((s) => BigInt(s as string));
  const out = new Uint8Array(PROOF_BYTES);
  words.forEach((v, i) => {
    let x = v;
    for (let j = 31; j >= 0; j--) {
      out[32 * i + j] = Number(x & 0xffn);
      x >>= 8n;
    }
  });
  return out;
}
