import { hexToBytes, invalidArgument } from '@pujiang/types';
import { hexArgument, naturalArgument, recordArgument } from '../arguments.js';
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
  recordArgument(p, 'parameters');
  const modulus = hexArgument(p.modulus, 'modulus');
  hexArgument(p.total, 'total');
  naturalArgument(p.value, 'value');
  naturalArgument(p.randomness, 'randomness');
  let n: bigint;
  try {
    n = parseModulus(hexToBytes(modulus));
  } catch (error) {
    throw invalidArgument((error as Error).message, 'modulus');
  }
  return opensTo(n, bigintFromBytes(hexToBytes(p.total)), p.value, p.randomness);
}
