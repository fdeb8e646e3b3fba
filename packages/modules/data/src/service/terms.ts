import { parsePujiangDid } from '@pujiang/module-did/client';
import type { ChainClient } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import { agreementKeyIfAny, agreementKeyOf } from '../client/agreement-keys.js';
import { checkConsentScope } from '../consent.js';
import type { RequestJson } from '../records-json.js';
import { openRequest, type RequestSecrets, requireRecipients } from '../sealed-request.js';
import { type ConsentReport, DataServiceError } from './errors.js';

const refuse = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DataServiceError(403, code, message, details);

/**
 * A request's sealed terms, as the steward's service reads them: opened with the steward's
 * key and checked against the tags, and sealed to every auditor governance named when the
 * request was made and to its subject's key (when the subject is a DID that names one), so
 * no requester keeps its terms from those who may audit them.
 */
export async function openTerms(
  client: ChainClient,
  chain: { readonly chainId: string; readonly chainHash: 'sm3' | 'sha256' },
  agreementSecret: Uint8Array,
  request: RequestJson,
): Promise<RequestSecrets> {
  let secrets: RequestSecrets;
  try {
    secrets = openRequest(agreementSecret, request, chain);
  } catch (error) {
    if (isPujiangError(error)) throw refuse(error.code, error.message, error.details);
    throw error;
  }
  // What the requester saw: the state its request's block was built on.
  const height = BigInt(request.height) - 1n;
  const expected: Uint8Array[] = [];
  try {
    const { result } = await client.queryProven('data', 'auditors', {}, { height: Number(request.height) });
    for (const auditor of (result as { auditors: string[] }).auditors)
      expected.push(await agreementKeyOf(client, auditor, 'auditors', height));
    if (parsePujiangDid(secrets.subject)) {
      const subjectKey = await agreementKeyIfAny(client, secrets.subject, height);
      if (subjectKey) expected.push(subjectKey);
    }
  } catch (error) {
    throw new DataServiceError(
      503,
      'DATA_SERVICE_UNAVAILABLE',
      'the auditors’ and subject’s keys could not be read',
      {
        cause: (error as { code?: string }).code ?? String(error),
      },
    );
  }
  try {
    requireRecipients(agreementSecret, request, expected);
  } catch (error) {
    if (isPujiangError(error)) throw refuse(error.code, error.message, error.details);
    throw error;
  }
  return secrets;
}

/**
 * The consent covers this request (issued by the subject asked about, to this requester, for
 * this dataset and purpose) and verifies now: proof, anchored issuance, period, status. A
 * revoked consent is refused; the grant is left to expire, as revoking it on chain would tie
 * the subject's own revocation to this request for every member to see.
 */
export async function checkConsent(
  verify: (credential: Record<string, unknown>) => Promise<ConsentReport>,
  request: RequestJson,
  secrets: RequestSecrets,
): Promise<void> {
  if (!secrets.consent)
    throw refuse('DATA_CONSENT_INVALID', 'the request says it carries consent, and does not');
  try {
    checkConsentScope(secrets.consent, request, secrets);
  } catch (error) {
    if (isPujiangError(error)) throw refuse(error.code, error.message, error.details);
    throw error;
  }
  const report = await verify(secrets.consent);
  if (report.verified) return;
  if (report.error?.code === 'VC_REVOKED')
    throw refuse('DATA_CONSENT_REVOKED', 'the subject revoked its consent');
  throw refuse('DATA_CONSENT_INVALID', `the consent does not verify: ${report.error?.message ?? ''}`, {
    cause: report.error?.code,
  });
}
