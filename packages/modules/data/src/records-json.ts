import { bytesToHex } from '@pujiang/types';
import type { DatasetRecord, ReceiptRecord, RequestRecord } from './formats.js';

/** Records as the queries answer them (and as clients rebuild them from proven reads). */
export const datasetJson = (d: DatasetRecord) => ({
  id: d.id,
  version: d.version,
  title: d.title,
  org: d.org,
  steward: d.steward,
  classification: d.classification,
  legalBases: d.legalBases,
  endpoint: d.endpoint,
  schema: d.schema,
  schemaHash: bytesToHex(d.schemaHash),
  subjectField: d.subjectField,
  policy: {
    auto: d.policy.auto,
    orgs: d.policy.orgs,
    legalBases: d.policy.legalBases,
    maxDurationMs: String(d.policy.maxDurationMs),
  },
  height: String(d.height),
  time: String(d.time),
});
export type DatasetJson = ReturnType<typeof datasetJson>;

export const requestJson = (id: string, r: RequestRecord) => ({
  id,
  dataset: r.dataset,
  datasetVersion: r.datasetVersion,
  requester: bytesToHex(r.requester),
  requesterDid: r.requesterDid,
  requesterOrg: r.requesterOrg,
  scope: r.scope,
  legalBasis: r.legalBasis,
  subjectTag: bytesToHex(r.subjectTag),
  purposeTag: bytesToHex(r.purposeTag),
  consent: r.consent,
  validUntil: String(r.validUntil),
  replyKey: bytesToHex(r.replyKey),
  sealed: bytesToHex(r.sealed),
  height: String(r.height),
  time: String(r.time),
  status: r.status,
  grantedUntil: String(r.grantedUntil),
  decidedBy: r.decidedBy,
  decidedAt: String(r.decidedAt),
  revokedBy: r.revokedBy,
  revokedAt: String(r.revokedAt),
  reason: r.reason,
  receipts: r.receipts,
});
export type RequestJson = ReturnType<typeof requestJson>;

export const receiptJson = (dataset: string, r: ReceiptRecord) => ({
  dataset,
  seq: r.seq,
  request: bytesToHex(r.request),
  requester: bytesToHex(r.requester),
  digest: bytesToHex(r.digest),
  bytes: r.bytes,
  by: bytesToHex(r.by),
  height: String(r.height),
  time: String(r.time),
  txHash: bytesToHex(r.txHash),
});
export type ReceiptJson = ReturnType<typeof receiptJson>;
