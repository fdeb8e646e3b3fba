import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from '@pujiang/codec';
import { Value } from '@sinclair/typebox/value';
import { bank } from '../src/chain.js';
import { transferPayload } from '../src/client.js';
import { BalanceQuery, BankTransfer, MinterQuery } from '../src/index.js';

describe('bank module package', () => {
  it('the chain serves the query contracts clients check answers against', () => {
    assert.equal(bank.queries?.balance?.params, BalanceQuery.params);
    assert.equal(bank.queries?.balance?.result, BalanceQuery.result);
    assert.equal(bank.queries?.minter?.result, MinterQuery.result);
    assert.ok(
      Value.Check(BalanceQuery.result, { address: '01'.repeat(21), balance: '18446744073709551615' }),
    );
    assert.ok(!Value.Check(BalanceQuery.result, { address: '01'.repeat(21), balance: 5 }));
  });

  it('transferPayload encodes bank/transfer and refuses malformed input with typed errors', () => {
    const payload = transferPayload('02'.repeat(21), 7n);
    assert.deepEqual(decode(BankTransfer, payload), { to: new Uint8Array(21).fill(2), amount: 7n });
    for (const [to, amount] of [
      ['xyz', 1n],
      ['02'.repeat(20), 1n],
      ['02'.repeat(21), -1n],
      ['02'.repeat(21), 2n ** 64n],
    ] as const)
      assert.throws(
        () => transferPayload(to, amount),
        (e: { code?: string }) => e.code === 'SDK_INVALID_ARGUMENT',
      );
  });
});
