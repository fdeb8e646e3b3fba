/**
 * Whether a dataset's automatic policy covers a request: the requester's organization (when
 * the policy names any), the legal basis, and a period no longer than the policy grants. The
 * chain applies it to public and on-request data at once; the steward's data service to
 * restricted data once the consent verified (the chain cannot verify a credential).
 */
export function policyCovers(
  policy: {
    readonly auto: boolean;
    readonly orgs: readonly string[];
    readonly legalBases: readonly string[];
    readonly maxDurationMs: bigint;
  },
  request: { readonly legalBasis: string; readonly validUntil: bigint },
  requesterOrg: string,
  requestedAt: bigint,
): boolean {
  return (
    policy.auto &&
    (policy.orgs.length === 0 || policy.orgs.includes(requesterOrg)) &&
    policy.legalBases.includes(request.legalBasis) &&
    request.validUntil - requestedAt <= policy.maxDurationMs
  );
}
