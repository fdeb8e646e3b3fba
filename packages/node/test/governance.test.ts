import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { generateKeyPair } from '@pujiang/crypto';
import {
  Finalize,
  type GovernanceAction,
  Propose,
  Register,
  Revoke,
  Veto,
  Vote,
} from '@pujiang/module-governance';
import { isPujiangError } from '@pujiang/types';
import { createOrganization, issueMemberCertificate } from '../src/host/organization.js';
import { consortium, type Member, scratchDir } from './governance-harness.js';

type Gov = ReturnType<typeof consortium>;
const propose = (c: Gov, m: Member, action: GovernanceAction, title = 'test') =>
  c.send(m, 'governance', 'propose', Propose, { title, action });
const vote = (c: Gov, m: Member, id: bigint, approve = true) =>
  c.send(m, 'governance', 'vote', Vote, { id, approve });
const finalize = (c: Gov, m: Member, id: bigint) => c.send(m, 'governance', 'finalize', Finalize, { id });
const proposal = (c: Gov, id: bigint) =>
  c.query('proposal', { id: String(id) }) as { status: string; history: { status: string }[] };
const refusedWith = (code: string) => (e: unknown) => isPujiangError(e, code);

describe('membership', () => {
  it('registers a member from its organization CA certificate; its role comes from the OU', async () => {
    const c = consortium();
    const alice = c.member('tax', 'client', 'sm2');
    // Unknown until registered: refused at admission and in execution.
    const payload = encode(c.BankTransfer, c.transfer(c.admin('tax'), 1n));
    assert.throws(() => c.admit(alice, 'bank', 'transfer', payload), refusedWith('MEMBER_UNKNOWN'));
    assert.equal(
      (await c.send(alice, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n))).code,
      'MEMBER_UNKNOWN',
    );
    assert.equal(
      (await c.send(alice, 'governance', 'register', Register, { certificate: alice.certificate })).code,
      'OK',
    );
    const identity = c.query('identity', { address: alice.address }) as { org: string; role: string };
    assert.deepEqual([identity.org, identity.role], ['tax', 'client']);
    c.admit(alice, 'bank', 'transfer', payload); // admitted now
  });

  it('refuses a certificate from a CA that is not the named organization’s, and registering someone else’s certificate', async () => {
    const c = consortium();
    const rogueCa = createOrganization({
      dir: join(scratchDir('rogue-'), 'ca'),
      id: 'tax',
      suite: 'ed25519',
    });
    const mallory = generateKeyPair('ed25519');
    const forged = issueMemberCertificate(rogueCa, {
      publicKey: mallory.publicKey,
      role: 'admin',
      commonName: 'mallory',
    });
    const m: Member = {
      key: mallory,
      org: 'tax',
      role: 'admin',
      certificate: forged,
      address: '',
      nonce: 0n,
    };
    assert.equal(
      (await c.send(m, 'governance', 'register', Register, { certificate: forged })).code,
      'MEMBER_BAD_CERTIFICATE',
    );
    const bob = c.member('customs', 'client');
    const eve = c.member('customs', 'client');
    assert.equal(
      (await c.send(eve, 'governance', 'register', Register, { certificate: bob.certificate })).code,
      'MEMBER_BAD_CERTIFICATE',
    );
  });

  it('a revoked certificate is refused; an admin of one organization cannot revoke for another', async () => {
    const c = consortium();
    const alice = c.member('tax', 'client');
    await c.send(alice, 'governance', 'register', Register, { certificate: alice.certificate });
    const serial = (c.query('identity', { address: alice.address }) as { serial: string }).serial;
    const bytes = Buffer.from(serial, 'hex');
    // Admitted before the revocation: the executor keeps this verdict for this state only.
    const before = encode(c.BankTransfer, c.transfer(c.admin('tax'), 1n));
    c.admit(alice, 'bank', 'transfer', before);
    c.admit(alice, 'bank', 'transfer', before);
    // customs' admin tries to act for tax
    assert.equal(
      (await c.send(c.admin('customs'), 'governance', 'revoke', Revoke, { org: 'tax', serial: bytes })).code,
      'GOV_NOT_ORG_ADMIN',
    );
    assert.equal(
      (await c.send(c.admin('tax'), 'governance', 'revoke', Revoke, { org: 'tax', serial: bytes })).code,
      'OK',
    );
    assert.deepEqual((c.query('crl', { org: 'tax' }) as { revoked: string[] }).revoked, [serial]);
    const payload = encode(c.BankTransfer, c.transfer(c.admin('tax'), 1n));
    assert.throws(() => c.admit(alice, 'bank', 'transfer', payload), refusedWith('MEMBER_REVOKED'));
    assert.throws(() => c.admit(alice, 'bank', 'transfer', payload), refusedWith('MEMBER_REVOKED'));
    assert.equal(
      (await c.send(alice, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n))).code,
      'MEMBER_REVOKED',
    );
    // ...and it cannot register again with the same certificate
    assert.equal(
      (await c.send(alice, 'governance', 'register', Register, { certificate: alice.certificate })).code,
      'MEMBER_REVOKED',
    );
  });

  it('a revocation takes effect within its block: the same signer is admitted before it and refused after it', async () => {
    const c = consortium();
    const alice = c.member('tax', 'client');
    const bob = c.member('tax', 'client');
    await c.send(alice, 'governance', 'register', Register, { certificate: alice.certificate });
    await c.send(bob, 'governance', 'register', Register, { certificate: bob.certificate });
    const serial = Buffer.from(
      (c.query('identity', { address: alice.address }) as { serial: string }).serial,
      'hex',
    );
    const transfer = encode(c.BankTransfer, c.transfer(c.admin('tax'), 1n));
    const receipts = await c.sendBlock([
      { m: alice, module: 'bank', type: 'transfer', payload: transfer },
      { m: alice, module: 'bank', type: 'transfer', payload: transfer },
      {
        m: c.admin('tax'),
        module: 'governance',
        type: 'revoke',
        payload: encode(Revoke, { org: 'tax', serial }),
      },
      { m: alice, module: 'bank', type: 'transfer', payload: transfer },
      { m: bob, module: 'bank', type: 'transfer', payload: transfer },
    ]);
    // Nobody here holds funds: a transfer the policy admits fails in the bank, after authorization.
    const admitted = 'BANK_INSUFFICIENT_FUNDS';
    assert.deepEqual(
      receipts.map((r) => r.code),
      [admitted, admitted, 'OK', 'MEMBER_REVOKED', admitted],
    );
  });

  it('an auditor is read-only: the default policy refuses its transfers', async () => {
    const c = consortium();
    const auditor = c.member('bank-a', 'auditor');
    await c.send(auditor, 'governance', 'register', Register, { certificate: auditor.certificate });
    assert.equal(
      (await c.send(auditor, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n))).code,
      'POLICY_UNSATISFIED',
    );
  });
});

