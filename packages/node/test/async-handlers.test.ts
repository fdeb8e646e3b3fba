import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encode, string, struct, u32 } from '@pujiang/codec';
import type { CommitCertificate } from '@pujiang/consensus';
import { deriveAddress, generateKeyPair, type KeyPair } from '@pujiang/crypto';
import {
  type ChainModule,
  defineHook,
  defineMessage,
  defineModule,
  type MessageContext,
  moduleError,
} from '@pujiang/module-kit';
import { type Block, type Genesis, type SignedTx, signTx } from '@pujiang/protocol';
import { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, isPujiangError, utf8ToBytes } from '@pujiang/types';
import { type BlockTx, Chain, Executor, toBlockTx } from '../src/index.js';

/**
 * Asynchronous message handlers: the executor awaits each before the next transaction, so a
 * module written with `async` gives the receipts and roots of the same module written
 * synchronously, and the chain commits one block at a time.
 */
const CHAIN = 'async-test';
const Put = struct('Put', { key: string({ max: 32 }), value: string({ max: 32 }), ticks: u32 });
const Copy = struct('Copy', { from: string({ max: 32 }), to: string({ max: 32 }) });

const tick = () => Promise.resolve();
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function put(ctx: MessageContext, m: { key: string; value: string }): void {
  ctx.consume(50, 'work');
  ctx.set(m.key, utf8ToBytes(m.value));
  ctx.emit('put', { key: m.key, value: m.value });
}

function copy(ctx: MessageContext, m: { from: string; to: string }): void {
  const value = ctx.get(m.from);
  if (value === undefined) throw moduleError('LEDGER_MISSING', `no ${m.from}`);
  ctx.set(m.to, value);
  ctx.emit('copied', { from: m.from, to: m.to });
}

const shape = {
  name: 'ledger',
  events: { put: ['key', 'value'], copied: ['from', 'to'] },
  errors: { LEDGER_MISSING: 'nothing at that key', LEDGER_REFUSED: 'refused after writing' },
};

/** The module written synchronously. */
const syncLedger = defineModule({
  ...shape,
  messages: {
    put: defineMessage(Put, put),
    copy: defineMessage(Copy, copy),
    fail: defineMessage(Put, (ctx, m) => {
      put(ctx, m);
      throw moduleError('LEDGER_REFUSED', 'refused');
    }),
    bug: defineMessage(Put, () => {
      throw new Error('a bug in the module');
    }),
  },
});

/**
 * The same module with `async` handlers that await before (and between) what they do. `gate`
 * lets a test hold `put` until it says so.
 */
function asyncLedger(gate: () => Promise<void> = tick): ChainModule {
  return defineModule({
    ...shape,
    messages: {
      put: defineMessage(Put, async (ctx, m) => {
        for (let i = 0; i < m.ticks; i++) await tick();
        if (m.ticks > 0) await nextTurn();
        await gate();
        ctx.consume(50, 'work');
        await tick();
        ctx.set(m.key, utf8ToBytes(m.value));
        ctx.emit('put', { key: m.key, value: m.value });
      }),
      copy: defineMessage(Copy, async (ctx, m) => {
        await tick();
        copy(ctx, m);
      }),
      fail: defineMessage(Put, async (ctx, m) => {
        put(ctx, m);
        await tick();
        throw moduleError('LEDGER_REFUSED', 'refused');
      }),
      bug: defineMessage(Put, async () => {
        await tick();
        throw new Error('a bug in the module');
      }),
    },
  });
}

const alice = generateKeyPair('ed25519');
const bob = generateKeyPair('ed25519');
const nonces = new Map<KeyPair, bigint>();

function send(kp: KeyPair, type: string, payload: Uint8Array): SignedTx {
  const nonce = nonces.get(kp) ?? 0n;
  nonces.set(kp, nonce + 1n);
  return signTx(
    {
      chainId: CHAIN,
      suite: kp.suite,
      publicKey: kp.publicKey.bytes,
      nonce,
      expiresAtHeight: 1000n,
      gasLimit: 100_000n,
      module: 'ledger',
      type,
      payload,
    },
    kp.secretKey,
  );
}

const putTx = (kp: KeyPair, key: string, value: string, ticks = 0, type = 'put') =>
  toBlockTx('sm3', send(kp, type, encode(Put, { key, value, ticks })));
const copyTx = (kp: KeyPair, from: string, to: string) =>
  toBlockTx('sm3', send(kp, 'copy', encode(Copy, { from, to })));

function executor(module: ChainModule) {
  const e = new Executor(new SparseMerkleTree('sm3'), {
    chainId: CHAIN,
    chainHash: 'sm3',
    modules: [module],
    maxBlockGas: 10_000_000,
  });
  return { e, root: e.genesis({}) };
}

