import { defineExport, type ModuleContext, Type } from '@pujiang/module-kit';
import { evaluatePolicy, policyFor, type SigningMember } from './policy.js';
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
    Type.Object({
      resource: Type.String({ maxLength: 128 }),
      signers: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
    }),
    (ctx, a): boolean => {
      const read = reader(ctx);
      const members: SigningMember[] = [];
      for (const address of a.signers) {
        const identity = identityOf(read, address);
        if (identity && identityProblem(read, ctx.chainHash, identity, ctx.time) === undefined)
          members.push({ address, org: identity.org, role: identity.role });
      }
      return evaluatePolicy(read, policyFor(read, a.resource).policy, members).satisfied;
    },
  ),
};