describe('policies', () => {
  it('a resource needing two organizations takes the second as an endorsement', async () => {
    const c = consortium({
      policies: {
        'bank/transfer': { rule: { atLeast: 2 }, roles: ['admin', 'client'], orgs: ['customs', 'tax'] },
      },
    });
    const customs = c.admin('customs');
    const alone = await c.send(customs, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 5n));
    assert.equal(alone.code, 'POLICY_UNSATISFIED');
    // An endorsement from an organization the policy does not name does not count.
    const wrongOrg = await c.send(
      customs,
      'bank',
      'transfer',
      c.BankTransfer,
      c.transfer(c.admin('tax'), 5n),
      [c.admin('bank-a')],
    );
    assert.equal(wrongOrg.code, 'POLICY_UNSATISFIED');
    const endorsed = await c.send(
      customs,
      'bank',
      'transfer',
      c.BankTransfer,
      c.transfer(c.admin('tax'), 5n),
      [c.admin('tax')],
    );
    assert.equal(endorsed.code, 'OK');
  });
});

describe('proposals', () => {
  const addOrg = (_c: Gov, id: string): GovernanceAction => {
    const ca = createOrganization({
      dir: join(scratchDir('org-'), id),
      id,
      suite: 'sm2',
    });
    return { type: 'addOrganization', value: { id, name: id, caCertificate: ca.certificate } };
  };

  it('approved by a majority, time-locked, then executed; every step recorded', async () => {
    const c = consortium();
    assert.equal((await propose(c, c.admin('customs'), addOrg(c, 'maritime'))).code, 'OK');
    assert.equal(proposal(c, 1n).status, 'voting');
    assert.equal((await vote(c, c.admin('tax'), 1n)).code, 'OK');
    assert.equal((await vote(c, c.admin('tax'), 1n)).code, 'GOV_ALREADY_VOTED');
    assert.equal((await vote(c, c.admin('bank-a'), 1n)).code, 'OK'); // 3 of 4: majority
    assert.equal(proposal(c, 1n).status, 'queued');
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'GOV_NOT_READY');
    await c.skip(3);
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'OK');
    const p = proposal(c, 1n);
    assert.equal(p.status, 'executed');
    assert.deepEqual(
      p.history.map((h) => h.status),
      ['voting', 'queued', 'executed'],
    );
    const orgs = c.query('organizations') as { id: string }[];
    assert.ok(orgs.some((o) => o.id === 'maritime'));
  });

  it('a client cannot propose, and a regulator cannot vote where the policy names admins', async () => {
    const c = consortium();
    const client = c.member('tax', 'client');
    await c.send(client, 'governance', 'register', Register, { certificate: client.certificate });
    assert.equal((await propose(c, client, addOrg(c, 'x'))).code, 'GOV_NOT_ADMIN');
    await propose(c, c.admin('customs'), addOrg(c, 'y'));
    assert.equal((await vote(c, c.regulator, 1n)).code, 'GOV_NOT_ELIGIBLE');
  });

  it('a proposal without enough votes expires', async () => {
    const c = consortium({ votingPeriod: 4 });
    await propose(c, c.admin('customs'), addOrg(c, 'maritime'));
    await vote(c, c.admin('tax'), 1n); // 2 of 4: not a majority
    await c.skip(4);
    assert.equal((await vote(c, c.admin('bank-a'), 1n)).code, 'GOV_VOTING_CLOSED');
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'OK');
    assert.equal(proposal(c, 1n).status, 'expired');
    assert.ok(!(c.query('organizations') as { id: string }[]).some((o) => o.id === 'maritime'));
  });

  it('rejected once approval can no longer be reached', async () => {
    const c = consortium();
    await propose(c, c.admin('customs'), addOrg(c, 'maritime'));
    await vote(c, c.admin('tax'), 1n, false);
    await vote(c, c.admin('bank-a'), 1n, false);
    assert.equal(proposal(c, 1n).status, 'rejected');
  });

  it('a regulator named by the policy vetoes an approved proposal during its time-lock', async () => {
    const c = consortium({
      policies: {
        'governance/proposal/*': { rule: 'majority', roles: ['admin'], vetoBy: ['regulator'] },
      },
    });
    await propose(c, c.admin('customs'), addOrg(c, 'maritime'));
    await vote(c, c.admin('tax'), 1n);
    await vote(c, c.admin('bank-a'), 1n);
    assert.equal(proposal(c, 1n).status, 'queued');
    // An admin has no veto; the regulator does.
    assert.equal(
      (await c.send(c.admin('tax'), 'governance', 'veto', Veto, { id: 1n, reason: 'no' })).code,
      'GOV_NO_MANDATE',
    );
    assert.equal(
      (await c.send(c.regulator, 'governance', 'veto', Veto, { id: 1n, reason: 'sanctions screening' })).code,
      'OK',
    );
    await c.skip(3);
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'GOV_NOT_READY');
    assert.equal(proposal(c, 1n).status, 'vetoed');
  });

  it('revoking a certificate by proposal; adding and removing a validator takes effect two heights on', async () => {
    const c = consortium({ timelock: 0 });
    const node = c.member('tax', 'validator');
    await c.send(node, 'governance', 'register', Register, { certificate: node.certificate });
    const add: GovernanceAction = {
      type: 'setValidator',
      value: { suite: node.key.suite, publicKey: node.key.publicKey.bytes, power: 10n, name: 'tax-node' },
    };
    await propose(c, c.admin('customs'), add);
    await vote(c, c.admin('tax'), 1n);
    await vote(c, c.admin('bank-a'), 1n);
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'OK');
    const set = c.query('validators') as { since: string; validators: unknown[] };
    assert.equal(set.validators.length, 2);
    assert.equal(BigInt(set.since), c.height + 2n);
    // An unregistered key cannot become a validator.
    const stranger = generateKeyPair('ed25519');
    const bad = await propose(c, c.admin('customs'), {
      type: 'setValidator',
      value: { suite: 'ed25519', publicKey: stranger.publicKey.bytes, power: 10n, name: 'x' },
    });
    assert.equal(bad.code, 'GOV_INVALID_ACTION');
  });
});

