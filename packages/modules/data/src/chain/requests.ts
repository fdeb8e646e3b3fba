import { decode, encode } from '@pujiang/codec';
import { type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  DATA_LIMITS,
  type DatasetRecord,
  type Grant,
  type Refuse,
  type RequestData,
  RequestRecord,
  type RevokeGrant,
  requestKey,
  TERM,
} from '../formats.js';
import { policyCovers } from '../policy.js';
import { readDataset } from './catalog.js';
import { actsFor, requireSteward, senderOrg } from './identity.js';

/** The smallest sealed envelope: magic, AEAD, ephemeral key, one recipient, nonce and tag. */
const MIN_SEALED = 4 + 1 + 32 + 1 + 56 + 12 + 16;

export function readRequest(read: StateRead, id: string): RequestRecord | undefined {
  const bytes = read(requestKey(id));
  return bytes ? decode(RequestRecord, bytes) : undefined;
}

const isZero = (b: Uint8Array) => b.every((x) => x === 0);

/** Whether the dataset's policy grants this request on chain, at once (restricted data waits for the steward's consent check). */
function policyGrants(d: DatasetRecord, r: RequestData, org: string, now: bigint): boolean {
  if (d.classification === 'public') return true;
  return d.classification === 'request' && policyCovers(d.policy, r, org, now);
}

/**
 * `data/request`: a valid member asks, for itself or a DID it acts for. The subject and
 * purpose are tags and a sealed envelope only; the chain checks what it can see: the legal
 * basis is the dataset's, restricted data is asked record by record with consent, and the
 * period is bounded. A request the policy covers is granted in the same transaction.
 */
export function requestData(ctx: MessageContext, m: RequestData): void {
  const dataset = readDataset((k) => ctx.get(k), m.dataset);
  if (!dataset) throw moduleError('DATA_UNKNOWN', `there is no dataset ${m.dataset}`, { dataset: m.dataset });
  const org = senderOrg(ctx);
  if (m.requesterDid !== '' && !actsFor(ctx, m.requesterDid))
    throw moduleError('DATA_NOT_AUTHORIZED', `the sender does not act for ${m.requesterDid}`, {
      did: m.requesterDid,
    });
  const bad = (message: string) => moduleError('DATA_BAD_REQUEST', message);
  if ((m.scope === 'record') === isZero(m.subjectTag))
    throw bad('a record request names a subject tag; a dataset request none');
  if (isZero(m.purposeTag)) throw bad('a request states its purpose (as a tag)');
  if (isZero(m.replyKey)) throw bad('a request names the X25519 key deliveries are sealed to');
  if (m.sealed.length < MIN_SEALED) throw bad('the sealed envelope is missing or truncated');
  if (!TERM.test(m.legalBasis) || !dataset.legalBases.includes(m.legalBasis))
    throw moduleError('DATA_LEGAL_BASIS', `${m.dataset} is not shared under ${m.legalBasis}`, {
      legalBases: dataset.legalBases,
    });
  requireConsentIfRestricted(dataset, m);
  if (m.validUntil <= ctx.time || m.validUntil - ctx.time > DATA_LIMITS.maxGrantMs)
    throw moduleError('DATA_BAD_PERIOD', 'a request runs from now to at most two years ahead');
  const granted = policyGrants(dataset, m, org, ctx.time);
  const record: RequestRecord = {
    ...m,
    datasetVersion: dataset.version,
    requester: hexToBytes(ctx.sender),
    requesterOrg: org,
    height: ctx.height,
    time: ctx.time,
    status: granted ? 'granted' : 'pending',
    grantedUntil: granted ? m.validUntil : 0n,
    decidedBy: granted ? 'policy' : '',
    decidedAt: granted ? ctx.time : 0n,
    revokedBy: '',
    revokedAt: 0n,
    reason: '',
    receipts: 0,
  };
  ctx.set(requestKey(ctx.txHash), encode(RequestRecord, record));
  ctx.emit('requested', { request: ctx.txHash, dataset: m.dataset, requester: ctx.sender, scope: m.scope });
  if (granted)
    ctx.emit('granted', {
      request: ctx.txHash,
      dataset: m.dataset,
      by: 'policy',
      until: String(m.validUntil),
    });
}

