import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { createTx } from '@ethereumjs/tx';
import { evm } from '@pujiang/module-evm/chain';
import { ethereumChainId } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { nativeCall, Raw } from './evm-payloads.js';
import { CHAIN, consortium } from './governance-harness.js';

/**
 * EVM failures on the chain's executor: revert, out of gas, invalid opcode and stack
 * overflow fail only their transaction (with their code, and the revert data), nothing they
 * wrote stays, the sender's nonce advances, and the block's other transactions go on.
 * Native accounts (Ed25519 and SM2 admins here) deploy and call with 0x00 || EvmCall.
 */
const native = nativeCall;

/** Init code that returns `runtime` as the contract's code. */
const deployable = (runtime: string) => {
  const length = (runtime.length / 2).toString(16).padStart(2, '0');
  return `60${length}600c60003960${length}6000f3${runtime}`;
};

const RUNTIMES = {
  // SSTORE(0, 1) then REVERT with 4 bytes 0xdeadbeef: the write must not stay.
  revert: '600160005563deadbeef6000526004601cfd',
  outOfGas: '5b600056', // JUMPDEST; JUMP to 0 forever
  invalid: 'fe',
  stackOverflow: '5b6001600056', // JUMPDEST; PUSH1 1; JUMP to 0: one more item per turn
  store: '602a60005500', // SSTORE(0, 42)
};

describe('EVM execution on the chain', () => {
  it('fails only the failing transactions, each with its code, and keeps the rest of the block', async () => {
    const c = consortium({ extraModules: [evm] });
    const deployer = c.admin('customs');
    const addresses: Record<string, string> = {};
    for (const [name, runtime] of Object.entries(RUNTIMES)) {
      const receipt = await c.send(deployer, 'evm', 'deploy', Raw, native('', deployable(runtime)));
      assert.equal(receipt.code, 'OK', name);
      const executed = receipt.events.find((e) => e.type === 'executed')!;
      addresses[name] = executed.attributes.created!;
      assert.equal(
        (c.queryOf('evm', 'code', { address: addresses[name] }) as { code: string }).code,
        runtime,
      );
    }
    const caller = c.admin('tax');
    const nonceBefore = caller.nonce;
    const receipts = await c.sendBlock(
      ['revert', 'outOfGas', 'invalid', 'stackOverflow', 'store'].map((name) => ({
        m: caller,
        module: 'evm',
        type: 'call',
        payload: native(addresses[name]!, ''),
      })),
    );
    assert.deepEqual(
      receipts.map((r) => r.code),
      ['EVM_REVERTED', 'EVM_OUT_OF_GAS', 'EVM_INVALID_OPCODE', 'EVM_STACK_OVERFLOW', 'OK'],
    );
    assert.match(receipts[0]!.message!, /^execution reverted: 0xdeadbeef$/);
    assert.ok(receipts.slice(0, 4).every((r) => r.events.length === 0 && r.gasUsed > 21_000));
    assert.equal(receipts[1]!.gasUsed, 10_000_000, 'out of gas uses the whole limit');
    const slot = '0'.repeat(64);
    const stored = (address: string) =>
      (c.queryOf('evm', 'storage', { address, slot }) as { value: string }).value;
    assert.equal(stored(addresses.revert!), slot, 'the reverted write is gone');
    assert.equal(BigInt(`0x${stored(addresses.store!)}`), 42n);
    assert.equal(caller.nonce, nonceBefore + 5n);
  });

  it('charges a log-heavy call exactly the EVM gas: the EVM prices its events', async () => {
    const c = consortium({ extraModules: [evm] });
    const m = c.admin('customs');
    // LOG1 of 8 KiB of memory (zeros) with topic 7.
    const deployed = await c.send(m, 'evm', 'deploy', Raw, native('', deployable('60076120006000a100')));
    const address = deployed.events.find((e) => e.type === 'executed')!.attributes.created!;
    const receipt = await c.send(m, 'evm', 'call', Raw, native(address, ''));
    assert.equal(receipt.code, 'OK');
    const executed = receipt.events.find((e) => e.type === 'executed')!;
    assert.equal(receipt.gasUsed, Number(executed.attributes.gasUsed));
    assert.equal(receipt.events.filter((e) => e.type === 'log').length, 1);
  });

  it("refuses an Ethereum transaction wrapped by another key, or with more gas than the chain's", async () => {
    const c = consortium({ extraModules: [evm] });
    const m = c.admin('customs');
    const KEY = hexToBytes('0c'.repeat(32));
    const chainId = ethereumChainId(CHAIN);
    const common = createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork: Hardfork.Cancun });
    const raw = (gasLimit: bigint) =>
      createTx(
        { type: 2, nonce: m.nonce, gasLimit, maxFeePerGas: 0n, to: `0x${'11'.repeat(20)}` },
        { common },
      )
        .sign(KEY)
        .serialize();
    // The customs admin's key (Ed25519 or SM2) is not the Ethereum signer's.
    assert.equal((await c.send(m, 'evm', 'call', Raw, raw(100_000n))).code, 'EVM_BAD_PAYLOAD');
    assert.equal((await c.send(m, 'evm', 'call', Raw, raw(2n ** 60n))).code, 'EVM_BAD_PAYLOAD');
  });

  it('refuses a malformed payload and a deploy that names a recipient, charging the intrinsic gas', async () => {
    const c = consortium({ extraModules: [evm] });
    const m = c.admin('customs');
    const garbage = await c.send(m, 'evm', 'call', Raw, new Uint8Array([0, 0xff, 0xff]));
    assert.equal(garbage.code, 'EVM_BAD_PAYLOAD');
    assert.equal(garbage.gasUsed, 21_000);
    const wrongKind = await c.send(m, 'evm', 'deploy', Raw, native('cc'.repeat(20), ''));
    assert.equal(wrongKind.code, 'EVM_BAD_PAYLOAD');
  });
});
