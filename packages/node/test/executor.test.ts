import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode, fixedBytes, struct, u64 } from '@pujiang/codec';
import { deriveAddress, generateKeyPair, type KeyPair } from '@pujiang/crypto';
import { encodeReceipt, type SignedTx, signTx } from '@pujiang/protocol';
import { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';
import { bank, defineMessage, Executor, toBlockTx } from '../src/index.js';

const CHAIN = 'exec-test';
const Transfer = struct('Transfer', { to: fixedBytes(21), amount: u64 });
const addr = (kp: KeyPair) => bytesToHex(deriveAddress('sm3', kp.publicKey));

function setup() {
  const tree = new SparseMerkleTree('sm3');
  const executor = new Executor(tree, {
    chainId: CHAIN,
    chainHash: 'sm3',
    modules: [bank],
    maxBlockGas: 10_000_000,
  });
  const alice = generateKeyPair('sm2');
  const bob = generateKeyPair('ed25519');
  const root = executor.genesis({ bank: { minter: addr(alice), balances: { [addr(alice)]: '1000' } } });
  return { tree, executor, alice, bob, root };
}

const tx = (
  kp: KeyPair,
  nonce: bigint,
  to: KeyPair,
  amount: bigint,
  over: Record<string, unknown> = {},
): SignedTx =>
  signTx(
    {
      chainId: CHAIN,
      suite: kp.suite,
      publicKey: kp.publicKey.bytes,
      nonce,
      expiresAtHeight: 100n,
      gasLimit: 100_000n,
      module: 'bank',
      type: 'transfer',
      payload: encode(Transfer, { to: hexToBytes(addr(to)), amount }),
      ...over,
    },
    kp.secretKey,
  );

const exec = (e: Executor, root: Uint8Array, height: bigint, txs: SignedTx[]) =>
  e.executeBlock(
    root,
    height,
    txs.map((t) => toBlockTx('sm3', t)),
  );

const balance = (e: Executor, root: Uint8Array, kp: KeyPair) =>
  (e.query(root, 'bank', 'balance', { address: addr(kp) }) as { balance: string }).balance;

describe('execution with the bank module', () => {
  it('a transfer moves funds, emits an event, advances the nonce; the same block gives the same root', async () => {
    const { executor, alice, bob, root } = setup();
    const block = [tx(alice, 0n, bob, 250n), tx(alice, 1n, bob, 50n)];
    const a = await exec(executor, root, 1n, block);
    assert.deepEqual(
      a.receipts.map((r) => r.code),
      ['OK', 'OK'],
    );
    assert.equal(balance(executor, a.root, alice), '700');
    assert.equal(balance(executor, a.root, bob), '300');
    assert.equal(a.receipts[0]!.events[0]!.type, 'transfer');
    assert.equal(executor.nonceOf(a.root, addr(alice)), 2n);
    const b = await exec(executor, root, 1n, block);
    assert.deepEqual(b.root, a.root);
  });

  it('a failing transaction is recorded with its code and changes no module state (only the nonce)', async () => {
    const { executor, alice, bob, root } = setup();
    const r = await exec(executor, root, 1n, [tx(alice, 0n, bob, 5000n)]);
    assert.equal(r.receipts[0]!.code, 'BANK_INSUFFICIENT_FUNDS');
    assert.equal(balance(executor, r.root, alice), '1000');
    assert.equal(executor.nonceOf(r.root, addr(alice)), 1n);
    assert.deepEqual(r.receipts[0]!.events, []);
  });

  it('refuses bad nonces, expired, foreign-chain, unsigned, unknown and undecodable transactions', async () => {
    const { executor, alice, bob, root } = setup();
    const forged = tx(alice, 0n, bob, 1n);
    forged.signature[3]! ^= 1;
    const r = await exec(executor, root, 5n, [
      tx(alice, 3n, bob, 1n),
      tx(alice, 0n, bob, 1n, { expiresAtHeight: 4n }),
      tx(alice, 0n, bob, 1n, { chainId: 'other' }),
      forged,
      tx(alice, 0n, bob, 1n, { type: 'burn' }),
      tx(alice, 1n, bob, 1n, { payload: new Uint8Array([1]) }),
      tx(bob, 0n, bob, 1n, { type: 'mint' }),
    ]);
    assert.deepEqual(
      r.receipts.map((x) => x.code),
      [
        'TX_BAD_NONCE',
        'TX_EXPIRED',
        'TX_WRONG_CHAIN',
        'TX_BAD_SIGNATURE',
        'EXEC_UNKNOWN_MESSAGE',
        'EXEC_BAD_PAYLOAD',
        'BANK_NOT_MINTER',
      ],
    );
    assert.equal(balance(executor, r.root, alice), '1000');
  });

  it('gas bounds every transaction: too small a limit fails with EXEC_OUT_OF_GAS and changes nothing', async () => {
    const { executor, alice, bob, root } = setup();
    const r = await exec(executor, root, 1n, [tx(alice, 0n, bob, 10n, { gasLimit: 2_000n })]);
    assert.equal(r.receipts[0]!.code, 'EXEC_OUT_OF_GAS');
    assert.ok(r.receipts[0]!.gasUsed <= 2_000);
    assert.equal(balance(executor, r.root, bob), '0');
  });

  it('the block gas limit caps the block', async () => {
    const { tree, alice, bob } = setup();
    const small = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank],
      maxBlockGas: 6_000,
    });
    const root = small.genesis({ bank: { balances: { [addr(alice)]: '100' } } });
    const r = await exec(small, root, 1n, [
      tx(alice, 0n, bob, 1n),
      tx(alice, 1n, bob, 1n),
      tx(alice, 2n, bob, 1n),
    ]);
    assert.ok(r.gasUsed <= 6_000);
    assert.ok(r.receipts.some((x) => x.code === 'EXEC_OUT_OF_GAS'));
  });

  it('a module that emits an event too large for a receipt fails its transaction, not the block', async () => {
    const { tree, alice } = setup();
    const noisy = {
      name: 'noisy',
      messages: {
        shout: defineMessage(Transfer, (ctx) => {
          ctx.emit('shout', { text: 'x'.repeat(2000) });
        }),
        throwWeird: defineMessage(Transfer, () => {
          throw new PujiangError('not a valid code but long '.repeat(5), 'odd');
        }),
      },
    };
    const e = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank, noisy],
      maxBlockGas: 10_000_000,
    });
    const root = e.genesis({ bank: { balances: {} } });
    const r = await exec(e, root, 1n, [
      tx(alice, 0n, alice, 1n, { module: 'noisy', type: 'shout' }),
      tx(alice, 1n, alice, 1n, { module: 'noisy', type: 'throwWeird' }),
    ]);
    assert.deepEqual(
      r.receipts.map((x) => x.code),
      ['EXEC_EVENT_INVALID', 'EXEC_MODULE_ERROR'],
    );
    for (const receipt of r.receipts) assert.ok(encodeReceipt(receipt).length > 0);
  });

  it('refuses suites the genesis does not accept, and names that are not own messages or queries', async () => {
    const { tree, alice, bob } = setup();
    const e = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank],
      maxBlockGas: 10_000_000,
      acceptedSuites: ['sm2'],
    });
    const root = e.genesis({ bank: { balances: { [addr(alice)]: '10', [addr(bob)]: '10' } } });
    const r = await exec(e, root, 1n, [
      tx(bob, 0n, alice, 1n), // ed25519 on an sm2-only chain
      tx(alice, 0n, bob, 1n, { type: 'constructor' }),
      tx(alice, 1n, bob, 1n, { type: '__proto__' }),
      tx(alice, 2n, bob, 1n, { type: 'toString' }),
    ]);
    assert.deepEqual(
      r.receipts.map((x) => x.code),
      ['TX_SUITE_NOT_ACCEPTED', 'EXEC_UNKNOWN_MESSAGE', 'EXEC_UNKNOWN_MESSAGE', 'EXEC_UNKNOWN_MESSAGE'],
    );
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'])
      assert.throws(() => e.query(root, 'bank', name, {}), { code: 'QUERY_UNKNOWN' }, name);
  });

  it('all events of a transaction together stay within a receipt budget', async () => {
    const { tree, alice } = setup();
    const flood = {
      name: 'flood',
      messages: {
        go: defineMessage(Transfer, (ctx) => {
          const attributes: Record<string, string> = {};
          for (let i = 0; i < 64; i++) attributes[`k${i}`] = 'v'.repeat(1000);
          for (let i = 0; i < 20; i++) ctx.emit('big', attributes);
        }),
      },
    };
    const e = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank, flood],
      maxBlockGas: 1e12,
    });
    const root = e.genesis({ bank: { balances: {} } });
    const r = await exec(e, root, 1n, [
      tx(alice, 0n, alice, 1n, { module: 'flood', type: 'go', gasLimit: 10n ** 11n }),
    ]);
    assert.equal(r.receipts[0]!.code, 'EXEC_EVENT_INVALID');
    assert.ok(encodeReceipt(r.receipts[0]!).length < 4096);
  });

  it('a module that declares its events cannot emit undeclared types or attributes', async () => {
    const { tree, alice } = setup();
    const strict = {
      name: 'strict',
      events: { done: ['id'] },
      messages: {
        ok: defineMessage(Transfer, (ctx) => ctx.emit('done', { id: '1' })),
        otherType: defineMessage(Transfer, (ctx) => ctx.emit('undone', { id: '1' })),
        otherAttribute: defineMessage(Transfer, (ctx) => ctx.emit('done', { id: '1', extra: 'x' })),
      },
    };
    const e = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank, strict],
      maxBlockGas: 10_000_000,
    });
    const root = e.genesis({ bank: { balances: {} } });
    const r = await exec(e, root, 1n, [
      tx(alice, 0n, alice, 1n, { module: 'strict', type: 'ok' }),
      tx(alice, 1n, alice, 1n, { module: 'strict', type: 'otherType' }),
      tx(alice, 2n, alice, 1n, { module: 'strict', type: 'otherAttribute' }),
    ]);
    assert.deepEqual(
      r.receipts.map((x) => x.code),
      ['OK', 'EXEC_EVENT_UNDECLARED', 'EXEC_EVENT_UNDECLARED'],
    );
    assert.deepEqual(e.describeModules()[1], {
      name: 'strict',
      messages: ['ok', 'otherType', 'otherAttribute'],
      queries: [],
      events: { done: ['id'] },
      errors: {},
      exports: [],
      imports: {},
      hooks: [],
      routes: [],
    });
  });

  it('values carried from block to block (advance) give the same roots as reading the tree every time', async () => {
    const { tree, alice, bob } = setup();
    const cached = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank],
      maxBlockGas: 10_000_000,
    });
    const plain = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank],
      maxBlockGas: 10_000_000,
    });
    const roots = [cached.genesis({ bank: { balances: { [addr(alice)]: '1000', [addr(bob)]: '5' } } })];
    const blockAt = (height: bigint) => [
      tx(alice, (height - 1n) * 2n, bob, height),
      tx(alice, (height - 1n) * 2n + 1n, bob, 1n),
    ];
    for (let height = 1n; height <= 4n; height++) {
      const root = roots[roots.length - 1]!;
      const a = await exec(cached, root, height, blockAt(height));
      cached.advance(root, a.root, a.writes);
      assert.deepEqual(a.root, (await exec(plain, root, height, blockAt(height))).root);
      roots.push(a.root);
    }
    assert.equal(balance(cached, roots[4]!, bob), String(5 + 1 + 2 + 3 + 4 + 4));
    // A block executed on an older root must not see the newer values.
    assert.deepEqual((await exec(cached, roots[1]!, 2n, blockAt(2n))).root, roots[2]);
    assert.deepEqual(
      (await exec(cached, roots[2]!, 3n, [tx(alice, 4n, bob, 100n)])).root,
      (await exec(plain, roots[2]!, 3n, [tx(alice, 4n, bob, 100n)])).root,
    );
  });
});
