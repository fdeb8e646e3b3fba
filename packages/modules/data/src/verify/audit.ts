import { decode, u32 } from '@pujiang/codec';
import type { HashAlgorithm } from '@pujiang/crypto';
import { readStatusEntry, statusListStateKey } from '@pujiang/module-did';
import {
  BUNDLED_CONTEXTS,
  type ChainLookup,
  didResolver,
  verifiedChainLookup,
  verifyCredential,
} from '@pujiang/module-did/client';
import {
  listArgument,
  objectArgument,
  sdkError,
  stringArgument,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, invalidArgument, isPujiangError, utf8ToBytes } from '@pujiang/types';
import { checkConsentScope } from '../consent.js';
import {
  DATA_MODULE,
  deliveryDigest,
  ReceiptRecord,
  RequestRecord,
  receiptCountKey,
  receiptKey,
  requestKey,
} from '../formats.js';
import { type ReceiptJson, type RequestJson, receiptJson, requestJson } from '../records-json.js';
import type { RequestSecrets } from '../sealed-request.js';
import type { LoggedDelivery } from '../service/delivery-log.js';

/** The checks an audit names. */
export type AuditCheck = 'header' | 'access-log' | 'grant' | 'sealed' | 'consent' | 'delivery';

export interface AuditOutcome {
  readonly check: AuditCheck;
  readonly verified: boolean;
  /** The access it concerns, if one. */
  readonly seq?: number;
  readonly code?: string;
  readonly message?: string;
}

export interface AuditedAccess {
  readonly receipt: ReceiptJson;
  readonly request: Pick<
    RequestJson,
    | 'id'
    | 'requester'
    | 'requesterDid'
    | 'requesterOrg'
    | 'legalBasis'
    | 'scope'
    | 'status'
    | 'decidedBy'
    | 'grantedUntil'
  >;
  /** What the sealed terms say, when the auditor opened them. */
  readonly subject?: string;
  readonly purpose?: string;
  readonly consent?: { readonly issuer: string; readonly verified: boolean };
  readonly delivery?: { readonly records: number; readonly deliveredAt: string };
}

export interface AuditReport {
  readonly verified: boolean;
  readonly dataset: string;
  readonly height: number;
  /** Receipts the chain holds for the dataset (all were checked, whatever `subject` filters). */
  readonly count: number;
  readonly checks: readonly AuditOutcome[];
  /** The accesses audited (those of `subject` when one is named and the terms were opened). */
  readonly accesses: readonly AuditedAccess[];
}

export interface AuditOptions {
  readonly dataset: string;
  readonly chain: { readonly chainId: string; readonly chainHash: HashAlgorithm };
  /**
   * Opens a request's sealed terms (an auditor's, the steward's or the subject's key: see
   * `requestOpener` of the client), checked against its tags; throws when it cannot.
   */
  readonly open?: RequestOpener;
  /** Only this subject's accesses in the report (needs `open`). */
  readonly subject?: string;
  /** The data service's delivery log: every receipt must have its delivery, with the same digest. */
  readonly deliveries?: readonly LoggedDelivery[];
}

const PAGE = 500;

/** What opens a request's sealed terms (`requestOpener(secretKey, chain)` in the client). */
export type RequestOpener = (request: {
  readonly dataset: string;
  readonly sealed: string;
  readonly subjectTag: string;
  readonly purposeTag: string;
}) => RequestSecrets;

/** Reads of one proven answer, by module-relative key (a key it did not prove is `missing-read`). */
function provenReader(module: string, reads: ReadonlyMap<string, Uint8Array | undefined>) {
  return (key: string) => {
    const stateKey = bytesToHex(moduleKey(module, key));
    if (!reads.has(stateKey))
      throw sdkError('SDK_VERIFICATION_FAILED', 'the proof lacks a read the audit depends on', {
        key: stateKey,
      });
    return reads.get(stateKey);
  };
}

const failure = (check: AuditCheck, error: unknown, seq?: number): AuditOutcome => ({
  check,
  verified: false,
  ...(seq === undefined ? {} : { seq }),
  code: isPujiangError(error) ? error.code : 'DATA_AUDIT_FAILED',
  message: (error as Error).message,
});

