import { decode, u32 } from '@pujiang/codec';
import { listArgument, objectArgument, sdkError, type VerifiedQuerier } from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { DATA_MODULE, datasetCountKey, datasetIndexKey } from '../formats.js';
import { auditDataset } from './audit.js';
import type { AuditOptions, AuditOutcome, AuditReport } from './audit-types.js';
import { failure, provenReader } from './proven.js';

const PAGE = 500;

export type AuditScopeOptions = Omit<AuditOptions, 'dataset'> & {
  /** The datasets to audit; omitted: every dataset of the catalog (for a subject's audit). */
  readonly datasets?: readonly string[];
};

export interface ScopeReport {
  readonly verified: boolean;
  readonly height: number;
  /** `catalog`: every dataset the catalog lists at that height (the list itself proven). */
  readonly scope: 'catalog' | 'datasets';
  /** The catalog's proof, when the scope is the catalog. */
  readonly checks: readonly AuditOutcome[];
  readonly datasets: readonly AuditReport[];
}

/** Every dataset the catalog lists at the querier's height, from proven reads. */
async function catalogDatasets(querier: VerifiedQuerier, height: number): Promise<string[]> {
  const ids: string[] = [];
  let count = 0;
  for (let from = 0; from === 0 || from < count; from += PAGE) {
    const proven = await querier.verifiedQuery(
      DATA_MODULE,
      'catalog',
      { from: String(from), limit: String(PAGE) },
      [moduleKey(DATA_MODULE, datasetCountKey)],
      { height },
    );
    const read = provenReader(DATA_MODULE, proven.reads);
    const countBytes = read(datasetCountKey);
    count = countBytes ? decode(u32, countBytes) : 0;
    for (let seq = from; seq < Math.min(count, from + PAGE); seq++) {
      const id = read(datasetIndexKey(seq));
      if (!id)
        throw sdkError('SDK_VERIFICATION_FAILED', `catalog entry ${seq} of ${count} is absent`, { seq });
      ids.push(new TextDecoder().decode(id));
    }
  }
  return ids;
}

/**
 * Audits several datasets at one height: those named, or every dataset of the catalog (the
 * list proven, so none can be left out): a subject's audit of every access to its records,
 * wherever they are held.
 */
export async function auditScope(querier: VerifiedQuerier, o: AuditScopeOptions): Promise<ScopeReport> {
  objectArgument(querier, 'querier');
  objectArgument(o, 'options');
  if (o.datasets !== undefined) listArgument(o.datasets, 'datasets');
  const checks: AuditOutcome[] = [];
  let height = 0;
  let datasets: readonly string[] = o.datasets ?? [];
  try {
    height = (await querier.getVerifiedLatestHeader()).height;
    if (o.datasets === undefined) datasets = await catalogDatasets(querier, height);
    if (o.datasets === undefined) checks.push({ check: 'catalog', verified: true });
  } catch (error) {
    checks.push(failure('catalog', error));
  }
  const reports: AuditReport[] = [];
  for (const dataset of datasets) reports.push(await auditDataset(querier, { ...o, dataset }));
  return {
    verified: checks.every((c) => c.verified) && reports.every((r) => r.verified),
    height,
    scope: o.datasets === undefined ? 'catalog' : 'datasets',
    checks,
    datasets: reports,
  };
}
