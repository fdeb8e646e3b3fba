import { hexToBytes } from '@pujiang/types';
import { bigintFromBytes, opensTo, parseModulus } from '../crypto/paillier.js';

/**
 * Whether a published Paillier total is the plaintext of a round's encrypted total: anyone
 * holding the key's modulus and the round's total checks the owner's opening, as the chain does.
 */
export function verifyPaillierTotal(p: {
  readonly modulus: string;
  readonly total: string;
  readonly value: bigint;
  readonly randomness: bigint;
}): boolean {
  const n = parseModulus(hexToBytes(p.modulus));
  return opensTo(n, bigintFromBytes(hexToBytes(p.total)), p.value, p.randomness);
}