const valueAt = (e: Executor, root: Uint8Array, key: string) => {
  const bytes = e.reader(root, 'ledger')(key);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
};

describe('asynchronous message handlers', () => {
  it('give the receipts, gas and roots of the same module written synchronously', async () => {
    nonces.clear();
    const blocks: BlockTx[][] = [
      [putTx(alice, 'a', '1'), putTx(bob, 'b', '2', 3), copyTx(alice, 'a', 'c')],
      [putTx(alice, 'a', '3', 1, 'fail'), copyTx(bob, 'z', 'y'), copyTx(bob, 'b', 'd')],
    ];
    const sync = executor(syncLedger);
    const other = executor(asyncLedger());
    let [syncRoot, asyncRoot] = [sync.root, other.root];
    for (const [i, txs] of blocks.entries()) {
      const height = BigInt(i + 1);
      const expected = await sync.e.executeBlock(syncRoot, height, txs, undefined, height * 1000n);
      const got = await other.e.executeBlock(asyncRoot, height, txs, undefined, height * 1000n);
      assert.deepEqual(got.receipts, expected.receipts, `block ${height}`);
      assert.equal(got.gasUsed, expected.gasUsed);
      assert.deepEqual(got.root, expected.root, `state root after block ${height}`);
      syncRoot = expected.root;
      asyncRoot = got.root;
    }
    assert.equal(valueAt(other.e, asyncRoot, 'c'), '1');
    assert.equal(valueAt(other.e, asyncRoot, 'd'), '2');
  });

  it('a typed error thrown after an await fails only its transaction, and leaves no writes or events', async () => {
    nonces.clear();
    const { e, root } = executor(asyncLedger());
    const result = await e.executeBlock(root, 1n, [
      putTx(alice, 'a', '1'),
      putTx(alice, 'b', '2', 0, 'fail'),
      putTx(bob, 'c', '3'),
    ]);
    assert.deepEqual(
      result.receipts.map((r) => r.code),
      ['OK', 'LEDGER_REFUSED', 'OK'],
    );
    assert.deepEqual(result.receipts[1]!.events, []);
    assert.ok(result.receipts[1]!.gasUsed > 0, 'the gas it used stays charged');
    assert.equal(valueAt(e, result.root, 'a'), '1');
    assert.equal(valueAt(e, result.root, 'b'), undefined);
    assert.equal(valueAt(e, result.root, 'c'), '3');
    const address = bytesToHex(deriveAddress('sm3', alice.publicKey));
    assert.equal(e.nonceOf(result.root, address), 2n, 'the failed transaction still advances the nonce');
  });

  it('refuses a context used after its transaction ended: a late emit or write changes nothing', async () => {
    nonces.clear();
    let kept: MessageContext | undefined;
    const leaky = defineModule({
      ...shape,
      messages: {
        put: defineMessage(Put, (ctx, m) => {
          kept = ctx;
          put(ctx, m);
        }),
      },
    });
    const { e, root } = executor(leaky);
    const result = await e.executeBlock(root, 1n, [putTx(alice, 'a', '1')]);
    assert.deepEqual(result.receipts[0]!.events.length, 1);
    assert.throws(() => kept!.emit('put', { key: 'late', value: 'x' }), { code: 'MODULE_INVALID' });
    assert.throws(() => kept!.set('late', utf8ToBytes('x')), { code: 'MODULE_INVALID' });
    assert.throws(() => kept!.get('a'), { code: 'MODULE_INVALID' });
    assert.deepEqual(result.receipts[0]!.events.length, 1);
  });

  it('runs transactions strictly in order: the next one starts after the previous one settled', async () => {
    nonces.clear();
    const { e, root } = executor(asyncLedger());
    // The first awaits many microtasks and a turn of the event loop before it writes.
    const result = await e.executeBlock(root, 1n, [
      putTx(alice, 'slow', 'first', 50),
      copyTx(bob, 'slow', 'seen'),
      putTx(alice, 'slow', 'second', 5),
      copyTx(bob, 'slow', 'last'),
    ]);
    assert.deepEqual(
      result.receipts.map((r) => r.code),
      ['OK', 'OK', 'OK', 'OK'],
    );
    assert.equal(valueAt(e, result.root, 'seen'), 'first');
    assert.equal(valueAt(e, result.root, 'last'), 'second');
  });

  it('a rejection that is not a typed error is a bug: the block fails, as with a thrown one', async () => {
    for (const module of [syncLedger, asyncLedger()]) {
      nonces.clear();
      const { e, root } = executor(module);
      await assert.rejects(
        e.executeBlock(root, 1n, [putTx(alice, 'a', '1', 0, 'bug')]),
        /a bug in the module/,
      );
    }
  });

  it('a thenable that is not a Promise is awaited too', async () => {
    nonces.clear();
    const thenable = defineModule({
      ...shape,
      messages: {
        put: defineMessage(
          Put,
          (ctx, m) =>
            ({
              // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a Promise, on purpose
              then(resolve: () => void) {
                queueMicrotask(() => {
                  put(ctx, m);
                  resolve();
                });
              },
            }) as unknown as Promise<void>,
        ),
      },
    });
    const txs = [putTx(alice, 'a', '1'), putTx(alice, 'b', '2')];
    const { e, root } = executor(thenable);
    const got = await e.executeBlock(root, 1n, txs);
    const sync = executor(syncLedger);
    const expected = await sync.e.executeBlock(sync.root, 1n, txs);
    assert.deepEqual(got.receipts, expected.receipts);
    assert.deepEqual(got.root, expected.root);
  });

  it('block hooks and attempt stay synchronous: an async one fails with MODULE_INVALID and writes nothing', async () => {
    nonces.clear();
    const strict = defineModule({
      ...shape,
      messages: {
        put: defineMessage(Put, async (ctx, m) => {
          ctx.attempt(async () => put(ctx, m));
        }),
      },
      // TypeScript takes an async function where a void one is expected: the executor refuses it.
      endBlock: defineHook(10_000, async (ctx) => {
        ctx.set('hooked', utf8ToBytes('yes'));
      }),
    });
    const { e, root } = executor(strict);
    const result = await e.executeBlock(root, 1n, [putTx(alice, 'a', '1')]);
    assert.deepEqual(
      result.receipts.map((r) => r.code),
      ['MODULE_INVALID', 'MODULE_INVALID'],
    );
    assert.equal(valueAt(e, result.root, 'a'), undefined);
    assert.equal(valueAt(e, result.root, 'hooked'), undefined);
  });
});

