import {
  GOVERNANCE_MODULE,
  MAX_WITHIN_ORG_IDENTITIES,
  type OrgCountRule,
  type Policy,
  type PolicyRule,
  ROLES,
  type Role,
  type WithinOrgsRule,
} from './formats.js';

/**
 * Policies as people write them (JSON), their checks, and the pure parts of their evaluation
 * (browser-safe), so the node, the SDK, the CLI and the console read them alike.
 */

/** The JSON form of a policy rule: "any", "all", "majority", {"atLeast": k} or {"fraction": [n, d]}. */
export type PolicyRuleJson =
  | 'any'
  | 'all'
  | 'majority'
  | { atLeast: number }
  | { fraction: [number, number] };

export interface PolicyJson {
  rule: PolicyRuleJson;
  roles: Role[];
  orgs?: string[];
  vetoBy?: string[];
  /**
   * What an organization must show to count: `identities` distinct signers of it (each with
   * one of `roles`), and each entry of `withinOrg.roles` held by a different one of them.
   * `policyFromJson` takes either field alone (`identities` then defaults to the number of
   * roles, at least 1). Absent: any one identity of an organization with one of `roles` counts.
   */
  withinOrg?: { identities: number; roles: Role[] };
}

/** The count of organizations a rule asks for (a within-organization rule wraps one). */
export function countRuleOf(rule: PolicyRule): OrgCountRule {
  return rule.type === 'withinOrgs' ? rule.value.orgs : rule;
}

/** What a rule asks of each organization beyond one signer, if anything. */
export function withinOrgOf(rule: PolicyRule): Omit<WithinOrgsRule, 'orgs'> | undefined {
  return rule.type === 'withinOrgs'
    ? { identities: rule.value.identities, roles: rule.value.roles }
    : undefined;
}

function countRuleToJson(r: OrgCountRule): PolicyRuleJson {
  return r.type === 'atLeast'
    ? { atLeast: r.value }
    : r.type === 'fraction'
      ? { fraction: [r.value.numerator, r.value.denominator] }
      : r.type;
}

export function policyToJson(p: Policy): PolicyJson {
  const json: PolicyJson = {
    rule: countRuleToJson(countRuleOf(p.rule)),
    roles: [...p.roles],
    orgs: [...p.orgs],
    vetoBy: [...p.vetoBy],
  };
  const within = withinOrgOf(p.rule);
  if (within) json.withinOrg = { identities: within.identities, roles: [...within.roles] };
  return json;
}

const isU32 = (n: unknown): n is number =>
  Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) < 2 ** 32;
const isRole = (r: unknown): r is Role => (ROLES as readonly unknown[]).includes(r);

function countRuleFromJson(rule: unknown): OrgCountRule | string {
  if (rule === 'any' || rule === 'all' || rule === 'majority') return { type: rule, value: {} };
  if (typeof rule === 'object' && rule !== null && 'atLeast' in rule) {
    const k = (rule as { atLeast: unknown }).atLeast;
    if (!isU32(k) || k === 0) return 'atLeast must be a positive integer';
    return { type: 'atLeast', value: k };
  }
  if (typeof rule === 'object' && rule !== null && 'fraction' in rule) {
    const f = (rule as { fraction: unknown }).fraction;
    if (!Array.isArray(f) || f.length !== 2 || !isU32(f[0]) || !isU32(f[1]) || f[0] === 0 || f[0] > f[1])
      return 'fraction must be [numerator, denominator] with 0 < numerator <= denominator';
    return { type: 'fraction', value: { numerator: f[0], denominator: f[1] } };
  }
  return 'rule must be "any", "all", "majority", {"atLeast": k} or {"fraction": [n, d]}';
}

function withinOrgFromJson(json: unknown, orgs: OrgCountRule): PolicyRule | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return 'withinOrg is an object: {"identities": n, "roles": [...]}';
  const unknownKey = Object.keys(json).find((k) => k !== 'identities' && k !== 'roles');
  if (unknownKey !== undefined) return `withinOrg has no field "${unknownKey}" (identities, roles)`;
  const { identities, roles = [] } = json as Record<string, unknown>;
  if (!Array.isArray(roles) || !roles.every(isRole))
    return `withinOrg.roles must list roles (${ROLES.join(', ')})`;
  if (identities === undefined && roles.length === 0) return 'withinOrg needs identities or roles';
  const n = identities ?? Math.max(1, roles.length);
  if (!isU32(n)) return 'withinOrg.identities must be a positive integer';
  return { type: 'withinOrgs', value: { orgs, identities: n, roles: [...roles] } };
}

/** Reads a policy's JSON form; returns a reason when it is malformed. */
export function policyFromJson(json: unknown): Policy | string {
  if (typeof json !== 'object' || json === null) return 'a policy is an object';
  const { rule, roles, orgs = [], vetoBy = [], withinOrg } = json as Record<string, unknown>;
  const count = countRuleFromJson(rule);
  if (typeof count === 'string') return count;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole))
    return `roles must name at least one of ${ROLES.join(', ')}`;
  const ids = (v: unknown) =>
    Array.isArray(v) && v.every((o) => typeof o === 'string' && o.length > 0 && o.length <= 64);
  if (!ids(orgs) || !ids(vetoBy)) return 'orgs and vetoBy must list organization ids';
  const parsed = withinOrg === undefined ? count : withinOrgFromJson(withinOrg, count);
  if (typeof parsed === 'string') return parsed;
  const policy: Policy = {
    rule: parsed,
    roles: [...new Set(roles)],
    orgs: [...new Set(orgs as string[])],
    vetoBy: [...new Set(vetoBy as string[])],
  };
  return withinOrgProblem(policy) ?? policy;
}

