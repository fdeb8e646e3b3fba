import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { createBlock } from '@ethereumjs/block';
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { createTx } from '@ethereumjs/tx';
import { Address, bytesToHex as ethHex, privateToAddress } from '@ethereumjs/util';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { keccak256 } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { ChainStateManager } from '../src/chain/state-manager.js';

/**
 * Our state manager against @ethereumjs's own (the reference) on one VM configuration: the
 * same transactions must use the same gas, return the same data and leave the same storage.
 * SSTORE's cost and refunds depend on each slot's value at the transaction's start, so a
 * manager that read it from its own journal would under- or over-charge here.
 */
const require = createRequire(import.meta.url);
const solc = require('solc') as { compile(input: string): string };
const common = createCustomCommon({ chainId: 4242 }, Mainnet, { hardfork: Hardfork.Cancun });
const KEY = hexToBytes('0c'.repeat(32));
const SENDER = new Address(privateToAddress(KEY));

function compile(): { bytecode: string } {
  const source = readFileSync(new URL('../../test/contracts/GasPatterns.sol', import.meta.url), 'utf8');
  const out = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'GasPatterns.sol': { content: source } },
        settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
      }),
    ),
  );
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  assert.deepEqual(errors, []);
  return { bytecode: out.contracts['GasPatterns.sol'].GasPatterns.evm.bytecode.object };
}

const word = (n: bigint) => n.toString(16).padStart(64, '0');
const calldata = (signature: string, ...args: bigint[]): `0x${string}` =>
  `0x${bytesToHex(keccak256(utf8ToBytes(signature)).subarray(0, 4))}${args.map(word).join('')}`;

const block = createBlock(
  { header: { number: 1n, timestamp: 1_700_000_000n, gasLimit: 30_000_000n, baseFeePerGas: 0n } },
  { common, skipConsensusFormatValidation: true },
);

describe('ChainStateManager against the reference state manager', () => {
  it('charges the same gas, returns the same data and stores the same values', async () => {
    const { bytecode } = compile();
    const reference: VM = await createVM({ common });
    const store = new Map<string, Uint8Array>();
    const ours = new ChainStateManager({
      get: (key) => store.get(key),
      set: (key, value) => (value === undefined ? store.delete(key) : store.set(key, value)),
    });
    const vm: VM = await createVM({ common, stateManager: ours });

    let nonce = 0n;
    const send = async (data: `0x${string}`, to?: Address) => {
      const tx = createTx(
        {
          type: 2,
          nonce,
          gasLimit: 5_000_000n,
          maxFeePerGas: 0n,
          maxPriorityFeePerGas: 0n,
          data,
          ...(to ? { to } : {}),
        },
        { common },
      ).sign(KEY);
      nonce++;
      const expected = await runTx(reference, { tx, block });
      // As the module runs it: the account's nonce set to the transaction's, the journal
      // written to the store only when the transaction succeeded.
      ours.bind({
        get: (k) => store.get(k),
        set: (k, v) => (v === undefined ? store.delete(k) : store.set(k, v)),
      });
      await ours.modifyAccountFields(SENDER, { nonce: tx.nonce });
      const actual = await runTx(vm, { tx, block });
      if (actual.execResult.exceptionError === undefined) ours.flush();
      assert.equal(actual.totalGasSpent, expected.totalGasSpent, `gas of ${data.slice(0, 10)}`);
      assert.equal(actual.gasRefund, expected.gasRefund, `refund of ${data.slice(0, 10)}`);
      assert.equal(actual.execResult.exceptionError?.error, expected.execResult.exceptionError?.error);
      assert.equal(ethHex(actual.execResult.returnValue), ethHex(expected.execResult.returnValue));
      assert.deepEqual(actual.execResult.logs, expected.execResult.logs);
      return expected;
    };

    const deployed = await send(`0x${bytecode}`);
    const address = deployed.createdAddress!;
    assert.ok(address !== undefined);
    await send(calldata('set(uint256,uint256)', 1n, 5n), address);
    await send(calldata('set(uint256,uint256)', 1n, 6n), address); // nonzero -> nonzero
    await send(calldata('bounce(uint256,uint256)', 1n, 9n), address); // original -> a -> original
    await send(calldata('bounce(uint256,uint256)', 2n, 9n), address); // zero -> a -> zero
    await send(calldata('clearAndRestore(uint256)', 1n), address);
    await send(calldata('set(uint256,uint256)', 1n, 0n), address); // clearing refund
    await send(calldata('push(uint256)', 20n), address);
    await send(calldata('pop(uint256)', 15n), address);
    await send(calldata('transient(uint256)', 77n), address);
    await send(calldata('failAfterWrite(uint256)', 3n), address); // reverts: nothing kept
    await send(calldata('child()'), address); // CREATE from a contract, then a call into it
    await send(calldata('set(uint256,uint256)', 3n, 8n), address);

    for (const slot of [1n, 2n, 3n, 99n]) {
      const mapped = keccak256(hexToBytes(word(slot) + word(0n)));
      assert.equal(
        ethHex(await ours.getStorage(address, mapped)),
        ethHex(await reference.stateManager.getStorage(address, mapped)),
        `slot ${slot}`,
      );
    }
    assert.equal(ethHex(await ours.getCode(address)), ethHex(await reference.stateManager.getCode(address)));
  });

  it('reverting a checkpoint restores every write, and flush writes only what stayed', async () => {
    const store = new Map<string, Uint8Array>();
    const sm = new ChainStateManager({
      get: (key) => store.get(key),
      set: (key, value) => (value === undefined ? store.delete(key) : store.set(key, value)),
    });
    const a = new Address(hexToBytes('aa'.repeat(20)));
    const slot = hexToBytes(word(1n));
    await sm.putStorage(a, slot, hexToBytes(word(5n)));
    await sm.checkpoint();
    await sm.putStorage(a, slot, hexToBytes(word(6n)));
    await sm.putCode(a, hexToBytes('6000'));
    await sm.revert();
    assert.equal(ethHex(await sm.getStorage(a, slot)), '0x05');
    assert.equal(ethHex(await sm.getCode(a)), '0x');
    assert.equal(ethHex(await sm.originalStorageCache.get(a, slot)), '0x'); // not stored yet
    sm.flush();
    assert.equal(ethHex(await sm.originalStorageCache.get(a, slot)), '0x05');
    assert.deepEqual([...store.keys()], [`s/${'aa'.repeat(20)}/${word(1n)}`]);
  });
});
