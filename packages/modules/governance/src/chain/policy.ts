import type { StateRead } from '@pujiang/module-kit';
import { PujiangError } from '@pujiang/types';
import { GOV_KEYS, GOVERNANCE_MODULE, Policy, policySatisfied, ROLES, type Role } from '../formats.js';
import { orgIds, readAs } from './registry.js';

export type PolicyErrorCode = 'POLICY_UNSATISFIED';

const policy = (rule: Policy['rule'], roles: readonly Role[]): Policy => ({
  rule,
  roles: [...roles],
  orgs: [],
  vetoBy: [],
});

/** Module messages: one client or admin of any member organization. */
export const DEFAULT_MESSAGE_POLICY = policy({ type: 'any', value: {} }, ['admin', 'client']);
/** Governance's own messages: any member; each handler checks the role its step needs. */
export const DEFAULT_GOVERNANCE_POLICY = policy({ type: 'any', value: {} }, ROLES);
/** Proposals: admins of a majority of the member organizations. */
export const DEFAULT_PROPOSAL_POLICY = policy({ type: 'majority', value: {} }, ['admin']);

const PROPOSAL_PREFIX = `${GOVERNANCE_MODULE}/proposal/`;

/**
 * The policy of a resource: its own (`bank/transfer`), else its module's wildcard
 * (`bank/*`, `governance/proposal/*`), else the default for its kind.
 */
export function policyFor(read: StateRead, resource: string): { policy: Policy; source: string } {
  const own = readAs(read, GOV_KEYS.policy(resource), Policy);
  if (own) return { policy: own, source: resource };
  const wildcard = resource.startsWith(PROPOSAL_PREFIX)
    ? `${PROPOSAL_PREFIX}*`
    : `${resource.slice(0, resource.indexOf('/'))}/*`;
  const inherited = readAs(read, GOV_KEYS.policy(wildcard), Policy);
  if (inherited) return { policy: inherited, source: wildcard };
  const fallback = resource.startsWith(PROPOSAL_PREFIX)
    ? DEFAULT_PROPOSAL_POLICY
    : resource.startsWith(`${GOVERNANCE_MODULE}/`)
      ? DEFAULT_GOVERNANCE_POLICY
      : DEFAULT_MESSAGE_POLICY;
  return { policy: fallback, source: 'default' };
}

/** The organizations a policy counts: those it names that are still members, or every member. */
export function eligibleOrgs(read: StateRead, p: Policy): string[] {
  const members = orgIds(read);
  return p.orgs.length === 0 ? members : p.orgs.filter((o) => members.includes(o));
}

/** A signer already checked to be a valid member (authorize does that once per transaction). */
export interface SigningMember {
  readonly org: string;
  readonly role: Role;
}

/**
 * The eligible organizations that signed: an organization counts once, when a valid identity
 * of it with one of the policy's roles signed (as sender or endorser).
 */
export function signingOrgs(
  members: readonly SigningMember[],
  p: Policy,
  eligible: ReadonlySet<string>,
): Set<string> {
  const signed = new Set<string>();
  for (const m of members) if (eligible.has(m.org) && p.roles.includes(m.role)) signed.add(m.org);
  return signed;
}

/**
 * Throws `POLICY_UNSATISFIED` unless the signing members satisfy the resource's policy. A
 * narrower resource the message's module named (`evm/call/<contract>`) decides first when a
 * policy is set on it exactly; otherwise the message's own resource's policy does.
 */
export function checkPolicy(
  read: StateRead,
  resource: string,
  members: readonly SigningMember[],
  narrower?: string,
): void {
  const narrowed = narrower?.startsWith(`${resource}/`) ? narrower : undefined;
  const own = narrowed === undefined ? undefined : readAs(read, GOV_KEYS.policy(narrowed), Policy);
  const { policy: p, source } =
    own && narrowed ? { policy: own, source: narrowed } : policyFor(read, resource);
  const eligible = new Set(eligibleOrgs(read, p));
  const signed = signingOrgs(members, p, eligible);
  if (!policySatisfied(p.rule, signed.size, eligible.size))
    throw new PujiangError<PolicyErrorCode>(
      'POLICY_UNSATISFIED',
      `${resource} needs ${describeRule(p)} (policy ${source}); signed by ${signed.size} of ${eligible.size}`,
      { resource, policy: source, signedOrgs: [...signed], eligibleOrgs: eligible.size },
    );
}

export function describeRule(p: Policy): string {
  const who = `${p.roles.join('/')} of ${p.orgs.length === 0 ? 'the member organizations' : p.orgs.join(', ')}`;
  switch (p.rule.type) {
    case 'any':
      return `any ${who}`;
    case 'all':
      return `all ${who}`;
    case 'majority':
      return `a majority of ${who}`;
    case 'atLeast':
      return `at least ${p.rule.value} ${who}`;
    case 'fraction':
      return `${p.rule.value.numerator}/${p.rule.value.denominator} of ${who}`;
  }
}
