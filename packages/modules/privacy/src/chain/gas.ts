/**
 * Gas for computation the state reads and writes do not price, at about 100 gas per
 * microsecond measured on one core (BENCHMARKS.md, `privacy` group): a Paillier sum step
 * (decode, gcd, multiply mod n²) ~0.6 ms and an opening (r^n mod n²) ~90 ms at 2048 bits; a
 * ristretto255 scalar multiplication ~0.8 ms, a point decoding ~0.1 ms.
 */
export const COMPUTE_GAS = {
  pointMul: 80_000,
  pointDecode: 10_000,
} as const;

/** A round must hold this many submissions before its total is opened (one would be its value). */
export const MIN_SUBMISSIONS = 2;

/** A Paillier sum step at 2048 bits; it grows as the square of the modulus (256 bytes = 1). */
const PAILLIER_ADD_GAS = 60_000;
/** A Paillier opening at 2048 bits; it grows as the cube of the modulus. */
const PAILLIER_OPEN_GAS = 20_000_000;

export const paillierAddGas = (modulusBytes: number): number =>
  Math.ceil((PAILLIER_ADD_GAS * modulusBytes * modulusBytes) / (256 * 256));

export const paillierOpenGas = (modulusBytes: number): number =>
  Math.ceil((PAILLIER_OPEN_GAS * modulusBytes * modulusBytes * modulusBytes) / (256 * 256 * 256));
