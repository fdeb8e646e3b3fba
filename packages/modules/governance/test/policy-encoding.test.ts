import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode } from '@pujiang/codec';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { GovernanceAction, Policy, Proposal, Propose } from '../src/formats.js';
import { policyFromJson, policyResourceProblem, policyToJson, withinOrgProblem } from '../src/policies.js';
import { proposalJson } from '../src/proposal-json.js';

const policies = {
  any: { rule: { type: 'any', value: {} }, roles: ['admin', 'client'], orgs: [], vetoBy: [] },
  majority: {
    rule: { type: 'majority', value: {} },
    roles: ['admin'],
    orgs: ['bank-a', 'tax'],
    vetoBy: ['regulator'],
  },
  atLeast: {
    rule: { type: 'atLeast', value: 2 },
    roles: ['admin', 'client'],
    orgs: ['customs', 'tax'],
    vetoBy: [],
  },
  fraction: {
    rule: { type: 'fraction', value: { numerator: 2, denominator: 3 } },
    roles: ['validator', 'auditor', 'regulator'],
    orgs: [],
    vetoBy: [],
  },
  all: { rule: { type: 'all', value: {} }, roles: ['client'], orgs: ['bank-a'], vetoBy: [] },
} satisfies Record<string, Policy>;

/**
 * Encodings computed with the code before the within-organization rule existed: chains store
 * these bytes (policies, setPolicy proposals) and replay blocks carrying them.
 */
const PINNED: [
  string,
  typeof Policy | typeof GovernanceAction | typeof Propose | typeof Proposal,
  unknown,
][] = [
  ['000200020000', Policy, policies.any],
  ['020100020662616e6b2d61037461780109726567756c61746f72', Policy, policies.majority],
  ['03000000020200020207637573746f6d730374617800', Policy, policies.atLeast],
  ['040000000200000003030103040000', Policy, policies.fraction],
  ['010102010662616e6b2d6100', Policy, policies.all],
  [
    '060d62616e6b2f7472616e736665720103000000020200020207637573746f6d730374617800',
    GovernanceAction,
    { type: 'setPolicy', value: { resource: 'bank/transfer', policy: policies.atLeast } },
  ],
  ['060662616e6b2f2a00', GovernanceAction, { type: 'setPolicy', value: { resource: 'bank/*' } }],
  [
    '01740615676f7665726e616e63652f70726f706f73616c2f2a01020100020662616e6b2d61037461780109726567756c61746f72',
    Propose,
    {
      title: 't',
      action: {
        type: 'setPolicy',
        value: { resource: 'governance/proposal/*', policy: policies.majority },
      },
    },
  ],
  [
    '00000000000000070178060b7363662f66696e616e6365010400000002000000030301030400001d676f7665726e616e63652f70726f706f73616c2f736574506f6c696379020100020662616e6b2d61037461780109726567756c61746f72026162010000000000000003000000000000000d000000000000001001037461780261620100000000000000040100000000000000000302616200',
    Proposal,
    {
      id: 7n,
      title: 'x',
      action: { type: 'setPolicy', value: { resource: 'scf/finance', policy: policies.fraction } },
      resource: 'governance/proposal/setPolicy',
      policy: policies.majority,
      proposer: 'ab',
      status: 'queued',
      submittedAt: 3n,
      votingEnds: 13n,
      executableAt: 16n,
      votes: [{ org: 'tax', voter: 'ab', approve: true, height: 4n }],
      history: [{ status: 'voting', height: 3n, by: 'ab', note: '' }],
    },
  ],
];

const makerCheckerApprover: Policy = {
  rule: {
    type: 'withinOrgs',
    value: { orgs: { type: 'any', value: {} }, identities: 3, roles: ['admin'] },
  },
  roles: ['client', 'admin'],
  orgs: ['bank-a'],
  vetoBy: [],
};

describe('policy encodings', () => {
  it('every pinned encoding of the older rules decodes to the same value and re-encodes to the same bytes', () => {
    for (const [hex, codec, value] of PINNED) {
      const bytes = hexToBytes(hex);
      assert.deepEqual(decode(codec as typeof Policy, bytes), value, hex);
      assert.equal(bytesToHex(encode(codec as typeof Policy, value as Policy)), hex);
    }
  });

  it('a within-organization rule is a new tag after the five count rules, and round-trips', () => {
    const bytes = encode(Policy, makerCheckerApprover);
    // tag 5, then the count rule (any: tag 0), identities (u32), roles (admin: 0)
    assert.equal(bytesToHex(bytes.subarray(0, 8)), '0500000000030100');
    assert.deepEqual(decode(Policy, bytes), makerCheckerApprover);
    const older = encode(Policy, { ...makerCheckerApprover, rule: { type: 'any', value: {} } });
    assert.equal(bytesToHex(older.subarray(0, 1)), '00');
  });
});

