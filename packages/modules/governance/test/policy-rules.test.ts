import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import type { StateRead } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import {
  checkPolicy,
  DEFAULT_MESSAGE_POLICY,
  DEFAULT_PROPOSAL_POLICY,
  describeRule,
  evaluatePolicy,
  policyFor,
  type SigningMember,
  tallyOrgs,
} from '../src/chain/policy.js';
import { GOV_KEYS, OrgIdList, Policy, type Role } from '../src/formats.js';
import { policyFromJson, policyLookupPath, withinOrgShortfall } from '../src/policies.js';

const parse = (json: unknown): Policy => {
  const p = policyFromJson(json);
  if (typeof p === 'string') throw new Error(p);
  return p;
};

/** Governance's state with these organizations and policies, as the module reads it. */
function stateOf(orgs: string[], policies: Record<string, unknown> = {}): StateRead {
  const state = new Map<string, Uint8Array>([[GOV_KEYS.orgIds, encode(OrgIdList, orgs)]]);
  for (const [resource, json] of Object.entries(policies))
    state.set(GOV_KEYS.policy(resource), encode(Policy, parse(json)));
  return (key) => state.get(key);
}

let next = 0;
const member = (org: string, role: Role, address = `addr-${next++}`): SigningMember => ({
  address,
  org,
  role,
});
const ORGS = ['bank-a', 'bank-b', 'buyer'];

describe('the within-organization rule', () => {
  const needs = (identities: number, roles: Role[] = []) =>
    parse({ rule: 'any', roles: ['client', 'admin'], orgs: ['bank-a'], withinOrg: { identities, roles } });
  const satisfied = (p: Policy, members: SigningMember[]) =>
    evaluatePolicy(stateOf(ORGS), p, members).satisfied;

  it('counts an organization once enough distinct identities of it signed (1, 2, 3)', () => {
    const [a, b, c] = [member('bank-a', 'client'), member('bank-a', 'client'), member('bank-a', 'admin')];
    for (const n of [1, 2, 3]) {
      const p = needs(n);
      const signers = [a, b, c];
      for (let k = 1; k <= 3; k++) assert.equal(satisfied(p, signers.slice(0, k)), k >= n, `${k} of ${n}`);
    }
  });

  it('the same identity as sender and endorser (or twice) counts once', () => {
    const a = member('bank-a', 'client');
    const p = needs(2);
    assert.equal(satisfied(p, [a, a]), false);
    assert.equal(satisfied(p, [a, { ...a }, a]), false);
    assert.equal(satisfied(p, [a, a, member('bank-a', 'admin')]), true);
    const { short } = tallyOrgs([a, a], p, new Set(['bank-a']));
    assert.deepEqual(short, [{ org: 'bank-a', signers: 1, identities: 2, missingRoles: [] }]);
  });

  it('distinct roles: each required role held by a different signer', () => {
    const p = parse({
      rule: 'any',
      roles: ['client', 'admin'],
      orgs: ['bank-a'],
      withinOrg: { roles: ['client', 'admin'] },
    });
    const maker = member('bank-a', 'client');
    const approver = member('bank-a', 'admin');
    assert.equal(satisfied(p, [maker, approver]), true);
    assert.equal(satisfied(p, [maker, member('bank-a', 'client')]), false);
    assert.equal(satisfied(p, [approver, member('bank-a', 'admin')]), false);
    const { short } = tallyOrgs([maker, member('bank-a', 'client')], p, new Set(['bank-a']));
    assert.deepEqual(short, [{ org: 'bank-a', signers: 2, identities: 2, missingRoles: ['admin'] }]);
    // A role listed twice needs two signers holding it.
    const twoAdmins = parse({ rule: 'any', roles: ['admin'], withinOrg: { roles: ['admin', 'admin'] } });
    assert.equal(satisfied(twoAdmins, [approver, approver]), false);
    assert.equal(satisfied(twoAdmins, [approver, member('bank-a', 'admin')]), true);
  });

  it('maker-checker-approver: three people of the bank, one of them an admin', () => {
    const p = needs(3, ['admin']);
    const clients = [member('bank-a', 'client'), member('bank-a', 'client'), member('bank-a', 'client')];
    assert.equal(satisfied(p, clients), false);
    assert.equal(satisfied(p, [clients[0]!, clients[1]!, member('bank-a', 'admin')]), true);
    assert.deepEqual(
      withinOrgShortfall(['client', 'client', 'client'], { identities: 3, roles: ['admin'] }),
      {
        signers: 3,
        identities: 3,
        missingRoles: ['admin'],
      },
    );
  });

  it("an identity with a role outside the policy's roles, or of another organization, is not counted", () => {
    const p = needs(2);
    const a = member('bank-a', 'client');
    assert.equal(satisfied(p, [a, member('bank-a', 'auditor')]), false);
    assert.equal(satisfied(p, [a, member('bank-a', 'regulator')]), false);
    assert.equal(satisfied(p, [a, member('bank-b', 'client')]), false);
    assert.equal(satisfied(p, [a, member('bank-a', 'admin')]), true);
  });

  it('the count of organizations applies to those that met the rule', () => {
    const p = parse({ rule: { atLeast: 2 }, roles: ['client', 'admin'], withinOrg: { identities: 2 } });
    const two = (org: string) => [member(org, 'client'), member(org, 'admin')];
    assert.equal(satisfied(p, [...two('bank-a'), member('bank-b', 'admin')]), false);
    assert.equal(satisfied(p, [...two('bank-a'), ...two('bank-b')]), true);
    const tally = evaluatePolicy(stateOf(ORGS), p, [...two('bank-a'), member('bank-b', 'admin')]);
    assert.deepEqual([...tally.signed], ['bank-a']);
    assert.deepEqual(tally.short, [{ org: 'bank-b', signers: 1, identities: 2, missingRoles: [] }]);
  });

  it('without a within-organization rule an organization counts with one signer, as before', () => {
    const p = parse({ rule: { atLeast: 2 }, roles: ['client', 'admin'] });
    const { signed, short } = tallyOrgs(
      [member('bank-b', 'client'), member('bank-a', 'admin'), member('bank-b', 'admin')],
      p,
      new Set(ORGS),
    );
    assert.deepEqual([...signed], ['bank-b', 'bank-a']);
    assert.deepEqual(short, []);
  });
});

