import { getSuite, type PublicKey } from '@pujiang/crypto';
import { totalPower } from './core/proposer.js';
import type { CommitCertificate } from './core/types.js';
import { voteSignBytes } from './signing.js';

export interface CertifiedValidator {
  readonly publicKey: PublicKey;
  readonly power: number;
}

export type CertificateProblem =
  | 'wrong-height'
  | 'not-a-precommit-for-the-value'
  | 'unknown-validator'
  | 'duplicate-validator'
  | 'bad-signature'
  | 'insufficient-power';

/**
 * Checks a commit certificate against the validator set of its height: precommits for the
 * certified value and round, from distinct validators of that set, with valid signatures,
 * holding more than 2/3 of the power. Returns the first problem found, or undefined.
 */
export type SignatureCheck = (
  publicKey: CertifiedValidator['publicKey'],
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

const verifyWithSuite: SignatureCheck = (publicKey, message, signature) =>
  getSuite(publicKey.suite).verify(publicKey.bytes, message, signature);

export function checkCertificate(
  chainId: string,
  certificate: CommitCertificate,
  validators: readonly CertifiedValidator[],
  height: number,
  verifySignature: SignatureCheck = verifyWithSuite,
): CertificateProblem | undefined {
  if (certificate.height !== height) return 'wrong-height';
  const seen = new Set<number>();
  let power = 0;
  for (const { message, signature } of certificate.precommits) {
    if (
      message.type !== 'precommit' ||
      message.height !== height ||
      message.round !== certificate.round ||
      message.value !== certificate.value
    ) {
      return 'not-a-precommit-for-the-value';
    }
    const validator = validators[message.validator];
    if (!validator) return 'unknown-validator';
    if (seen.has(message.validator)) return 'duplicate-validator';
    seen.add(message.validator);
    if (!verifySignature(validator.publicKey, voteSignBytes(chainId, message), signature))
      return 'bad-signature';
    power += validator.power;
  }
  const total = totalPower({ powers: validators.map((v) => v.power), priorities: [] });
  return 3 * power > 2 * total ? undefined : 'insufficient-power';
}
