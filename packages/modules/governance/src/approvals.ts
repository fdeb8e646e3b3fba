import { type MessageContext, moduleError } from '@pujiang/module-kit';

/**
 * For modules whose steps an organization approves by its own policy (a bank's financing, a
 * credit's issue): the resource is narrower than the message (`scf/finance/<org>`), governance
 * evaluates it through its `policyVerdict` export (the calling module imports it), and the
 * organization acting must itself be among those the policy counted.
 */
export interface PolicyVerdictAnswer {
  readonly satisfied: boolean;
  readonly policy: string;
  readonly description: string;
  readonly signedOrgs: readonly string[];
  readonly shortOrgs: readonly unknown[];
}

export function requireOrgApproval(
  ctx: MessageContext,
  o: { readonly org: string; readonly resource: string; readonly code: string },
): void {
  const signers = [ctx.sender, ...ctx.endorsers.map((e) => e.address)];
  const verdict = ctx.call('governance', 'policyVerdict', {
    resource: o.resource,
    signers,
  }) as PolicyVerdictAnswer;
  if (!verdict.satisfied || !verdict.signedOrgs.includes(o.org))
    throw moduleError(
      o.code,
      `this step needs ${verdict.description} (policy ${verdict.policy} for ${o.resource})`,
      {
        resource: o.resource,
        policy: verdict.policy,
        signers: signers.length,
        shortOrgs: verdict.shortOrgs,
      },
    );
}

const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A list of distinct organization ids, `max` at most (a module's `banks` parameter), or `code`. */
export function checkOrgIds(list: unknown, max: number, code: string): string[] {
  if (
    !Array.isArray(list) ||
    list.length > max ||
    !list.every((o) => typeof o === 'string' && ORG_ID.test(o)) ||
    new Set(list).size !== list.length
  )
    throw moduleError(code, `a list of distinct organization ids, ${max} at most`);
  return list as string[];
}
