import { deriveAddress, generateEphemeralKeyPair } from '@pujiang/crypto';
import { parsePujiangDid } from '@pujiang/module-did/client';
import {
  type ChainClient,
  dateArgument,
  encodePayload,
  hashArgument,
  keyPairArgument,
  listArgument,
  objectArgument,
  queryTyped,
  type RequestOptions,
  type SendTransactionReturnType,
  stringArgument,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, invalidArgument } from '@pujiang/types';
import {
  AUDITORS_PARAM,
  Auditors,
  DATA_MODULE,
  Grant,
  Refuse,
  RequestData,
  RevokeGrant,
  type Scope,
  TERM,
} from '../formats.js';
import type { ReceiptJson, RequestJson } from '../records-json.js';
import { AccessLogQuery, RequestQuery } from '../schemas.js';
import { sealRequest } from '../sealed-request.js';
import { agreementKeyIfAny, agreementKeyOf } from './agreement-keys.js';
import { type DataSendParameters, getAuditors, getDataset } from './catalog.js';

const termArgument = (value: unknown, parameter: string): string => {
  if (typeof value !== 'string' || !TERM.test(value))
    throw invalidArgument(`${parameter} is a short term`, parameter);
  return value;
};

export interface RequestDataParameters extends DataSendParameters {
  dataset: string;
  /** The subject whose record is asked for (its identifier in the dataset); omit for the whole dataset. */
  subject?: string;
  /** The subject's DID, if it has one with a key-agreement key: the request is sealed to it too. */
  subjectDid?: string;
  purpose: string;
  legalBasis: string;
  validUntil: Date;
  /** The requester's DID (the key acts for it); omit to ask as the key's member identity. */
  requesterDid?: string;
  /** The X25519 public key deliveries are sealed to. */
  replyKey: Uint8Array;
  /** The subject's consent credential (restricted data). */
  consent?: Record<string, unknown>;
}

/**
 * Asks for a dataset, or one subject's record (`data/request`). The subject, purpose and
 * consent are sealed to the dataset steward's DID key, the auditors' and the subject's (when
 * its DID names one); the chain sees only their salted tags. Returns the request id (the
 * transaction's hash) with the transaction.
 */
export async function requestData(
  client: ChainClient,
  p: RequestDataParameters,
): Promise<SendTransactionReturnType & { request: string }> {
  objectArgument(p, 'parameters');
  keyPairArgument(p.key, 'key');
  const datasetId = stringArgument(p.dataset, 'dataset');
  const subject = p.subject === undefined ? '' : stringArgument(p.subject, 'subject');
  const purpose = stringArgument(p.purpose, 'purpose');
  if (purpose === '' || purpose.length > 1024)
    throw invalidArgument('purpose is 1-1024 characters', 'purpose');
  const legalBasis = termArgument(p.legalBasis, 'legalBasis');
  const validUntil = dateArgument(p.validUntil, 'validUntil');
  if (!(p.replyKey instanceof Uint8Array) || p.replyKey.length !== 32)
    throw invalidArgument('replyKey is a 32-byte X25519 public key', 'replyKey');
  if (p.consent !== undefined) objectArgument(p.consent, 'consent');
  const requesterDid = p.requesterDid === undefined ? '' : stringArgument(p.requesterDid, 'requesterDid');
  const subjectDid = p.subjectDid === undefined ? undefined : stringArgument(p.subjectDid, 'subjectDid');
  const dataset = await getDataset(client, datasetId);
  if (!dataset) throw invalidArgument(`there is no dataset ${datasetId}`, 'dataset');
  const { chainId, chainHash } = await client.getStatus();
  const recipients = [await agreementKeyOf(client, dataset.steward, 'dataset')];
  const auditors = await getAuditors(client);
  for (const auditor of auditors) recipients.push(await agreementKeyOf(client, auditor, 'auditors'));
  // The subject reads what is asked about it: its DID's key, when it names one (the steward checks).
  if (subjectDid !== undefined) recipients.push(await agreementKeyOf(client, subjectDid, 'subjectDid'));
  if (parsePujiangDid(subject) && subject !== subjectDid) {
    const key = await agreementKeyIfAny(client, subject);
    if (key) recipients.push(key);
  }
  // A record request without a subject key gets a throwaway entry, so the count does not tell.
  if (subject !== '' && recipients.length === 1 + auditors.length)
    recipients.push(generateEphemeralKeyPair().publicKey);
  const unique = [...new Map(recipients.map((r) => [Buffer.from(r).toString('hex'), r])).values()];
  const sealed = sealRequest({
    recipients: unique,
    chainId,
    chainHash,
    dataset: dataset.id,
    requester: bytesToHex(deriveAddress(chainHash, p.key.publicKey)),
    subject,
    purpose,
    ...(p.consent ? { consent: p.consent } : {}),
  });
  const scope: Scope = subject === '' ? 'dataset' : 'record';
  const payload = encodePayload(RequestData, {
    dataset: dataset.id,
    requesterDid,
    scope,
    legalBasis,
    subjectTag: sealed.subjectTag,
    purposeTag: sealed.purposeTag,
    consent: p.consent !== undefined,
    validUntil: BigInt(validUntil.getTime()),
    replyKey: p.replyKey,
    sealed: sealed.sealed,
  });
  const sent = await client.sendTransaction({ ...p, module: DATA_MODULE, type: 'request', payload });
  return { ...sent, request: sent.hash };
}