/**
 * Audits every access to a dataset from proven state alone: the access log at one certified
 * height, complete (receipts numbered 0 to count-1, each proven), each receipt's request and
 * grant (live when the receipt was recorded), with the sealed terms opened the subject's
 * consent (its proof, scope, period at the access time, and its status at the block before
 * the delivery), and each logged delivery against its receipt's digest. Runs on a recording
 * querier (building a bundle) or a replaying one (checking it offline): the same reads.
 */
export async function auditDataset(querier: VerifiedQuerier, o: AuditOptions): Promise<AuditReport> {
  objectArgument(querier, 'querier');
  if (typeof querier.verifiedQuery !== 'function' || typeof querier.getVerifiedLatestHeader !== 'function')
    throw invalidArgument('querier is a verified querier (the SDK’s LightClient)', 'querier');
  objectArgument(o, 'options');
  stringArgument(o.dataset, 'dataset');
  objectArgument(o.chain, 'chain');
  if (o.open !== undefined && typeof o.open !== 'function')
    throw invalidArgument('open is a function that opens sealed requests', 'open');
  if (o.subject !== undefined) stringArgument(o.subject, 'subject');
  if (o.deliveries !== undefined) listArgument(o.deliveries, 'deliveries');
  const checks: AuditOutcome[] = [];
  const accesses: AuditedAccess[] = [];
  let height = 0;
  let count = 0;
  const receipts: { seq: number; record: ReceiptRecord }[] = [];
  try {
    height = (await querier.getVerifiedLatestHeader()).height;
  } catch (error) {
    checks.push(failure('header', error));
    return { verified: false, dataset: o.dataset, height, count, checks, accesses };
  }
  try {
    const countKey = moduleKey(DATA_MODULE, receiptCountKey(o.dataset));
    for (let from = 0; from === 0 || from < count; from += PAGE) {
      const proven = await querier.verifiedQuery(
        DATA_MODULE,
        'accessLog',
        { dataset: o.dataset, from: String(from), limit: String(PAGE) },
        [countKey],
        { height },
      );
      const read = provenReader(DATA_MODULE, proven.reads);
      const countBytes = read(receiptCountKey(o.dataset));
      count = countBytes ? decode(u32, countBytes) : 0;
      for (let seq = from; seq < Math.min(count, from + PAGE); seq++) {
        const bytes = read(receiptKey(o.dataset, seq));
        if (!bytes)
          throw sdkError('SDK_VERIFICATION_FAILED', `receipt ${seq} of ${count} is absent`, { seq });
        const record = decode(ReceiptRecord, bytes);
        if (record.seq !== seq)
          throw sdkError('SDK_VERIFICATION_FAILED', `receipt ${seq} says it is ${record.seq}`, { seq });
        receipts.push({ seq, record });
      }
    }
    checks.push({ check: 'access-log', verified: true });
  } catch (error) {
    checks.push(failure(isHeaderFailure(error) ? 'header' : 'access-log', error));
    return { verified: false, dataset: o.dataset, height, count, checks, accesses };
  }
  const logged = new Map((o.deliveries ?? []).filter((d) => d.dataset === o.dataset).map((d) => [d.seq, d]));
  for (const { seq, record } of receipts) {
    const access = await auditAccess(querier, o, height, seq, record, logged.get(seq), checks);
    if (access && (o.subject === undefined || access.subject === o.subject)) accesses.push(access);
  }
  if (o.deliveries)
    for (const d of logged.values())
      if (d.seq >= count || d.seq < 0)
        checks.push(
          failure(
            'delivery',
            sdkError('SDK_VERIFICATION_FAILED', `delivery ${d.seq} has no receipt on chain`),
            d.seq,
          ),
        );
  return { verified: checks.every((c) => c.verified), dataset: o.dataset, height, count, checks, accesses };
}

const isHeaderFailure = (error: unknown) =>
  ['chain-id', 'header-height', 'header-hash', 'certificate', 'quorum'].includes(
    (error as { check?: string }).check ?? '',
  );

