import type { HashAlgorithm } from '@pujiang/crypto';
import { GOV_KEYS, GOVERNANCE_MODULE, Policy, policySatisfied, ROLES, type Role } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';
import type { StateRead, TxSigner } from '../../execution/module.js';
import { identityOf, identityProblem, orgIds, readAs } from './registry.js';

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

/**
 * The eligible organizations that signed: an organization counts once, when a valid identity
 * of it with one of the policy's roles signed (as sender or endorser).
 */
export function signingOrgs(
  read: StateRead,
  algorithm: HashAlgorithm,
  signers: readonly TxSigner[],
  p: Policy,
  time: bigint,
): Set<string> {
  const eligible = new Set(eligibleOrgs(read, p));
  const signed = new Set<string>();
  for (const signer of signers) {
    const identity = identityOf(read, signer.address);
    if (
      identity !== undefined &&
      eligible.has(identity.org) &&
      p.roles.includes(identity.role) &&
      identityProblem(read, algorithm, identity, time) === undefined
    )
      signed.add(identity.org);
  }
  return signed;
}

/** Throws `POLICY_UNSATISFIED` unless the signers satisfy the resource's policy. */
export function checkPolicy(
  read: StateRead,
  algorithm: HashAlgorithm,
  resource: string,
  signers: readonly TxSigner[],
  time: bigint,
): void {
  const { policy: p, source } = policyFor(read, resource);
  const eligible = eligibleOrgs(read, p).length;
  const signed = signingOrgs(read, algorithm, signers, p, time);
  if (!policySatisfied(p.rule, signed.size, eligible))
    throw new PujiangError<PolicyErrorCode>(
      'POLICY_UNSATISFIED',
      `${resource} needs ${describeRule(p)} (policy ${source}); signed by ${signed.size} of ${eligible}`,
      { resource, policy: source, signedOrgs: [...signed], eligibleOrgs: eligible },
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
