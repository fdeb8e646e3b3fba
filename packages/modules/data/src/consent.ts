import { DATA_CONTEXT_URL } from '@pujiang/module-did';
import { dateArgument, objectArgument, stringArgument } from '@pujiang/module-kit';
import { invalidArgument, PujiangError } from '@pujiang/types';
import type { RequestSecrets } from './sealed-request.js';

/**
 * The data subject's consent: a W3C verifiable credential the subject issues (signs with its
 * DID's key), naming the requester, the dataset, the purpose and the period, with a
 * revocation entry on the subject's Bitstring Status List on chain, so the subject can take
 * it back at any time.
 */
export const CONSENT_TYPE = 'DataSharingConsent';

/** The identifier a consent names for a requester without a DID: its member address. */
export function memberUrn(address: string): string {
  if (typeof address !== 'string' || !/^[0-9a-f]{42}$/.test(address))
    throw invalidArgument('address is a member address (42 hex)', 'address');
  return `urn:pujiang:member:${address}`;
}

export interface ConsentTerms {
  /** The subject's DID: the issuer. */
  readonly subjectDid: string;
  /** The requester's DID, or `memberUrn(address)`. */
  readonly requester: string;
  readonly dataset: string;
  readonly purpose: string;
  readonly validFrom: Date;
  readonly validUntil: Date;
  /** The subject's revocation list on chain and the index of this consent. */
  readonly status: { readonly listUrl: string; readonly index: number };
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The unsigned consent credential (sign it with the did module's `issueCredential`). */
export function consentCredential(t: ConsentTerms): Record<string, unknown> {
  objectArgument(t, 'terms');
  objectArgument(t.status, 'status');
  for (const field of ['subjectDid', 'requester', 'dataset', 'purpose'] as const)
    stringArgument(t[field], field);
  dateArgument(t.validFrom, 'validFrom');
  dateArgument(t.validUntil, 'validUntil');
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', DATA_CONTEXT_URL],
    type: ['VerifiableCredential', CONSENT_TYPE],
    issuer: t.subjectDid,
    validFrom: iso(t.validFrom),
    validUntil: iso(t.validUntil),
    credentialSubject: { id: t.requester, dataset: t.dataset, purpose: t.purpose },
    credentialStatus: {
      id: `${t.status.listUrl}#${t.status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(t.status.index),
      statusListCredential: t.status.listUrl,
    },
  };
}

const invalid = (check: string, message: string) =>
  new PujiangError('DATA_CONSENT_INVALID', message, { check });

/**
 * Whether a (verified) consent covers a request: issued by the subject the request is about,
 * to this requester, for this dataset and purpose. `DATA_CONSENT_INVALID` names the term that
 * differs. The credential's proof, period and status are the verifier's checks, not these.
 */
export function checkConsentScope(
  consent: Record<string, unknown>,
  request: { readonly dataset: string; readonly requester: string; readonly requesterDid: string },
  secrets: RequestSecrets,
): void {
  objectArgument(consent, 'consent');
  objectArgument(request, 'request');
  objectArgument(secrets, 'secrets');
  const types = Array.isArray(consent.type) ? consent.type : [consent.type];
  if (!types.includes(CONSENT_TYPE)) throw invalid('type', `the consent is not a ${CONSENT_TYPE}`);
  const issuer =
    typeof consent.issuer === 'string' ? consent.issuer : (consent.issuer as { id?: unknown })?.id;
  if (issuer !== secrets.subject)
    throw invalid('subject', 'the consent is not issued by the subject asked about');
  const subject = (consent.credentialSubject ?? {}) as Record<string, unknown>;
  const requester = request.requesterDid !== '' ? request.requesterDid : memberUrn(request.requester);
  if (subject.id !== requester) throw invalid('requester', 'the consent names another requester');
  if (subject.dataset !== request.dataset) throw invalid('dataset', 'the consent names another dataset');
  if (subject.purpose !== secrets.purpose) throw invalid('purpose', 'the consent names another purpose');
}
