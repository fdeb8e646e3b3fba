// `@pujiang/module-data/verify`: the offline audit of accesses to datasets.
import { objectArgument, sdkError, stringArgument } from '@pujiang/module-kit';
import { invalidArgument } from '@pujiang/types';
import { type TrustParameters, trustOf } from '@pujiang/verify';
import type { RequestOpener } from './audit.js';
import { type AuditBundle, auditBundleProblem } from './bundle.js';
import { ReplayQuerier } from './replay-querier.js';
import { auditScope, type ScopeReport } from './scope.js';

export type {
  AuditCheck,
  AuditedAccess,
  AuditOptions,
  AuditOutcome,
  AuditReport,
  RequestOpener,
} from './audit.js';
export { auditDataset } from './audit.js';
export type { AuditBundle, RecordedQuery } from './bundle.js';
export { AUDIT_BUNDLE_FORMAT } from './bundle.js';
export { ReplayQuerier } from './replay-querier.js';
export type { AuditScopeOptions, ScopeReport } from './scope.js';
export { auditScope } from './scope.js';

/**
 * Checks an audit bundle offline against pinned validators (a genesis): every access to its
 * datasets (or the whole catalog's), with its grant, its opened terms and consent when `open` opens them (a recipient's
 * key: the client's `requestOpener`), and the delivery log the bundle carries. A removed receipt, a changed
 * proof or a changed delivered record fails with the check it breaks.
 */
export function verifyAuditBundle(
  bundle: unknown,
  options: { trust: TrustParameters; open?: RequestOpener; auditor?: string; subject?: string },
): Promise<ScopeReport> {
  objectArgument(options, 'options');
  let parsed: unknown = bundle;
  if (typeof bundle === 'string')
    try {
      parsed = JSON.parse(bundle);
    } catch {
      throw sdkError('SDK_DOCUMENT_MALFORMED', 'the audit bundle is not JSON');
    }
  const problem = auditBundleProblem(parsed);
  if (problem)
    throw sdkError('SDK_DOCUMENT_MALFORMED', `not a version 1 data audit bundle (field ${problem})`, {
      field: problem,
    });
  const b = parsed as AuditBundle;
  const trust = trustOf(objectArgument(options.trust, 'trust'));
  if (options.open !== undefined && typeof options.open !== 'function')
    throw invalidArgument('open is a function that opens sealed requests', 'open');
  if (options.subject !== undefined) stringArgument(options.subject, 'subject');
  return auditScope(new ReplayQuerier(b, options.trust), {
    ...(b.datasets ? { datasets: b.datasets } : {}),
    chain: { chainId: trust.chainId, chainHash: trust.chainHash },
    ...(options.open ? { open: options.open } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(options.auditor !== undefined ? { auditor: stringArgument(options.auditor, 'auditor') } : {}),
    ...(b.deliveries ? { deliveries: b.deliveries } : {}),
  });
}
