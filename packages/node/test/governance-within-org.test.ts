import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { Finalize, type GovernanceAction, Propose, Register, Vote } from '@pujiang/module-governance';
import { isPujiangError } from '@pujiang/types';
import { consortium, type Member } from './governance-harness.js';

/** Governance policies that count identities and roles within one organization, through the kernel's authorize. */
type Gov = ReturnType<typeof consortium>;

const shortOf = (code: string, shortOrgs: unknown) => (e: unknown) => {
  assert.ok(isPujiangError(e, code), String(e));
  assert.deepEqual((e.details as { shortOrgs?: unknown }).shortOrgs, shortOrgs);
  return true;
};

async function registered(c: Gov, org: string, role: Member['role']): Promise<Member> {
  const m = c.member(org, role);
  const r = await c.send(m, 'governance', 'register', Register, { certificate: m.certificate });
  assert.equal(r.code, 'OK', r.message);
  return m;
}

describe('policies within one organization', () => {
  it('maker-checker-approver: three identities of customs, one an admin; two are refused at admission with the shortfall', async () => {
    const c = consortium({
      policies: {
        'bank/transfer': {
          rule: 'any',
          roles: ['client', 'admin'],
          orgs: ['customs'],
          withinOrg: { identities: 3, roles: ['admin'] },
        },
      },
    });
    const approver = c.admin('customs'); // holds the genesis balance
    const maker = await registered(c, 'customs', 'client');
    const checker = await registered(c, 'customs', 'client');
    const third = await registered(c, 'customs', 'client');
    const auditor = await registered(c, 'customs', 'auditor');
    const payload = encode(c.BankTransfer, c.transfer(c.admin('tax'), 1n));
    const admit = (endorsers: Member[], sender = approver) =>
      c.admit(sender, 'bank', 'transfer', payload, endorsers);

    assert.throws(
      () => admit([maker]),
      shortOf('POLICY_UNSATISFIED', [{ org: 'customs', signers: 2, identities: 3, missingRoles: [] }]),
    );
    // The sender endorsing its own transaction, or one endorser twice, is still one identity.
    assert.throws(
      () => admit([maker, approver, maker]),
      shortOf('POLICY_UNSATISFIED', [{ org: 'customs', signers: 2, identities: 3, missingRoles: [] }]),
    );
    // Three people but no admin among them.
    assert.throws(
      () => admit([checker, third], maker),
      shortOf('POLICY_UNSATISFIED', [{ org: 'customs', signers: 3, identities: 3, missingRoles: ['admin'] }]),
    );
    // An auditor is not among the policy's roles; another organization's admin is not customs.
    assert.throws(() => admit([maker, auditor]), refused('POLICY_UNSATISFIED'));
    assert.throws(() => admit([maker, c.admin('tax')]), refused('POLICY_UNSATISFIED'));
    admit([maker, checker]);
    admit([checker, approver], maker);

    // Execution decides the same way.
    const two = await c.send(approver, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n), [
      maker,
    ]);
    assert.equal(two.code, 'POLICY_UNSATISFIED');
    assert.match(two.message ?? '', /customs signed with 2 of 3 distinct identities/);
    const three = await c.send(approver, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n), [
      maker,
      checker,
    ]);
    assert.equal(three.code, 'OK', three.message);
    const policy = c.query('policy', { resource: 'bank/transfer' }) as {
      policy: { withinOrg?: unknown };
      description: string;
    };
    assert.deepEqual(policy.policy.withinOrg, { identities: 3, roles: ['admin'] });
    assert.match(policy.description, /3 distinct identities of it sign \(admin each a different one\)/);
  });

  it('set by proposal on a narrower resource; refused on a proposal kind (votes are one per organization)', async () => {
    const c = consortium({ timelock: 0 });
    const distinctRoles = {
      rule: { type: 'any', value: {} },
      roles: ['client', 'admin'],
      orgs: ['bank-a'],
      vetoBy: [],
    } as const;
    const setPolicy = (resource: string, withinOrg: { identities: number; roles: ('client' | 'admin')[] }) =>
      ({
        type: 'setPolicy',
        value: {
          resource,
          policy: {
            ...distinctRoles,
            roles: [...distinctRoles.roles],
            orgs: [...distinctRoles.orgs],
            vetoBy: [],
            rule: { type: 'withinOrgs', value: { orgs: distinctRoles.rule, ...withinOrg } },
          },
        },
      }) satisfies GovernanceAction;
    const propose = (action: GovernanceAction) =>
      c.send(c.admin('customs'), 'governance', 'propose', Propose, { title: 'policy', action });
    assert.equal(
      (await propose(setPolicy('governance/proposal/setPolicy', { identities: 2, roles: [] }))).code,
      'GOV_INVALID_ACTION',
    );
    assert.equal(
      (await propose(setPolicy('bank/transfer/x', { identities: 1, roles: ['client', 'admin'] }))).code,
      'GOV_INVALID_ACTION',
      'identities below the number of roles',
    );
    assert.equal(
      (await propose(setPolicy('bank/transfer/x', { identities: 2, roles: ['client', 'admin'] }))).code,
      'OK',
    );
    for (const org of ['tax', 'bank-a'])
      assert.equal(
        (await c.send(c.admin(org), 'governance', 'vote', Vote, { id: 1n, approve: true })).code,
        'OK',
      );
    assert.equal(
      (await c.send(c.admin('customs'), 'governance', 'finalize', Finalize, { id: 1n })).code,
      'OK',
    );
    const shown = c.query('policy', { resource: 'bank/transfer/x/y' }) as { source: string; policy: unknown };
    assert.equal(shown.source, 'bank/transfer/x');
    assert.deepEqual(shown.policy, {
      rule: 'any',
      roles: ['client', 'admin'],
      orgs: ['bank-a'],
      vetoBy: [],
      withinOrg: { identities: 2, roles: ['client', 'admin'] },
    });
    const proposal = c.query('proposal', { id: '1' }) as { action: { policy: unknown } };
    assert.deepEqual(proposal.action.policy, shown.policy);
    // The message's own resource is unchanged.
    assert.equal((c.query('policy', { resource: 'bank/transfer' }) as { source: string }).source, 'default');
  });
});

const refused = (code: string) => (e: unknown) => isPujiangError(e, code);
