import { EVMError, type ExecResult, type PrecompileInput } from '@ethereumjs/evm';
import { sm2VerifyDigest } from '@pujiang/crypto';

/**
 * SM2 signature verification (GB/T 32918.2 / GM/T 0003.2, recommended curve sm2p256v1)
 * precompile at 0x…5002, laid out like RIP-7212's P256VERIFY:
 *
 *   input  = e (32) || r (32) || s (32) || x (32) || y (32), exactly 160 bytes, where e is
 *            the digest the signer signed, SM3(Z_A || M) (the caller computes Z_A from the
 *            user ID and the key, and hashes it with the message);
 *   output = 32 bytes 0x00…01 when (r, s) is a valid signature of e under the key (x, y);
 *            empty otherwise: another input length, r or s outside [1, n-1], a coordinate
 *            not below p, a point not on the curve, or a signature that does not verify.
 *
 * The gas is charged in every case (never an exception but out of gas). It is fixed, priced by
 * SM2's time relative to ecrecover (0x01, 3000 gas) in this engine, both called as precompile
 * functions on 64 distinct keys in turn (the worst case: no precomputed table; a key not on
 * the curve is refused sooner), in interleaved bursts (Node 20, one core of an Intel Xeon @
 * 2.80GHz shared with other work): fastest of 25, ecrecover 2091 µs and SM2 4588 µs (ratio
 * 2.19); the per-round ratio's median was 2.13-2.2 over three runs (a quiet first run with one
 * key: 1.73). 3000 × 2.3 = 6900, which covers the ratio with a margin (and is, by coincidence,
 * EIP-7951's price for P256VERIFY, which ethereumjs runs in 1.3-1.5 × ecrecover's time here).
 *
 * The engine's own schedule is far from uniform per µs: ecrecover is about 1.4 gas/µs here,
 * SHA-256 about 49. Priced against ecrecover as asked, SM2 is as cheap per µs as ecrecover.
 */
export const SM2_VERIFY_GAS = 6900n;

export const SM2_VERIFY_INPUT_LENGTH = 160;

const VALID = new Uint8Array(32);
VALID[31] = 1;

export function sm2VerifyPrecompile(input: PrecompileInput): ExecResult {
  if (input.gasLimit < SM2_VERIFY_GAS) {
    return {
      returnValue: new Uint8Array(0),
      executionGasUsed: input.gasLimit,
      exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
    };
  }
  return {
    executionGasUsed: SM2_VERIFY_GAS,
    returnValue: sm2Verify(input.data) ? VALID.slice() : new Uint8Array(0),
  };
}

function sm2Verify(data: Uint8Array): boolean {
  if (data.length !== SM2_VERIFY_INPUT_LENGTH) return false;
  try {
    // sm2VerifyDigest is false for r or s out of range and throws for a bad key.
    return sm2VerifyDigest(data.subarray(96, 160), data.subarray(0, 32), data.subarray(32, 96));
  } catch {
    return false;
  }
}
