import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evm } from '@pujiang/module-evm/chain';
import { nativeCall, Raw } from './evm-payloads.js';
import { consortium } from './governance-harness.js';

/**
 * Per-contract call policies: a policy on `evm/call/<contract>` decides who may call that
 * contract (before `evm/call`'s), and leaves calls to other contracts to the general policy.
 */
const GUARDED = 'aa'.repeat(20);
const OPEN = 'bb'.repeat(20);

const call = (to: string) => nativeCall(to);

describe('per-contract call policies', () => {
  it('a policy on evm/call/<contract> decides calls to it; other contracts keep evm/call', async () => {
    const c = consortium({
      extraModules: [evm],
      policies: { [`evm/call/${GUARDED}`]: { rule: { atLeast: 1 }, roles: ['admin'], orgs: ['tax'] } },
    });
    const customs = c.admin('customs');
    const tax = c.admin('tax');
    const refused = await c.send(customs, 'evm', 'call', Raw, call(GUARDED));
    assert.equal(refused.code, 'POLICY_UNSATISFIED');
    assert.throws(() => c.admit(customs, 'evm', 'call', call(GUARDED)), {
      code: 'POLICY_UNSATISFIED',
    });
    assert.equal((await c.send(tax, 'evm', 'call', Raw, call(GUARDED))).code, 'OK');
    assert.equal((await c.send(customs, 'evm', 'call', Raw, call(OPEN))).code, 'OK');
  });
});
