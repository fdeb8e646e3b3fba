/**
 * Gas for computation the state reads and writes do not price, at about 100 gas per
 * microsecond measured on one core (BENCHMARKS.md, `privacy` group): a Paillier sum step
 * (decode, gcd, multiply mod n²) ~0.6 ms; a Paillier opening (r^n mod n²) ~90 ms at 2048
 * bits; a ristretto255 scalar multiplication ~0.8 ms, a point decoding ~0.1 ms.
 */
export const COMPUTE_GAS = {
  paillierAdd: 60_000,
  paillierOpen: 20_000_000,
  pointMul: 80_000,
  pointDecode: 10_000,
} as const;
