import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BankSend, encodeAmount } from '@pujiang/module-bank';
import { Register } from '@pujiang/module-governance';
import { hexToBytes } from '@pujiang/types';
import { DemoCall, escrowDemo } from './example-modules.js';
import { consortium } from './governance-harness.js';

/** bank's and governance's exports, called by a module that imports them (escrowdemo, test-only). */
function setup() {
  const c = consortium({ extraModules: [escrowDemo] });
  const customs = c.admin('customs');
  const tax = c.admin('tax');
  const call = (
    m = customs,
    op = '',
    fields: Partial<{ id: string; to: string; denom: string; amount: string }> = {},
  ) => c.send(m, 'escrowdemo', 'call', DemoCall, { op, id: '', to: '', denom: '', amount: '', ...fields });
  const balance = (address: string, denom = 'native') =>
    (c.queryOf('bank', 'denomBalance', { address, denom }) as { balance: string }).balance;
  const hold = (id: string) => c.queryOf('bank', 'hold', { module: 'escrowdemo', id });
  return { c, customs, tax, call, balance, hold };
}

describe("bank's exports: escrow for modules, denominations, amounts beyond 64 bits", () => {
  it("a module holds the signer's funds under an id, pays part out, and refunds the rest; each step is an event", async () => {
    const { customs, tax, call, balance, hold, c } = setup();
    const locked = await call(customs, 'lock', { id: 'lc-1', amount: '300' });
    assert.equal(locked.code, 'OK', locked.message);
    assert.deepEqual(
      locked.events.map((e) => `${e.module}.${e.type}`),
      ['bank.escrowed'],
    );
    assert.equal(locked.events[0]!.attributes.module, 'escrowdemo');
    assert.equal(balance(customs.address), '999700');
    assert.deepEqual(hold('lc-1'), {
      module: 'escrowdemo',
      id: 'lc-1',
      denom: 'native',
      amount: '300',
      from: customs.address,
    });
    const paid = await call(customs, 'pay', { id: 'lc-1', to: tax.address, amount: '100' });
    assert.equal(paid.code, 'OK', paid.message);
    assert.equal(paid.events.at(-1)!.attributes.amount, '200');
    assert.equal(balance(tax.address), '100');
    assert.equal(
      (await call(customs, 'pay', { id: 'lc-1', to: tax.address, amount: '500' })).code,
      'BANK_INSUFFICIENT_FUNDS',
    );
    assert.equal((await call(customs, 'cancel', { id: 'lc-1' })).code, 'OK');
    assert.equal(hold('lc-1'), null);
    assert.equal(balance(customs.address), '999900');
    assert.equal((await call(customs, 'cancel', { id: 'lc-1' })).code, 'BANK_UNKNOWN_HOLD');
    // The legacy balance key is the one the native denomination uses.
    assert.deepEqual(c.queryOf('bank', 'balance', { address: customs.address }), {
      address: customs.address,
      balance: '999900',
    });
  });

  it("a module cannot move anyone else's funds, hold one id twice, or overdraw", async () => {
    const { customs, tax, call, balance } = setup();
    assert.equal((await call(customs, 'lock', { id: 'x', amount: '5' })).code, 'OK');
    assert.equal((await call(customs, 'lock', { id: 'x', amount: '5' })).code, 'BANK_HOLD_EXISTS');
    assert.equal((await call(tax, 'lock', { id: 'y', amount: '5' })).code, 'BANK_INSUFFICIENT_FUNDS');
    const stolen = await call(tax, 'steal', { id: customs.address, to: tax.address, amount: '10' });
    assert.equal(stolen.code, 'BANK_NOT_AUTHORIZED');
    assert.equal(balance(tax.address), '0');
    assert.equal((await call(customs, 'lock', { id: 'bad id!', amount: '5' })).code, 'BANK_BAD_HOLD');
    assert.equal((await call(customs, 'lock', { id: 'z', amount: '0' })).code, 'BANK_ZERO_AMOUNT');
  });

  it('a module issues a denomination; amounts go past 2^64; only the issuer mints; bank/send moves any denomination', async () => {
    const { c, customs, tax, call, balance } = setup();
    assert.equal((await call(customs, 'issue', { denom: 'cny' })).code, 'OK');
    assert.equal((await call(customs, 'issue', { denom: 'cny' })).code, 'BANK_DENOM_EXISTS');
    assert.equal((await call(customs, 'issue', { denom: 'native' })).code, 'BANK_BAD_DENOM');
    const big = 2n ** 200n;
    assert.equal(
      (await call(customs, 'mint', { to: tax.address, denom: 'cny', amount: String(big) })).code,
      'OK',
    );
    assert.equal(balance(tax.address, 'cny'), String(big));
    assert.deepEqual(c.queryOf('bank', 'denom', { denom: 'cny' }), {
      denom: 'cny',
      issuer: 'escrowdemo',
      decimals: 2,
      supply: String(big),
    });
    const sent = await c.send(tax, 'bank', 'send', BankSend, {
      to: hexToBytes(customs.address),
      denom: 'cny',
      amount: encodeAmount(big / 2n),
    });
    assert.equal(sent.code, 'OK', sent.message);
    assert.equal(balance(customs.address, 'cny'), String(big / 2n));
    assert.equal((await call(customs, 'burn', { denom: 'cny', amount: String(big / 2n) })).code, 'OK');
    assert.equal(
      (c.queryOf('bank', 'denom', { denom: 'cny' }) as { supply: string }).supply,
      String(big / 2n),
    );
    assert.equal(
      (await call(customs, 'mint', { to: tax.address, denom: 'usd', amount: '1' })).code,
      'BANK_UNKNOWN_DENOM',
    );
    const nonMinimal = await c.send(tax, 'bank', 'send', BankSend, {
      to: hexToBytes(customs.address),
      denom: 'cny',
      amount: Uint8Array.of(0, 1),
    });
    assert.equal(nonMinimal.code, 'BANK_BAD_AMOUNT');
    const native = await c.send(customs, 'bank', 'send', BankSend, {
      to: hexToBytes(tax.address),
      denom: 'native',
      amount: encodeAmount(7n),
    });
    assert.equal(native.code, 'OK', native.message);
    assert.equal(balance(tax.address), '7');
  });
});

