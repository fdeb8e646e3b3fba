import type { StateRead } from '@pujiang/module-kit';
import { PujiangError } from '@pujiang/types';
import { GOV_KEYS, GOVERNANCE_MODULE, Policy, ROLES, type Role } from '../formats.js';
import {
  countRuleOf,
  policyLookupPath,
  policySatisfied,
  type WithinOrgShortfall,
  withinOrgOf,
  withinOrgShortfall,
} from '../policies.js';
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
 * The policy of a resource: the nearest set along `policyLookupPath` (its own, then its
 * parents', `scf/finance/bank-a` -> `scf/finance`, then its module's wildcard `scf/*`, or
 * `governance/proposal/*` for a proposal kind), else the default for its kind.
 */
export function policyFor(read: StateRead, resource: string): { policy: Policy; source: string } {
  for (const candidate of policyLookupPath(resource)) {
    const found = readAs(read, GOV_KEYS.policy(candidate), Policy);
    if (found) return { policy: found, source: candidate };
  }
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
  /** Its address: one identity signing as sender and endorser counts once. */
  readonly address: string;
  readonly org: string;
  readonly role: Role;
}

/** An eligible organization whose signers did not meet the policy's within-organization rule. */
export interface OrgShortfall extends WithinOrgShortfall {
  readonly org: string;
}

/**
 * The eligible organizations that signed: an organization counts once, when a valid identity
 * of it with one of the policy's roles signed (as sender or endorser), or, under a
 * within-organization rule, when enough distinct such identities signed (`short` lists the
 * organizations that signed but fell short, and why).
 */
export function tallyOrgs(
  members: readonly SigningMember[],
  p: Policy,
  eligible: ReadonlySet<string>,
): { signed: Set<string>; short: OrgShortfall[] } {
  const byOrg = new Map<string, Map<string, Role>>();
  for (const m of members) {
    if (!eligible.has(m.org) || !p.roles.includes(m.role)) continue;
    const identities = byOrg.get(m.org) ?? new Map<string, Role>();
    identities.set(m.address, m.role);
    byOrg.set(m.org, identities);
  }
  const within = withinOrgOf(p.rule);
  const signed = new Set<string>();
  const short: OrgShortfall[] = [];
  for (const [org, identities] of byOrg) {
    const gap = within && withinOrgShortfall([...identities.values()], within);
    if (gap) short.push({ org, ...gap });
    else signed.add(org);
  }
  return { signed, short };
}

/** The eligible organizations that signed, as `tallyOrgs` counts them. */
export function signingOrgs(
  members: readonly SigningMember[],
  p: Policy,
  eligible: ReadonlySet<string>,
): Set<string> {
  return tallyOrgs(members, p, eligible).signed;
}

/** Whether the signing members satisfy a policy, with the tally behind the answer. */
export function evaluatePolicy(
  read: StateRead,
  p: Policy,
  members: readonly SigningMember[],
): { satisfied: boolean; signed: Set<string>; short: OrgShortfall[]; eligible: number } {
  const eligible = new Set(eligibleOrgs(read, p));
  const { signed, short } = tallyOrgs(members, p, eligible);
  return {
    satisfied: policySatisfied(p.rule, signed.size, eligible.size),
    signed,
    short,
    eligible: eligible.size,
  };
}

const shortfallText = (s: OrgShortfall): string =>
  `${s.org} signed with ${s.signers} of ${s.identities} distinct identities` +
  (s.missingRoles.length > 0 ? `, missing ${s.missingRoles.join(', ')}` : '');

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
  const { satisfied, signed, short, eligible } = evaluatePolicy(read, p, members);
  if (satisfied) return;
  // Receipts carry this message: for the older rules it stays as it always was.
  const within = withinOrgOf(p.rule) === undefined ? undefined : short;
  throw new PujiangError<PolicyErrorCode>(
    'POLICY_UNSATISFIED',
    `${resource} needs ${describeRule(p)} (policy ${source}); signed by ${signed.size} of ${eligible}` +
      (within && within.length > 0 ? `; ${within.map(shortfallText).join('; ')}` : ''),
    {
      resource,
      policy: source,
      signedOrgs: [...signed],
      eligibleOrgs: eligible,
      ...(within ? { shortOrgs: within } : {}),
    },
  );
}

function describeCount(p: Policy): string {
  const who = `${p.roles.join('/')} of ${p.orgs.length === 0 ? 'the member organizations' : p.orgs.join(', ')}`;
  const rule = countRuleOf(p.rule);
  switch (rule.type) {
    case 'any':
      return `any ${who}`;
    case 'all':
      return `all ${who}`;
    case 'majority':
      return `a majority of ${who}`;
    case 'atLeast':
      return `at least ${rule.value} ${who}`;
    case 'fraction':
      return `${rule.value.numerator}/${rule.value.denominator} of ${who}`;
  }
}

export function describeRule(p: Policy): string {
  const within = withinOrgOf(p.rule);
  if (!within) return describeCount(p);
  const roles = within.roles.length > 0 ? ` (${within.roles.join(', ')} each a different one)` : '';
  return `${describeCount(p)}, an organization counting when ${within.identities} distinct identities of it sign${roles}`;
}
