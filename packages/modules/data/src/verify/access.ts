import { decode } from '@pujiang/codec';
import { readStatusEntry, statusListStateKey } from '@pujiang/module-did';
import {
  BUNDLED_CONTEXTS,
  type ChainLookup,
  didResolver,
  verifiedChainLookup,
  verifyCredential,
} from '@pujiang/module-did/client';
import { sdkError, type VerifiedQuerier } from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, isPujiangError, PujiangError, utf8ToBytes } from '@pujiang/types';
import { checkConsentScope } from '../consent.js';
import {
  Auditors,
  auditorsKey,
  DATA_MODULE,
  DatasetRecord,
  datasetKey,
  deliveryDigest,
  type ReceiptRecord,
  RequestRecord,
  requestKey,
} from '../formats.js';
import { type RequestJson, receiptJson, requestJson } from '../records-json.js';
import type { RequestSecrets } from '../sealed-request.js';
import type { LoggedDelivery } from '../service/delivery-log.js';
import type { AuditedAccess, AuditOptions, AuditOutcome } from './audit-types.js';
import { failure, provenReader } from './proven.js';

const fail = (message: string, details: Record<string, unknown> = {}) =>
  sdkError('SDK_VERIFICATION_FAILED', message, details);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One receipt's access: its grant, its terms and consent (with an opener), its delivery (with the log). */
export async function auditAccess(
  querier: VerifiedQuerier,
  o: AuditOptions,
  height: number,
  seq: number,
  receipt: ReceiptRecord,
  logged: ReadonlyMap<string, LoggedDelivery>,
  checks: AuditOutcome[],
): Promise<AuditedAccess | undefined> {
  const id = bytesToHex(receipt.request);
  let request: RequestJson;
  try {
    const proven = await querier.verifiedQuery(
      DATA_MODULE,
      'request',
      { id },
      [moduleKey(DATA_MODULE, requestKey(id))],
      {
        height,
      },
    );
    const bytes = provenReader(DATA_MODULE, proven.reads)(requestKey(id));
    if (!bytes) throw fail(`receipt ${seq} names request ${id}, which does not exist`);
    const r = decode(RequestRecord, bytes);
    request = requestJson(id, r);
    grantCovered(r, receipt, o.dataset);
    await consentRequiredThen(querier, r, receipt);
    checks.push({ check: 'grant', verified: true, seq });
  } catch (error) {
    checks.push(failure('grant', error, seq));
    return undefined;
  }
  const access: Mutable<AuditedAccess> = {
    receipt: receiptJson(o.dataset, receipt),
    request: {
      id,
      requester: request.requester,
      requesterDid: request.requesterDid,
      requesterOrg: request.requesterOrg,
      legalBasis: request.legalBasis,
      scope: request.scope,
      status: request.status,
      decidedBy: request.decidedBy,
      decidedAt: request.decidedAt,
      grantedUntil: request.grantedUntil,
      revokedBy: request.revokedBy,
      revokedAt: request.revokedAt,
    },
  };
  if (o.open) {
    let secrets: RequestSecrets | undefined;
    try {
      secrets = o.open(request);
      Object.assign(access, { opened: true, subject: secrets.subject, purpose: secrets.purpose });
      checks.push({ check: 'sealed', verified: true, seq });
    } catch (error) {
      // Not this key's to read (a subject's audit meets others' requests): unopened, not failed,
      // unless the key is an auditor's that the request had to be sealed to.
      if (
        isPujiangError(error) &&
        error.code === 'DATA_NOT_RECIPIENT' &&
        !(await wasAuditor(querier, o, request))
      )
        access.opened = false;
      else checks.push(failure('sealed', error, seq));
    }
    if (secrets && request.consent)
      access.consent = await auditConsent(querier, request, secrets, receipt, seq, checks);
  }
  if (o.deliveries) {
    try {
      access.delivery = checkDelivery(o, id, receipt, logged.get(bytesToHex(receipt.digest)), seq);
      checks.push({ check: 'delivery', verified: true, seq });
    } catch (error) {
      checks.push(failure('delivery', error, seq));
    }
  }
  return access;
}

/** Whether `o.auditor` was one of the auditors when the request was made (proven). */
async function wasAuditor(querier: VerifiedQuerier, o: AuditOptions, request: RequestJson): Promise<boolean> {
  if (o.auditor === undefined) return false;
  const proven = await querier.verifiedQuery(
    DATA_MODULE,
    'auditors',
    {},
    [moduleKey(DATA_MODULE, auditorsKey)],
    {
      height: Number(request.height),
    },
  );
  const bytes = provenReader(DATA_MODULE, proven.reads)(auditorsKey);
  return (bytes ? decode(Auditors, bytes) : []).includes(o.auditor);
}

