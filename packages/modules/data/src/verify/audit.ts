import { decode, u32 } from '@pujiang/codec';
import {
  listArgument,
  objectArgument,
  sdkError,
  stringArgument,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { invalidArgument } from '@pujiang/types';
import { DATA_MODULE, ReceiptRecord, receiptCountKey, receiptKey } from '../formats.js';
import { auditAccess } from './access.js';
import type { AuditCheck, AuditedAccess, AuditOptions, AuditOutcome, AuditReport } from './audit-types.js';
import { failure, provenReader } from './proven.js';

export type {
  AuditCheck,
  AuditedAccess,
  AuditOptions,
  AuditOutcome,
  AuditReport,
  RequestOpener,
} from './audit-types.js';

const PAGE = 500;

const isHeaderFailure = (error: unknown) =>
  ['chain-id', 'header-height', 'header-hash', 'certificate'].includes(
    (error as { check?: string }).check ?? '',
  );

function checkOptions(querier: VerifiedQuerier, o: AuditOptions): void {
  objectArgument(querier, 'querier');
  if (typeof querier.verifiedQuery !== 'function' || typeof querier.getVerifiedLatestHeader !== 'function')
    throw invalidArgument('querier is a verified querier (the SDK’s LightClient)', 'querier');
  objectArgument(o, 'options');
  stringArgument(o.dataset, 'dataset');
  objectArgument(o.chain, 'chain');
  if (o.open !== undefined && typeof o.open !== 'function')
    throw invalidArgument('open is a function that opens sealed requests', 'open');
  if (o.subject !== undefined) stringArgument(o.subject, 'subject');
  if (o.auditor !== undefined) stringArgument(o.auditor, 'auditor');
  if (o.deliveries !== undefined)
    for (const [i, d] of listArgument(o.deliveries, 'deliveries').entries())
      if (
        typeof d !== 'object' ||
        d === null ||
        typeof d.digest !== 'string' ||
        typeof d.delivery !== 'object'
      )
        throw sdkError('SDK_DOCUMENT_MALFORMED', `deliveries[${i}] is not a logged delivery`, { index: i });
}

/**
 * Audits every access to a dataset from proven state alone: the access log at one certified
 * height, complete (receipts numbered 0 to count-1, each proven); each receipt's request and
 * grant, live when the receipt was recorded and for restricted data with consent; with an
 * opener, the sealed terms and the subject's consent (its proof, scope and period at the
 * access time, anchored before it, and its status in the state the delivery's block was built
 * on); with the steward's log, each receipt's delivery against its digest. Runs on a recording
 * querier (building a bundle) or a replaying one (checking it offline): the same reads.
 */
export async function auditDataset(querier: VerifiedQuerier, o: AuditOptions): Promise<AuditReport> {
  checkOptions(querier, o);
  const checks: AuditOutcome[] = [];
  const accesses: AuditedAccess[] = [];
  const unchecked: AuditCheck[] = [
    ...(o.open ? [] : (['sealed', 'consent'] as const)),
    ...(o.deliveries ? [] : (['delivery'] as const)),
  ];
  let height = 0;
  let count = 0;
  const report = (): AuditReport => ({
    verified: checks.every((c) => c.verified),
    dataset: o.dataset,
    height,
    count,
    checks,
    unchecked,
    accesses,
  });
  const receipts: { seq: number; record: ReceiptRecord }[] = [];
  try {
    height = (await querier.getVerifiedLatestHeader()).height;
  } catch (error) {
    checks.push(failure('header', error));
    return report();
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
    return report();
  }
  const logged = new Map(
    (o.deliveries ?? []).filter((d) => d.dataset === o.dataset).map((d) => [d.digest, d]),
  );
  for (const { seq, record } of receipts) {
    const access = await auditAccess(querier, o, height, seq, record, logged, checks);
    if (access && (o.subject === undefined || access.subject === o.subject)) accesses.push(access);
  }
  return report();
}
