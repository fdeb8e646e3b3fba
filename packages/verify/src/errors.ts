import { type ErrorDetails, invalidArgument, PujiangError } from '@pujiang/types';

/** Every check a verifier runs; one name per way a server's (or relayer's) data can be wrong. */
export type VerificationCheck =
  | 'chain-id'
  | 'header-height'
  | 'header-hash'
  | 'certificate'
  | 'tx-hash'
  | 'tx-inclusion'
  | 'receipt-inclusion'
  | 'state-root'
  | 'state-key'
  | 'state-proof'
  | 'missing-read'
  | 'result-mismatch'
  /** Notary receipts: the document's digest is not the receipt's. */
  | 'document-digest'
  /** The batch path does not lead from the document's leaf to the anchored root. */
  | 'batch-path'
  /** The transaction is not the anchor of that root, size and digest algorithm. */
  | 'anchor'
  | 'tx-signature'
  /** The transaction is in a block but failed there (its receipt's code is not OK). */
  | 'tx-result'
  /** Lineage: an event is not where it should be, or its hash link is broken. */
  | 'lineage-link';

/**
 * `SDK_VERIFICATION_FAILED`, with the failed check in `check` and in `details.check`. (The
 * code keeps the name clients have branched on since the SDK first raised it.)
 */
export class VerificationError extends PujiangError<'SDK_VERIFICATION_FAILED'> {
  readonly check: VerificationCheck;

  constructor(check: VerificationCheck, message: string, details: ErrorDetails = {}) {
    super('SDK_VERIFICATION_FAILED', `verification failed (${check}): ${message}`, { ...details, check });
    this.name = 'VerificationError';
    this.check = check;
  }
}

/**
 * Runs a parse of server-supplied data; malformed data fails the check it was needed for,
 * whatever the parser threw (a field of the wrong type fails inside it as a `TypeError`).
 */
export function parseFor<T>(check: VerificationCheck, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const cause = error instanceof PujiangError ? { cause: error.code, ...error.details } : {};
    throw new VerificationError(check, `malformed ${what}`, cause);
  }
}

/** A verifier's argument that must be an object (a response, a read, a parameters object). */
export function objectParameter<T>(value: T, parameter: string): NonNullable<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument(`${parameter} must be an object`, parameter);
  return value as NonNullable<T>;
}