describe('chain commits run one at a time', () => {
  const validator = generateKeyPair('ed25519');
  const genesis: Genesis = {
    chainId: CHAIN,
    chainHash: 'sm3',
    acceptedSuites: ['ed25519'],
    validators: [{ publicKey: validator.publicKey, power: 10 }],
    limits: { maxBlockBytes: 1 << 20, maxBlockTxs: 100, maxBlockGas: 10_000_000 },
    modules: {},
    enabledModules: ['ledger'],
  };
  const certificate = (height: bigint, value: string): CommitCertificate => ({
    height: Number(height),
    round: 0,
    value,
    precommits: [],
  });

  it('a second commit waits for the first: the next height commits on its result, the same height is refused', async () => {
    nonces.clear();
    const dirs = [
      mkdtempSync(join(tmpdir(), 'pujiang-async-')),
      mkdtempSync(join(tmpdir(), 'pujiang-async-')),
    ];
    // The reference chain makes two blocks (a commit's result is what the next block commits to).
    const reference = Chain.open(dirs[0]!, genesis, [asyncLedger()]);
    const made: { block: Block; cert: CommitCertificate }[] = [];
    for (const txs of [[putTx(alice, 'a', '1', 3)], [copyTx(bob, 'a', 'b')]]) {
      const { block, hash } = reference.buildBlock(validator.publicKey, BigInt(Date.now()), [txs[0]!.wire]);
      const cert = certificate(block.header.height, hash);
      await reference.commit(block, cert);
      made.push({ block, cert });
    }
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chain = Chain.open(dirs[1]!, genesis, [asyncLedger(() => held)]);
    try {
      const [one, two] = made as [(typeof made)[0], (typeof made)[0]];
      const first = chain.commit(one.block, one.cert);
      const second = chain.commit(two.block, two.cert);
      const again = chain.commit(one.block, one.cert);
      for (let i = 0; i < 5; i++) await nextTurn();
      // The first block's handler is held: nothing is committed, the head has not moved.
      assert.equal(chain.height, 0n);
      assert.equal(chain.block(1n), undefined);
      release();
      assert.equal((await first).block.header.height, 1n);
      const committed = await second;
      assert.equal(committed.receipts[0]!.code, 'OK', 'the second block saw the first one’s write');
      await assert.rejects(again, (error) => isPujiangError(error, 'CHAIN_NOT_NEXT_HEIGHT'));
      assert.equal(chain.height, 2n);
      assert.deepEqual(chain.stateRoot, reference.stateRoot);
      assert.deepEqual(chain.resultsRoot, reference.resultsRoot);
    } finally {
      await Promise.all([reference.close(), chain.close()]);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