describe('checkPolicy', () => {
  const read = stateOf(ORGS, {
    'scf/finance': {
      rule: 'any',
      roles: ['client', 'admin'],
      orgs: ['bank-a'],
      withinOrg: { identities: 3, roles: ['admin'] },
    },
    'bank/transfer': { rule: { atLeast: 2 }, roles: ['admin'] },
  });

  it('names the organization that fell short and why', () => {
    const signers = [member('bank-a', 'client'), member('bank-a', 'admin')];
    assert.throws(
      () => checkPolicy(read, 'scf/finance', signers),
      (e: unknown) => {
        assert.ok(isPujiangError(e, 'POLICY_UNSATISFIED'));
        assert.match(e.message, /bank-a signed with 2 of 3 distinct identities/);
        assert.match(e.message, /3 distinct identities of it sign \(admin each a different one\)/);
        assert.deepEqual(e.details, {
          resource: 'scf/finance',
          policy: 'scf/finance',
          signedOrgs: [],
          eligibleOrgs: 1,
          shortOrgs: [{ org: 'bank-a', signers: 2, identities: 3, missingRoles: [] }],
        });
        return true;
      },
    );
    checkPolicy(read, 'scf/finance', [...signers, member('bank-a', 'client')]);
  });

  it('keeps the message and details of the older rules', () => {
    assert.throws(
      () => checkPolicy(read, 'bank/transfer', [member('bank-a', 'admin')]),
      (e: unknown) => {
        assert.ok(isPujiangError(e, 'POLICY_UNSATISFIED'));
        assert.equal(
          e.message,
          'bank/transfer needs at least 2 admin of the member organizations (policy bank/transfer); signed by 1 of 3',
        );
        assert.deepEqual(e.details, {
          resource: 'bank/transfer',
          policy: 'bank/transfer',
          signedOrgs: ['bank-a'],
          eligibleOrgs: 3,
        });
        return true;
      },
    );
  });

  it('a narrower resource the message names decides only with a policy set on it exactly', () => {
    const narrowRead = stateOf(ORGS, {
      'evm/call': { rule: 'all', roles: ['admin'] },
      'evm/call/abc/def': { rule: 'any', roles: ['client'] },
    });
    const client = [member('buyer', 'client')];
    checkPolicy(narrowRead, 'evm/call', client, 'evm/call/abc/def');
    // No policy on evm/call/abc exactly: the message's own resource decides (not a walk up).
    assert.throws(() => checkPolicy(narrowRead, 'evm/call', client, 'evm/call/abc'), /policy evm\/call\)/);
    assert.throws(() => checkPolicy(narrowRead, 'evm/call', client, 'bank/x'), /policy evm\/call\)/);
  });
});

