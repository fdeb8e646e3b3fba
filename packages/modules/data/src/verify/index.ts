// `@pujiang/module-data/verify`: the offline audit of a dataset's accesses.
import { sdkError } from '@pujiang/module-kit';
import { type TrustParameters, trustOf } from '@pujiang/verify';
import { type AuditReport, auditDataset } from './audit.js';
import { type AuditBundle, auditBundleProblem } from './bundle.js';
import { ReplayQuerier } from './replay-querier.js';

export type { AuditCheck, AuditedAccess, AuditOptions, AuditOutcome, AuditReport } from './audit.js';
export { auditDataset } from './audit.js';
export type { AuditBundle, RecordedQuery } from './bundle.js';
export { AUDIT_BUNDLE_FORMAT, auditBundleProblem, queryKey } from './bundle.js';
export { ReplayQuerier } from './replay-querier.js';

/**
 * Checks an audit bundle offline against pinned validators (a genesis): every access to the
 * dataset, with its grant, its opened terms and consent when `openKey` is a recipient's
 * X25519 secret, and the delivery log the bundle carries. A removed receipt, a changed
 * proof or a changed delivered record fails with the check it breaks.
 */
export function verifyAuditBundle(
  bundle: unknown,
  options: { trust: TrustParameters; openKey?: Uint8Array; subject?: string },
): Promise<AuditReport> {
  const parsed = typeof bundle === 'string' ? (JSON.parse(bundle) as unknown) : bundle;
  const problem = auditBundleProblem(parsed);
  if (problem)
    throw sdkError('SDK_DOCUMENT_MALFORMED', `not a version 1 data audit bundle (field ${problem})`, {
      field: problem,
    });
  const b = parsed as AuditBundle;
  const trust = trustOf(options.trust);
  return auditDataset(new ReplayQuerier(b, options.trust), {
    dataset: b.dataset,
    chain: { chainId: trust.chainId, chainHash: trust.chainHash },
    ...(options.openKey ? { openKey: options.openKey } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(b.deliveries ? { deliveries: b.deliveries } : {}),
  });
}