describe('accepted suites by governance', () => {
  it('after the switch, the hybrid suite is accepted and the removed suite refused', async () => {
    const c = consortium({ suites: ['ed25519', 'sm2', 'ed25519+ml-dsa-44'], timelock: 0 });
    // Members keep their sm2 keys; customs and bank-a admins use ed25519 and must move.
    const hybrid = c.member('customs', 'client', 'ed25519+ml-dsa-44');
    await c.send(hybrid, 'governance', 'register', Register, { certificate: hybrid.certificate });
    const config = c.query('config') as {
      maxBlockBytes: number;
      maxBlockTxs: number;
      maxBlockGas: string;
      votingPeriod: number;
      timelock: number;
    };
    await propose(c, c.admin('customs'), {
      type: 'setConfig',
      value: {
        acceptedSuites: ['sm2', 'ed25519+ml-dsa-44'],
        maxBlockBytes: config.maxBlockBytes,
        maxBlockTxs: config.maxBlockTxs,
        maxBlockGas: BigInt(config.maxBlockGas),
        votingPeriod: config.votingPeriod,
        timelock: config.timelock,
      },
    });
    await vote(c, c.admin('tax'), 1n);
    await vote(c, c.admin('bank-a'), 1n);
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'OK');
    const payload = encode(c.BankTransfer, c.transfer(c.admin('tax'), 1n));
    assert.throws(
      () => c.admit(c.admin('customs'), 'bank', 'transfer', payload),
      refusedWith('TX_SUITE_NOT_ACCEPTED'),
    );
    assert.equal(
      (await c.send(c.admin('customs'), 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n)))
        .code,
      'TX_SUITE_NOT_ACCEPTED',
    );
    // The hybrid-signed transfer passes every check but the balance (it holds nothing).
    assert.equal(
      (await c.send(hybrid, 'bank', 'transfer', c.BankTransfer, c.transfer(c.admin('tax'), 1n))).code,
      'BANK_INSUFFICIENT_FUNDS',
    );
  });
});

describe('the chain pacing by governance', () => {
  it('set-pacing changes emptyBlockIntervalMs for every node; out of bounds it is refused at proposal', async () => {
    const c = consortium({ timelock: 0 });
    const pacing = () => (c.query('config') as { emptyBlockIntervalMs: number }).emptyBlockIntervalMs;
    assert.equal(pacing(), 0, 'a genesis without it makes a block every block interval');
    const tooLong = await propose(c, c.admin('customs'), {
      type: 'setPacing',
      value: { emptyBlockIntervalMs: 7 * 86_400_000 },
    });
    assert.equal(tooLong.code, 'GOV_INVALID_ACTION');
    await propose(c, c.admin('customs'), { type: 'setPacing', value: { emptyBlockIntervalMs: 30_000 } });
    await vote(c, c.admin('tax'), 1n);
    await vote(c, c.admin('bank-a'), 1n);
    assert.equal((await finalize(c, c.admin('customs'), 1n)).code, 'OK');
    assert.equal(pacing(), 30_000);
  });
});