describe("governance's exports: identityOf and policySatisfied for other modules", () => {
  it("a module learns the signer's organization and role, and whether signers satisfy a resource's policy", async () => {
    const { customs, call } = setup();
    const who = await call(customs, 'whoami');
    assert.equal(who.code, 'OK', who.message);
    assert.deepEqual(who.events[0]!.attributes, { org: 'customs', role: 'admin', valid: 'true' });
    const any = await call(customs, 'policy', { id: 'bank/transfer' });
    assert.deepEqual(any.events[0]!.attributes, { resource: 'bank/transfer', satisfied: 'true' });
    const majority = await call(customs, 'policy', { id: 'governance/proposal/addOrganization' });
    assert.deepEqual(majority.events[0]!.attributes, {
      resource: 'governance/proposal/addOrganization',
      satisfied: 'false',
    });
  });

  it('a narrower resource takes the nearest policy up its path, and a within-organization rule counts distinct signers', async () => {
    const c = consortium({
      extraModules: [escrowDemo],
      policies: {
        'escrowdemo/finance': {
          rule: 'any',
          roles: ['client', 'admin'],
          orgs: ['customs'],
          withinOrg: { identities: 2 },
        },
      },
    });
    const customs = c.admin('customs');
    const clerk = c.member('customs', 'client');
    await c.send(clerk, 'governance', 'register', Register, { certificate: clerk.certificate });
    const ask = async (id: string, endorsers: (typeof customs)[] = []) => {
      const r = await c.send(
        customs,
        'escrowdemo',
        'call',
        DemoCall,
        { op: 'policy', id, to: '', denom: '', amount: '' },
        endorsers,
      );
      assert.equal(r.code, 'OK', r.message);
      return r.events[0]!.attributes.satisfied;
    };
    assert.equal(await ask('escrowdemo/finance/customs'), 'false');
    assert.equal(await ask('escrowdemo/finance/customs', [customs]), 'false');
    assert.equal(await ask('escrowdemo/finance/customs', [clerk]), 'true');
    assert.equal(await ask('escrowdemo/finance', [clerk]), 'true');
    // Another path of the module falls to the default (any client or admin of a member).
    assert.equal(await ask('escrowdemo/other/customs'), 'true');
    // policyVerdict says why: where the policy was set and who fell short.
    const verdict = await c.send(customs, 'escrowdemo', 'call', DemoCall, {
      op: 'verdict',
      id: 'escrowdemo/finance/customs',
      to: '',
      denom: '',
      amount: '',
    });
    assert.equal(verdict.code, 'OK', verdict.message);
    assert.deepEqual(verdict.events[0]!.attributes, {
      policy: 'escrowdemo/finance',
      shortOrgs: JSON.stringify([{ org: 'customs', signers: 1, identities: 2, missingRoles: [] }]),
    });
  });
});