describe('policyFor walks up a narrower resource', () => {
  it('scf/finance/bank-a -> scf/finance -> scf/* -> the default', () => {
    assert.deepEqual(policyLookupPath('scf/finance/bank-a'), ['scf/finance/bank-a', 'scf/finance', 'scf/*']);
    assert.deepEqual(policyLookupPath('bank/transfer'), ['bank/transfer', 'bank/*']);
    assert.deepEqual(policyLookupPath('bank/*'), ['bank/*']);
    assert.deepEqual(policyLookupPath('governance/proposal/setPolicy'), [
      'governance/proposal/setPolicy',
      'governance/proposal/*',
    ]);
    assert.deepEqual(policyLookupPath('governance/proposal/a/b'), [
      'governance/proposal/a/b',
      'governance/proposal/*',
    ]);
    const all = {
      'scf/finance/bank-a': { rule: 'any', roles: ['admin'] },
      'scf/finance': { rule: 'all', roles: ['admin'] },
      'scf/*': { rule: 'majority', roles: ['admin'] },
    };
    const source = (policies: Record<string, unknown>, resource = 'scf/finance/bank-a') =>
      policyFor(stateOf(ORGS, policies), resource).source;
    assert.equal(source(all), 'scf/finance/bank-a');
    assert.equal(source(all, 'scf/finance/bank-b'), 'scf/finance');
    assert.equal(source({ 'scf/*': all['scf/*'] }), 'scf/*');
    assert.equal(source({ 'scf/finance/bank-b': all['scf/finance'] }), 'default');
    assert.deepEqual(policyFor(stateOf(ORGS), 'scf/finance/bank-a').policy, DEFAULT_MESSAGE_POLICY);
  });

  it('a proposal kind takes its own policy, then governance/proposal/*, then the proposal default', () => {
    const setPolicy = 'governance/proposal/setPolicy';
    const policies = { 'governance/proposal': { rule: 'any', roles: ['client'] } };
    assert.equal(policyFor(stateOf(ORGS, policies), setPolicy).source, 'default');
    assert.deepEqual(policyFor(stateOf(ORGS, policies), setPolicy).policy, DEFAULT_PROPOSAL_POLICY);
    const star = { ...policies, 'governance/proposal/*': { rule: 'all', roles: ['admin'] } };
    assert.equal(policyFor(stateOf(ORGS, star), setPolicy).source, 'governance/proposal/*');
    const own = { ...star, [setPolicy]: { rule: 'any', roles: ['admin'] } };
    assert.equal(policyFor(stateOf(ORGS, own), setPolicy).source, setPolicy);
  });

  it('describes each rule', () => {
    assert.equal(
      describeRule(parse({ rule: 'majority', roles: ['admin'], orgs: ['bank-a', 'bank-b'] })),
      'a majority of admin of bank-a, bank-b',
    );
    assert.equal(
      describeRule(
        parse({ rule: 'any', roles: ['client', 'admin'], withinOrg: { roles: ['client', 'admin'] } }),
      ),
      'any client/admin of the member organizations, an organization counting when 2 distinct identities of it sign (client, admin each a different one)',
    );
    assert.equal(
      describeRule(parse({ rule: { fraction: [2, 3] }, roles: ['admin'], withinOrg: { identities: 2 } })),
      '2/3 of admin of the member organizations, an organization counting when 2 distinct identities of it sign',
    );
  });
});
