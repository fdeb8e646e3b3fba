import { defineExport, type ModuleContext, Type } from '@pujiang/module-kit';
import { describeRule, evaluatePolicy, type OrgShortfall, policyFor, type SigningMember } from './policy.js';
import { readMandate } from './read-permissions.js';
import { identityOf, identityProblem } from './registry.js';

/**
 * What other modules may ask governance (when they import it): who an address is, and
 * whether a set of signers satisfies a resource's policy. Reads go through the caller's
 * transaction, metered; nothing here writes.
 */
const reader = (ctx: ModuleContext) => (key: string) => ctx.get(key);

export interface IdentityView {
  readonly org: string;
  readonly role: string;
  /** Valid at the block's time: its organization a member, its CA current, not revoked, not expired. */
  readonly valid: boolean;
  /** Why not, when not valid (the membership code). */
  readonly problem?: string;
}

/** Whether signers satisfy a resource's policy, and why not (what `policyVerdict` answers). */
export interface PolicyVerdict {
  readonly satisfied: boolean;
  readonly resource: string;
  /** Where the policy was set (`scf/finance`), or `default`. */
  readonly policy: string;
  readonly description: string;
  /** The eligible organizations that counted. */
  readonly signedOrgs: string[];
  readonly eligibleOrgs: number;
  /** Eligible organizations that signed but fell short of the policy's `withinOrg` rule. */
  readonly shortOrgs: OrgShortfall[];
}

const PolicyArgs = Type.Object({
  resource: Type.String({ maxLength: 128 }),
  signers: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
});

function verdict(ctx: ModuleContext, a: { resource: string; signers: string[] }): PolicyVerdict {
  const read = reader(ctx);
  const members: SigningMember[] = [];
  for (const address of a.signers) {
    const identity = identityOf(read, address);
    if (identity && identityProblem(read, ctx.chainHash, identity, ctx.time) === undefined)
      members.push({ address, org: identity.org, role: identity.role });
  }
  const { policy, source } = policyFor(read, a.resource);
  const { satisfied, signed, short, eligible } = evaluatePolicy(read, policy, members);
  return {
    satisfied,
    resource: a.resource,
    policy: source,
    description: describeRule(policy),
    signedOrgs: [...signed],
    eligibleOrgs: eligible,
    shortOrgs: short,
  };
}

export const governanceExports = {
  identityOf: defineExport(
    'The registered identity of an address (organization, role, validity now), or null',
    Type.Object({ address: Type.String({ maxLength: 64 }) }),
    (ctx, a): IdentityView | null => {
      const read = reader(ctx);
      const identity = identityOf(read, a.address);
      if (!identity) return null;
      const problem = identityProblem(read, ctx.chainHash, identity, ctx.time);
      return {
        org: identity.org,
        role: identity.role,
        valid: problem === undefined,
        ...(problem ? { problem: problem.code } : {}),
      };
    },
  ),
  readMandate: defineExport(
    "A role's read mandate in an organization: the private resources it may read (set by proposal)",
    Type.Object({ org: Type.String({ maxLength: 64 }), role: Type.String({ maxLength: 16 }) }),
    (ctx, a): string[] => [...readMandate(reader(ctx), a.org, a.role)],
  ),
  policySatisfied: defineExport(
    "Whether the valid identities among `signers` (addresses) satisfy a resource's policy (a narrower resource, `scf/finance/bank-a`, takes the nearest policy up its path)",
    PolicyArgs,
    (ctx, a): boolean => verdict(ctx, a).satisfied,
  ),
  policyVerdict: defineExport(
    "policySatisfied with its reasons: the policy's source and description, the organizations that counted, and those that signed but fell short of its withinOrg rule",
    PolicyArgs,
    (ctx, a): PolicyVerdict => verdict(ctx, a),
  ),
};