/** The steward grants a pending request (`data/grant`) until `validUntil` (default: as asked). */
export async function grantRequest(
  client: ChainClient,
  p: DataSendParameters & { request: string; validUntil?: Date },
): Promise<SendTransactionReturnType> {
  const request = hashArgument(objectArgument(p, 'parameters').request, 'request');
  let until: bigint;
  if (p.validUntil === undefined) {
    const record = await getDataRequest(client, request);
    if (!record) throw invalidArgument(`there is no request ${request}`, 'request');
    until = BigInt(record.validUntil);
  } else until = BigInt(dateArgument(p.validUntil, 'validUntil').getTime());
  const payload = encodePayload(Grant, { request: hexToBytes(request), validUntil: until });
  return client.sendTransaction({ ...p, module: DATA_MODULE, type: 'grant', payload });
}

/** The steward refuses a pending request (`data/refuse`), with a reason (a short term). */
export function refuseRequest(
  client: ChainClient,
  p: DataSendParameters & { request: string; reason: string },
): Promise<SendTransactionReturnType> {
  const request = hashArgument(objectArgument(p, 'parameters').request, 'request');
  const payload = encodePayload(Refuse, {
    request: hexToBytes(request),
    reason: termArgument(p.reason, 'reason'),
  });
  return client.sendTransaction({ ...p, module: DATA_MODULE, type: 'refuse', payload });
}

/** Ends a grant (`data/revokeGrant`): the steward, or the requester giving it up. */
export function revokeGrant(
  client: ChainClient,
  p: DataSendParameters & { request: string; reason: string },
): Promise<SendTransactionReturnType> {
  const request = hashArgument(objectArgument(p, 'parameters').request, 'request');
  const payload = encodePayload(RevokeGrant, {
    request: hexToBytes(request),
    reason: termArgument(p.reason, 'reason'),
  });
  return client.sendTransaction({ ...p, module: DATA_MODULE, type: 'revokeGrant', payload });
}

/** A request and its grant, as the node says; undefined if none. */
export async function getDataRequest(
  client: ChainClient,
  request: string,
  options: RequestOptions = {},
): Promise<RequestJson | undefined> {
  const id = hashArgument(request, 'request');
  const { result } = await queryTyped(client, RequestQuery, { id }, objectArgument(options, 'options'));
  return (result.request as RequestJson | null) ?? undefined;
}

/** A dataset's access receipts, a page at a time (at most 500), and how many there are. */
export async function getAccessLog(
  client: ChainClient,
  dataset: string,
  options: RequestOptions & { from?: number; limit?: number } = {},
): Promise<{ count: number; receipts: ReceiptJson[] }> {
  const { from = 0, limit = 100, ...request } = objectArgument(options, 'options');
  if (!Number.isSafeInteger(from) || from < 0)
    throw invalidArgument('from is a non-negative integer', 'from');
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > 500)
    throw invalidArgument('limit is 0 to 500', 'limit');
  const { result } = await queryTyped(
    client,
    AccessLogQuery,
    { dataset: stringArgument(dataset, 'dataset'), from, limit },
    request,
  );
  return result as { count: number; receipts: ReceiptJson[] };
}

/**
 * The governance action that names the auditors every request is sealed to (it replaces the
 * list). Submit it with governance's `submitProposal`.
 */
export function auditorsAction(dids: readonly string[]) {
  return {
    type: 'setModuleParam' as const,
    value: {
      module: DATA_MODULE,
      name: AUDITORS_PARAM,
      value: encodePayload(
        Auditors,
        listArgument(dids, 'dids').map((d, i) => stringArgument(d, `dids[${i}]`)),
      ),
    },
  };
}
