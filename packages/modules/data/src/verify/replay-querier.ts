import type { QueryProvenOptions, VerifiedQuerier } from '@pujiang/module-kit';
import {
  type CertifiedHeader,
  type TrustParameters,
  VerificationError,
  type VerifiedQuery,
  verifyHeader,
  verifyProvenQuery,
} from '@pujiang/verify';
import { type AuditBundle, queryKey, type RecordedQuery } from './bundle.js';

/**
 * A verified querier that answers only from a bundle's recorded proofs: each header is
 * certified by the pinned validators, each answer proven under its header. A query the
 * bundle lacks fails `missing-read`, so an audit replayed offline reads exactly what was
 * recorded, and a bundle with a proof removed or changed fails.
 */
export class ReplayQuerier implements VerifiedQuerier {
  private readonly certified = new Map<number, CertifiedHeader>();
  private readonly recorded = new Map<string, RecordedQuery>();

  constructor(
    private readonly bundle: AuditBundle,
    private readonly trust: TrustParameters,
  ) {
    for (const q of bundle.queries) this.recorded.set(queryKey(q.module, q.name, q.params, q.height), q);
  }

  header(height: number): CertifiedHeader {
    const cached = this.certified.get(height);
    if (cached) return cached;
    const raw = this.bundle.headers[String(height)];
    if (!raw)
      throw new VerificationError('missing-read', `the bundle has no header at height ${height}`, { height });
    const certified = verifyHeader({
      ...this.trust,
      header: raw.header,
      certificate: raw.certificate,
      height,
    });
    this.certified.set(height, certified);
    return certified;
  }

  async getVerifiedLatestHeader(): Promise<CertifiedHeader> {
    return this.header(this.bundle.height);
  }

  async verifiedQuery(
    module: string,
    name: string,
    params: Record<string, string> = {},
    requiredKeys: readonly Uint8Array[] = [],
    options: QueryProvenOptions = {},
  ): Promise<VerifiedQuery> {
    const height = options.height ?? this.bundle.height;
    const q = this.recorded.get(queryKey(module, name, params, height));
    if (!q)
      throw new VerificationError('missing-read', `the bundle lacks ${module}/${name} at height ${height}`, {
        module,
        name,
        params,
        height,
      });
    return verifyProvenQuery(q.response, this.header(height), { requiredKeys });
  }
}
