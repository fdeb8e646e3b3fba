import type { BlockHeaderJson, CommitCertificateJson, ProvenQueryResponse } from '@pujiang/protocol';
import type { LoggedDelivery } from '../service/delivery-log.js';

export const AUDIT_BUNDLE_FORMAT = 'pujiang-data-audit';

/** One proven query the audit made, as the node answered it. */
export interface RecordedQuery {
  readonly module: string;
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
  readonly height: number;
  readonly response: ProvenQueryResponse;
}

/**
 * Everything an audit of some datasets (or the whole catalog) read, proven: the certified headers (by height) and each
 * proven query, so it checks again offline against a pinned genesis, trusting no server;
 * and, if the steward handed it over, the data service's log of what it delivered.
 */
export interface AuditBundle {
  readonly format: typeof AUDIT_BUNDLE_FORMAT;
  readonly version: 1;
  readonly chainId: string;
  /** The datasets audited; absent: every dataset of the catalog at `height`. */
  readonly datasets?: readonly string[];
  /** The height the audit was made at (its access log is the one proven there). */
  readonly height: number;
  readonly headers: Readonly<Record<string, { header: BlockHeaderJson; certificate: CommitCertificateJson }>>;
  readonly queries: readonly RecordedQuery[];
  readonly deliveries?: readonly LoggedDelivery[];
}

/** How a recorded query is found: its module, name, parameters (sorted) and height. */
export const queryKey = (
  module: string,
  name: string,
  params: Readonly<Record<string, string>>,
  height: number,
) =>
  `${module}/${name}?${Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&')}@${height}`;

/** The first field that makes `value` not an audit bundle (undefined: it is one). */
export function auditBundleProblem(value: unknown): string | undefined {
  const b = value as Partial<AuditBundle> | null;
  if (typeof b !== 'object' || b === null) return 'bundle';
  if (b.format !== AUDIT_BUNDLE_FORMAT) return 'format';
  if (b.version !== 1) return 'version';
  if (typeof b.chainId !== 'string') return 'chainId';
  if (
    b.datasets !== undefined &&
    (!Array.isArray(b.datasets) || !b.datasets.every((d) => typeof d === 'string'))
  )
    return 'datasets';
  if (!Number.isSafeInteger(b.height)) return 'height';
  if (typeof b.headers !== 'object' || b.headers === null) return 'headers';
  if (!Array.isArray(b.queries)) return 'queries';
  for (const q of b.queries)
    if (
      typeof q?.module !== 'string' ||
      typeof q.name !== 'string' ||
      typeof q.params !== 'object' ||
      !Number.isSafeInteger(q.height) ||
      typeof q.response !== 'object'
    )
      return 'queries';
  if (b.deliveries !== undefined && !Array.isArray(b.deliveries)) return 'deliveries';
  return undefined;
}
