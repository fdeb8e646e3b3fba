import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { deriveAddress, generateKeyPair, type KeyPair } from '@pujiang/crypto';
import { BankMint, BankTransfer } from '@pujiang/module-bank';
import { signTx } from '@pujiang/protocol';
import { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { bank, Executor, toBlockTx } from '../src/index.js';

const CHAIN = 'bank-test';
const addr = (kp: KeyPair) => bytesToHex(deriveAddress('sha256', kp.publicKey));
const U64_MAX = (1n << 64n) - 1n;

function setup(balances: Record<string, string>, minter?: string) {
  const executor = new Executor(new SparseMerkleTree('sha256'), {
    chainId: CHAIN,
    chainHash: 'sha256',
    modules: [bank],
    maxBlockGas: 10_000_000,
  });
  return { executor, root: executor.genesis({ bank: { ...(minter ? { minter } : {}), balances } }) };
}

function message(kp: KeyPair, nonce: bigint, type: 'transfer' | 'mint', to: KeyPair, amount: bigint) {
  const codec = type === 'transfer' ? BankTransfer : BankMint;
  return toBlockTx(
    'sha256',
    signTx(
      {
        chainId: CHAIN,
        suite: kp.suite,
        publicKey: kp.publicKey.bytes,
        nonce,
        expiresAtHeight: 10n,
        gasLimit: 100_000n,
        module: 'bank',
        type,
        payload: encode(codec, { to: hexToBytes(addr(to)), amount }),
      },
      kp.secretKey,
    ),
  );
}

const balanceOf = (e: Executor, root: Uint8Array, kp: KeyPair) =>
  (e.query(root, 'bank', 'balance', { address: addr(kp) }) as { balance: string }).balance;

describe('bank module', () => {
  const alice = generateKeyPair('ed25519');
  const bob = generateKeyPair('ed25519');

  it('only the genesis minter mints; minting emits an event and credits', async () => {
    const { executor, root } = setup({}, addr(alice));
    const r = await executor.executeBlock(root, 1n, [
      message(alice, 0n, 'mint', bob, 77n),
      message(bob, 0n, 'mint', bob, 1n),
    ]);
    assert.deepEqual(
      r.receipts.map((x) => x.code),
      ['OK', 'BANK_NOT_MINTER'],
    );
    assert.deepEqual(r.receipts[0]!.events, [
      { module: 'bank', type: 'mint', attributes: { to: addr(bob), amount: '77' } },
    ]);
    assert.equal(balanceOf(executor, r.root, bob), '77');
    assert.deepEqual(executor.query(r.root, 'bank', 'minter', {}), { minter: addr(alice) });
  });

  it('a chain without a minter refuses every mint', async () => {
    const { executor, root } = setup({ [addr(alice)]: '5' });
    const r = await executor.executeBlock(root, 1n, [message(alice, 0n, 'mint', alice, 1n)]);
    assert.equal(r.receipts[0]!.code, 'BANK_NOT_MINTER');
  });

  it('zero transfers, overdrafts and overflows are refused and change no balance', async () => {
    const { executor, root } = setup({ [addr(alice)]: '10', [addr(bob)]: String(U64_MAX) }, addr(alice));
    const r = await executor.executeBlock(root, 1n, [
      message(alice, 0n, 'transfer', bob, 0n),
      message(alice, 1n, 'transfer', bob, 11n),
      message(alice, 2n, 'transfer', bob, 1n),
      message(alice, 3n, 'mint', bob, 1n),
    ]);
    assert.deepEqual(
      r.receipts.map((x) => x.code),
      ['BANK_ZERO_AMOUNT', 'BANK_INSUFFICIENT_FUNDS', 'BANK_OVERFLOW', 'BANK_OVERFLOW'],
    );
    assert.equal(balanceOf(executor, r.root, alice), '10');
    assert.equal(balanceOf(executor, r.root, bob), String(U64_MAX));
  });

  it('a transfer to oneself keeps the balance', async () => {
    const { executor, root } = setup({ [addr(alice)]: '10' });
    const r = await executor.executeBlock(root, 1n, [message(alice, 0n, 'transfer', alice, 4n)]);
    assert.equal(r.receipts[0]!.code, 'OK');
    assert.equal(balanceOf(executor, r.root, alice), '10');
  });

  it('malformed genesis and query parameters are typed errors', () => {
    assert.throws(() => setup({ nothex: '1' }), { code: 'GENESIS_INVALID' });
    assert.throws(() => setup({ [addr(alice)]: '-1' }), { code: 'GENESIS_INVALID' });
    assert.throws(() => setup({ [addr(alice)]: String(U64_MAX + 1n) }), { code: 'GENESIS_INVALID' });
    assert.throws(() => setup({}, 'zz'), { code: 'GENESIS_INVALID' });
    const { executor, root } = setup({});
    assert.throws(() => executor.query(root, 'bank', 'balance', { address: 42 }), {
      code: 'BANK_BAD_ADDRESS',
    });
    assert.throws(() => executor.query(root, 'bank', 'nothing', {}), { code: 'QUERY_UNKNOWN' });
  });
});