/**
 * Why a policy's within-organization rule cannot be set, if it cannot. Only that rule is
 * checked: policies of the older rules are taken as chains have always taken them.
 */
export function withinOrgProblem(p: Policy): string | undefined {
  if (p.rule.type !== 'withinOrgs') return undefined;
  const { orgs, identities, roles } = p.rule.value;
  if (orgs.type === 'atLeast' && orgs.value === 0) return 'atLeast must be a positive integer';
  if (orgs.type === 'fraction') {
    const { numerator, denominator } = orgs.value;
    if (numerator === 0 || numerator > denominator)
      return 'fraction must be [numerator, denominator] with 0 < numerator <= denominator';
  }
  if (identities < 1 || identities > MAX_WITHIN_ORG_IDENTITIES)
    return `withinOrg.identities must be from 1 to ${MAX_WITHIN_ORG_IDENTITIES}`;
  if (identities < roles.length)
    return 'withinOrg.identities must be at least the number of withinOrg.roles (each is a different signer)';
  const outside = roles.find((r) => !p.roles.includes(r));
  if (outside !== undefined) return `withinOrg.roles must be among the policy's roles (${outside} is not)`;
  return undefined;
}

const PROPOSAL_PREFIX = `${GOVERNANCE_MODULE}/proposal/`;

/**
 * Why `policy` cannot govern `resource`, if it cannot: proposals are voted one vote per
 * organization, so a within-organization rule has nothing to count there.
 */
export function policyResourceProblem(resource: string, policy: Policy): string | undefined {
  if (policy.rule.type === 'withinOrgs' && resource.startsWith(PROPOSAL_PREFIX))
    return `proposals are voted once per organization: ${resource} cannot take a withinOrg rule`;
  return withinOrgProblem(policy);
}

/**
 * The resources whose policies may govern `resource`, nearest first (then the default):
 * `governance/proposal/<kind>` -> `governance/proposal/*`; any other resource walks up its
 * path, `scf/finance/bank-a` -> `scf/finance` -> `scf/*`.
 */
export function policyLookupPath(resource: string): string[] {
  if (resource.startsWith(PROPOSAL_PREFIX)) return [...new Set([resource, `${PROPOSAL_PREFIX}*`])];
  const segments = resource.split('/');
  const path: string[] = [];
  for (let n = segments.length; n >= 2; n--) path.push(segments.slice(0, n).join('/'));
  path.push(`${segments[0]}/*`);
  return [...new Set(path)];
}

/**
 * Whether the organizations that signed satisfy a policy, given the organizations it counts
 * (`eligible`: its named orgs, or every member organization). Pure, so the node, the SDK and
 * tests evaluate the same rule. Under a within-organization rule, `signedOrgs` counts only
 * the organizations that met it (`withinOrgShortfall`).
 */
export function policySatisfied(rule: PolicyRule, signedOrgs: number, eligible: number): boolean {
  if (eligible === 0) return false;
  const count = countRuleOf(rule);
  switch (count.type) {
    case 'any':
      return signedOrgs >= 1;
    case 'all':
      return signedOrgs >= eligible;
    case 'majority':
      return signedOrgs * 2 > eligible;
    case 'atLeast':
      return count.value <= eligible && signedOrgs >= count.value;
    case 'fraction':
      return signedOrgs * count.value.denominator >= count.value.numerator * eligible && signedOrgs >= 1;
  }
}

/** How an organization's signers fell short of a within-organization rule. */
export interface WithinOrgShortfall {
  /** Its distinct signers with one of the policy's roles. */
  readonly signers: number;
  /** How many it needed. */
  readonly identities: number;
  /** Entries of the rule's roles no remaining signer held. */
  readonly missingRoles: Role[];
}

/**
 * Whether one organization's signers meet a within-organization rule: `roles` holds the role
 * of each of its DISTINCT signers (one entry per identity) that has one of the policy's
 * roles. An identity holds exactly one role, so matching each required role to a different
 * signer is a count per role. Returns undefined when the rule is met.
 */
export function withinOrgShortfall(
  roles: readonly Role[],
  within: Omit<WithinOrgsRule, 'orgs'>,
): WithinOrgShortfall | undefined {
  const held = new Map<Role, number>();
  for (const r of roles) held.set(r, (held.get(r) ?? 0) + 1);
  const missingRoles: Role[] = [];
  for (const r of within.roles) {
    const n = held.get(r) ?? 0;
    if (n > 0) held.set(r, n - 1);
    else missingRoles.push(r);
  }
  if (roles.length >= within.identities && missingRoles.length === 0) return undefined;
  return { signers: roles.length, identities: within.identities, missingRoles };
}