describe('policy JSON', () => {
  it('older policies read and write as they always did (no withinOrg field)', () => {
    for (const p of Object.values(policies)) {
      const json = policyToJson(p);
      assert.equal('withinOrg' in json, false);
      assert.deepEqual(policyFromJson(json), p);
    }
    assert.deepEqual(policyToJson(policies.fraction).rule, { fraction: [2, 3] });
  });

  it('withinOrg reads into the withinOrgs rule and writes back with both fields', () => {
    const json = {
      rule: 'any',
      roles: ['client', 'admin'],
      orgs: ['bank-a'],
      withinOrg: { identities: 3, roles: ['admin'] },
    };
    assert.deepEqual(policyFromJson(json), makerCheckerApprover);
    assert.deepEqual(policyToJson(makerCheckerApprover), { ...json, vetoBy: [] });
    // Roles alone: as many distinct signers as roles.
    const distinctRoles = policyFromJson({
      rule: { atLeast: 2 },
      roles: ['client', 'admin'],
      withinOrg: { roles: ['client', 'admin'] },
    });
    assert.deepEqual(typeof distinctRoles !== 'string' && distinctRoles.rule, {
      type: 'withinOrgs',
      value: { orgs: { type: 'atLeast', value: 2 }, identities: 2, roles: ['client', 'admin'] },
    });
    const twoOfAny = policyFromJson({ rule: 'all', roles: ['admin'], withinOrg: { identities: 2 } });
    assert.deepEqual(typeof twoOfAny !== 'string' && twoOfAny.rule, {
      type: 'withinOrgs',
      value: { orgs: { type: 'all', value: {} }, identities: 2, roles: [] },
    });
  });

  it('refuses malformed within-organization rules with a reason', () => {
    const base = { rule: 'any', roles: ['client', 'admin'] };
    const cases: [unknown, RegExp][] = [
      [{ identities: 0 }, /from 1 to 64/],
      [{ identities: 65 }, /from 1 to 64/],
      [{ identities: 1.5 }, /positive integer/],
      [{ identities: 1, roles: ['client', 'admin'] }, /at least the number/],
      [{ roles: ['auditor'] }, /among the policy's roles \(auditor/],
      [{ roles: ['nobody'] }, /withinOrg.roles must list roles/],
      [{}, /needs identities or roles/],
      [{ identity: 2 }, /no field "identity"/],
      [[2], /is an object/],
      ['three', /is an object/],
    ];
    for (const [withinOrg, reason] of cases) {
      const parsed = policyFromJson({ ...base, withinOrg });
      assert.equal(typeof parsed, 'string', JSON.stringify(withinOrg));
      assert.match(parsed as string, reason);
    }
  });

  it('checks decoded policies too (what setPolicy receives): only the within-organization rule', () => {
    const bad = (value: Partial<{ identities: number; roles: Policy['roles'] }>, orgs = 'any') => ({
      ...makerCheckerApprover,
      rule: {
        type: 'withinOrgs' as const,
        value: {
          orgs:
            orgs === 'atLeast0'
              ? { type: 'atLeast' as const, value: 0 }
              : orgs === 'fraction'
                ? { type: 'fraction' as const, value: { numerator: 3, denominator: 2 } }
                : { type: 'any' as const, value: {} },
          identities: 3,
          roles: ['admin' as const],
          ...value,
        },
      },
    });
    assert.equal(withinOrgProblem(makerCheckerApprover), undefined);
    assert.match(withinOrgProblem(bad({ identities: 0 }))!, /from 1 to 64/);
    assert.match(withinOrgProblem(bad({ identities: 1, roles: ['admin', 'client'] }))!, /at least/);
    assert.match(withinOrgProblem(bad({ roles: ['regulator'] }))!, /regulator is not/);
    assert.match(withinOrgProblem(bad({}, 'atLeast0'))!, /atLeast/);
    assert.match(withinOrgProblem(bad({}, 'fraction'))!, /fraction/);
    // An older rule with odd values is left as chains have always taken it.
    assert.equal(withinOrgProblem({ ...policies.any, rule: { type: 'atLeast', value: 0 } }), undefined);
    // Proposal votes are one per organization: no within-organization rule there.
    assert.match(
      policyResourceProblem('governance/proposal/setPolicy', makerCheckerApprover)!,
      /voted once per organization/,
    );
    assert.equal(policyResourceProblem('governance/proposal/setPolicy', policies.majority), undefined);
    assert.equal(policyResourceProblem('scf/finance/bank-a', makerCheckerApprover), undefined);
  });

  it("a proposal's JSON shows a setPolicy action's policy in the form people write", () => {
    const p = decode(Proposal, hexToBytes(PINNED.at(-1)![0]));
    const json = proposalJson({
      ...p,
      action: { type: 'setPolicy', value: { resource: 'scf/finance', policy: makerCheckerApprover } },
    });
    assert.deepEqual(json.action, {
      resource: 'scf/finance',
      policy: {
        rule: 'any',
        roles: ['client', 'admin'],
        orgs: ['bank-a'],
        vetoBy: [],
        withinOrg: { identities: 3, roles: ['admin'] },
      },
    });
    assert.deepEqual(json.policy, {
      rule: 'majority',
      roles: ['admin'],
      orgs: ['bank-a', 'tax'],
      vetoBy: ['regulator'],
    });
    assert.deepEqual(
      proposalJson({ ...p, action: { type: 'setPolicy', value: { resource: 'bank/*' } } }).action,
      {
        resource: 'bank/*',
      },
    );
  });
});