function loadRequest(
  ctx: MessageContext,
  id: Uint8Array,
): { id: string; record: RequestRecord; dataset: DatasetRecord } {
  const hex = bytesToHex(id);
  const record = readRequest((k) => ctx.get(k), hex);
  if (!record) throw moduleError('DATA_UNKNOWN', `there is no request ${hex}`, { request: hex });
  const dataset = readDataset((k) => ctx.get(k), record.dataset)!;
  return { id: hex, record, dataset };
}

/** `data/grant`: the steward grants a pending request, no longer than asked. */
export function grant(ctx: MessageContext, m: Grant): void {
  const { id, record, dataset } = loadRequest(ctx, m.request);
  requireSteward(ctx, dataset.steward, 'grants');
  requireConsentIfRestricted(dataset, record);
  if (record.status !== 'pending')
    throw moduleError('DATA_NOT_PENDING', `request ${id} is ${record.status}`, { status: record.status });
  if (m.validUntil <= ctx.time || m.validUntil > record.validUntil)
    throw moduleError('DATA_BAD_PERIOD', 'a grant ends after now and no later than the request asked', {
      asked: String(record.validUntil),
    });
  const next = {
    ...record,
    status: 'granted' as const,
    grantedUntil: m.validUntil,
    decidedBy: ctx.sender,
    decidedAt: ctx.time,
  };
  ctx.set(requestKey(id), encode(RequestRecord, next));
  ctx.emit('granted', { request: id, dataset: record.dataset, by: ctx.sender, until: String(m.validUntil) });
}

/** `data/refuse`: the steward refuses a pending request, with a reason. */
export function refuse(ctx: MessageContext, m: Refuse): void {
  const { id, record, dataset } = loadRequest(ctx, m.request);
  requireSteward(ctx, dataset.steward, 'refuses');
  if (record.status !== 'pending')
    throw moduleError('DATA_NOT_PENDING', `request ${id} is ${record.status}`, { status: record.status });
  if (!TERM.test(m.reason)) throw moduleError('DATA_BAD_REQUEST', 'a reason is a short term');
  const next = {
    ...record,
    status: 'refused' as const,
    decidedBy: ctx.sender,
    decidedAt: ctx.time,
    reason: m.reason,
  };
  ctx.set(requestKey(id), encode(RequestRecord, next));
  ctx.emit('refused', { request: id, dataset: record.dataset, reason: m.reason });
}

/** `data/revokeGrant`: the steward ends a grant, or the requester gives it up; for good. */
export function revokeGrant(ctx: MessageContext, m: RevokeGrant): void {
  const { id, record, dataset } = loadRequest(ctx, m.request);
  if (bytesToHex(record.requester) !== ctx.sender)
    requireSteward(ctx, dataset.steward, 'or the requester revokes');
  if (record.status !== 'granted')
    throw moduleError('DATA_NOT_GRANTED', `request ${id} is ${record.status}`, { status: record.status });
  if (!TERM.test(m.reason)) throw moduleError('DATA_BAD_REQUEST', 'a reason is a short term');
  const next = {
    ...record,
    status: 'revoked' as const,
    revokedBy: ctx.sender,
    revokedAt: ctx.time,
    reason: m.reason,
  };
  ctx.set(requestKey(id), encode(RequestRecord, next));
  ctx.emit('revoked', { request: id, dataset: record.dataset, reason: m.reason });
}

/**
 * Restricted data goes record by record, with consent: checked when a request is made and
 * again at each grant and delivery, so a dataset reclassified as restricted later does not
 * keep serving grants made before under the old terms.
 */
export function requireConsentIfRestricted(
  dataset: DatasetRecord,
  request: RequestRecord | RequestData,
): void {
  if (dataset.classification === 'restricted' && (request.scope !== 'record' || !request.consent))
    throw moduleError(
      'DATA_CONSENT_REQUIRED',
      'restricted data is asked for one subject at a time, with its consent sealed in',
    );
}

/** Why a request's grant is not live at `now`, as the code a delivery is refused with (undefined: live). */
export function grantProblem(record: RequestRecord, now: bigint): string | undefined {
  if (record.status === 'revoked') return 'DATA_GRANT_REVOKED';
  if (record.status !== 'granted') return 'DATA_NOT_GRANTED';
  if (now >= record.grantedUntil) return 'DATA_GRANT_EXPIRED';
  return undefined;
}