/** The receipt was recorded under this request's grant while it was live (a revocation in the same block came after it). */
function grantCovered(r: RequestRecord, receipt: ReceiptRecord, dataset: string): void {
  if (r.dataset !== dataset) throw fail('the request is for another dataset');
  if (bytesToHex(r.requester) !== bytesToHex(receipt.requester))
    throw fail('the receipt names another requester');
  if (r.status !== 'granted' && r.status !== 'revoked') throw fail(`the request is ${r.status}`);
  if (r.decidedAt > receipt.time) throw fail('the delivery came before the grant');
  if (receipt.time >= r.grantedUntil) throw fail('the delivery came after the grant ended');
  if (r.revokedAt !== 0n && r.revokedAt < receipt.time)
    throw fail('the delivery came after the grant was revoked');
}

/** Restricted data (as the dataset stood when the receipt was recorded) went record by record, with consent. */
async function consentRequiredThen(
  querier: VerifiedQuerier,
  r: RequestRecord,
  receipt: ReceiptRecord,
): Promise<void> {
  const proven = await querier.verifiedQuery(
    DATA_MODULE,
    'dataset',
    { id: r.dataset },
    [moduleKey(DATA_MODULE, datasetKey(r.dataset))],
    { height: Number(receipt.height) },
  );
  const bytes = provenReader(DATA_MODULE, proven.reads)(datasetKey(r.dataset));
  if (!bytes) throw fail('the dataset did not exist when the receipt was recorded');
  const dataset = decode(DatasetRecord, bytes);
  if (dataset.classification === 'restricted' && (r.scope !== 'record' || !r.consent))
    throw new PujiangError('DATA_CONSENT_REQUIRED', 'restricted data delivered without a subject’s consent');
}

/** The logged delivery is the receipt's: same digest, request, chain, dataset and size. */
function checkDelivery(
  o: AuditOptions,
  id: string,
  receipt: ReceiptRecord,
  entry: LoggedDelivery | undefined,
  seq: number,
): NonNullable<AuditedAccess['delivery']> {
  if (!entry) throw fail(`the delivery log lacks receipt ${seq}'s delivery`, { seq });
  const plaintext = utf8ToBytes(JSON.stringify(entry.delivery));
  const d = entry.delivery;
  if (
    bytesToHex(deliveryDigest(o.chain.chainHash, plaintext)) !== bytesToHex(receipt.digest) ||
    plaintext.length !== receipt.bytes ||
    d.request !== id ||
    d.dataset !== o.dataset ||
    d.chainId !== o.chain.chainId ||
    !Array.isArray(d.records)
  )
    throw fail(`delivery ${seq} is not what its receipt recorded`, { seq });
  return { records: d.records.length, deliveredAt: d.deliveredAt };
}

/**
 * The consent: its scope, proof and period at the access time; anchored before the delivery's
 * block (a consent made later cannot cover it); and its status bit clear in the state the
 * delivery's block was built on (what the service saw).
 */
async function auditConsent(
  querier: VerifiedQuerier,
  request: RequestJson,
  secrets: RequestSecrets,
  receipt: ReceiptRecord,
  seq: number,
  checks: AuditOutcome[],
): Promise<{ issuer: string; verified: boolean }> {
  const consent = secrets.consent;
  const issuer = String((consent as { issuer?: unknown } | undefined)?.issuer ?? '');
  try {
    if (!consent) throw fail('the request says it carries consent, and does not');
    checkConsentScope(consent, request, secrets);
    const base = verifiedChainLookup(querier, { maxAgeMs: Number.MAX_SAFE_INTEGER });
    // The header of the receipt's block commits to the state before that block.
    const before = Number(receipt.height);
    const chain: ChainLookup = {
      ...base,
      statusEntry: async (list, index) => {
        const proven = await querier.verifiedQuery(
          'did',
          'statusEntry',
          { list, index: String(index) },
          [statusListStateKey(list)],
          { height: before },
        );
        return readStatusEntry(provenReader('did', proven.reads), list, index);
      },
    };
    const report = await verifyCredential(consent, {
      contexts: BUNDLED_CONTEXTS,
      resolver: didResolver({ chain }),
      chain,
      now: new Date(Number(receipt.time)),
    });
    if (!report.verified) throw report.error ?? fail('the consent does not verify');
    if (!report.issuance || BigInt(report.issuance.height) >= receipt.height)
      throw fail('the consent was anchored after the delivery', { anchored: report.issuance?.height });
    checks.push({ check: 'consent', verified: true, seq });
    return { issuer, verified: true };
  } catch (error) {
    checks.push(failure('consent', error, seq));
    return { issuer, verified: false };
  }
}