async function auditAccess(
  querier: VerifiedQuerier,
  o: AuditOptions,
  height: number,
  seq: number,
  receipt: ReceiptRecord,
  delivery: LoggedDelivery | undefined,
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
      { height },
    );
    const bytes = provenReader(DATA_MODULE, proven.reads)(requestKey(id));
    if (!bytes)
      throw sdkError('SDK_VERIFICATION_FAILED', `receipt ${seq} names request ${id}, which does not exist`);
    const r = decode(RequestRecord, bytes);
    request = requestJson(id, r);
    grantCovered(r, receipt, o.dataset);
    checks.push({ check: 'grant', verified: true, seq });
  } catch (error) {
    checks.push(failure('grant', error, seq));
    return undefined;
  }
  const access: {
    -readonly [K in keyof AuditedAccess]: AuditedAccess[K];
  } = {
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
      grantedUntil: request.grantedUntil,
    },
  };
  if (o.open) {
    let secrets: RequestSecrets | undefined;
    try {
      secrets = o.open(request);
      access.subject = secrets.subject;
      access.purpose = secrets.purpose;
      checks.push({ check: 'sealed', verified: true, seq });
    } catch (error) {
      checks.push(failure('sealed', error, seq));
    }
    if (secrets && request.consent)
      access.consent = await auditConsent(querier, request, secrets, receipt, seq, checks);
  }
  if (o.deliveries) {
    try {
      if (!delivery)
        throw sdkError('SDK_VERIFICATION_FAILED', `the delivery log lacks receipt ${seq}'s delivery`);
      const digest = bytesToHex(
        deliveryDigest(o.chain.chainHash, utf8ToBytes(JSON.stringify(delivery.delivery))),
      );
      if (digest !== bytesToHex(receipt.digest) || delivery.delivery.request !== id)
        throw sdkError('SDK_VERIFICATION_FAILED', `delivery ${seq} is not what its receipt recorded`, {
          seq,
        });
      access.delivery = {
        records: delivery.delivery.records.length,
        deliveredAt: delivery.delivery.deliveredAt,
      };
      checks.push({ check: 'delivery', verified: true, seq });
    } catch (error) {
      checks.push(failure('delivery', error, seq));
    }
  }
  return access;
}

/** The receipt was recorded under this request's grant, while it was live. */
function grantCovered(r: RequestRecord, receipt: ReceiptRecord, dataset: string): void {
  const fail = (message: string) => sdkError('SDK_VERIFICATION_FAILED', message);
  if (r.dataset !== dataset) throw fail('the request is for another dataset');
  if (bytesToHex(r.requester) !== bytesToHex(receipt.requester))
    throw fail('the receipt names another requester');
  const granted = r.status === 'granted' || (r.status === 'revoked' && r.grantedUntil > 0n);
  if (!granted) throw fail(`the request is ${r.status}`);
  if (receipt.time >= r.grantedUntil) throw fail('the delivery came after the grant ended');
  if (r.status === 'revoked' && r.decidedAt <= receipt.time)
    throw fail('the delivery came after the grant was revoked');
}

/** The consent: its proof, period (at the access time) and scope, and its status at the block before the delivery. */
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
    if (!consent)
      throw sdkError('SDK_VERIFICATION_FAILED', 'the request says it carries consent, and does not');
    checkConsentScope(consent, request, secrets);
    const base = verifiedChainLookup(querier, { maxAgeMs: Number.MAX_SAFE_INTEGER });
    // The header of the receipt's block commits to the state before that block: what the service saw.
    const before = Number(receipt.height);
    const chain: ChainLookup = {
      ...base,
      statusEntry: async (list, index) => {
        const proven = await querier.verifiedQuery(
          'did',
          'statusEntry',
          { list, index: String(index) },
          [statusListStateKey(list)],
          {
            height: before,
          },
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
    if (!report.verified)
      throw report.error ?? sdkError('SDK_VERIFICATION_FAILED', 'the consent does not verify');
    checks.push({ check: 'consent', verified: true, seq });
    return { issuer, verified: true };
  } catch (error) {
    checks.push(failure('consent', error, seq));
    return { issuer, verified: false };
  }
}
