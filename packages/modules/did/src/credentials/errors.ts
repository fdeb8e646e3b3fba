import { type ErrorDetails, PujiangError } from '@pujiang/types';

/** The checks credential issuance and verification run; each failure names one. */
export type CredentialCheck =
  | 'context'
  | 'id'
  | 'type'
  | 'issuer'
  | 'credentialSubject'
  | 'validFrom'
  | 'validUntil'
  | 'validity'
  | 'credentialStatus'
  | 'credentialSchema'
  | 'refreshService'
  | 'termsOfUse'
  | 'evidence'
  | 'relatedResource'
  | 'name'
  | 'description'
  | 'holder'
  | 'proof'
  | 'verificationMethod'
  | 'issuance-anchor'
  | 'issuance-key'
  | 'challenge'
  | 'domain'
  | 'size'
  | 'accreditation'
  | 'accreditation-scope'
  | 'accreditation-root';

/**
 * A credential or presentation refused, naming the check (`check`, and `details.check`).
 * Codes: `VC_DATA_MODEL` (a MUST of VC 2.0 not met), `VC_UNKNOWN_CONTEXT`, `VC_PROOF`
 * (the proof does not verify), `VC_EXPIRED`, `VC_NOT_YET_VALID`, `VC_UNRESOLVABLE` (the
 * issuer's key cannot be found), `VC_ISSUANCE` (the proof was not anchored while its key was
 * the issuer's), `VC_PRESENTATION` (challenge or domain), `VC_TOO_LARGE`.
 */
export class CredentialError extends PujiangError<string> {
  readonly check: CredentialCheck;

  constructor(code: string, check: CredentialCheck, message: string, details: ErrorDetails = {}) {
    super(code, message, { ...details, check });
    this.name = 'CredentialError';
    this.check = check;
  }
}

export const dataModelError = (check: CredentialCheck, message: string, details: ErrorDetails = {}) =>
  new CredentialError('VC_DATA_MODEL', check, message, details);
