import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { encode, string, struct } from '@pujiang/codec';
import { deriveAddress, generateKeyPair, type KeyPair } from '@pujiang/crypto';
import {
  type ChainModule,
  defineExport,
  defineMessage,
  defineModule,
  moduleError,
  Type,
} from '@pujiang/module-kit';
import {
  encodeTx,
  type GenesisJson,
  genesisToJson,
  hookId,
  parseGenesis,
  type Receipt,
  type SignedTx,
  signTx,
} from '@pujiang/protocol';
import { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import { verifyHeader, verifyHookReceipt } from '@pujiang/verify';
import { bank, DEFAULT_MODULES, Executor, type RunningNode, startNode, toBlockTx } from '../src/index.js';
import { Add, Bump, counterModule, Schedule, Spin, tally } from './example-modules.js';
import { getJson, postJson, testHome } from './helpers.js';

const CHAIN = 'kit-test';
const addr = (kp: KeyPair) => bytesToHex(deriveAddress('sm3', kp.publicKey));

function setup(hookGas?: number) {
  const tree = new SparseMerkleTree('sm3');
  const executor = new Executor(tree, {
    chainId: CHAIN,
    chainHash: 'sm3',
    modules: [bank, counterModule(hookGas), tally],
    maxBlockGas: 10_000_000,
  });
  const alice = generateKeyPair('ed25519');
  const root = executor.genesis({ bank: { balances: { [addr(alice)]: '1000' } } });
  let nonce = 0n;
  let height = 0n;
  let state = root;
  const send = (module: string, type: string, payload: Uint8Array, gasLimit = 200_000n): SignedTx =>
    signTx(
      {
        chainId: CHAIN,
        suite: alice.suite,
        publicKey: alice.publicKey.bytes,
        nonce: nonce++,
        expiresAtHeight: 1000n,
        gasLimit,
        module,
        type,
        payload,
      },
      alice.secretKey,
    );
  const block = async (...txs: SignedTx[]): Promise<Receipt[]> => {
    height++;
    const result = await executor.executeBlock(
      state,
      height,
      txs.map((t) => toBlockTx('sm3', t)),
      undefined,
      height * 1000n,
    );
    state = result.root;
    return result.receipts;
  };
  const value = (name: string) =>
    (executor.query(state, 'counter', 'value', { name }) as { value: string }).value;
  return { executor, send, block, value, height: () => height, root: () => state };
}

const thrown = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (isPujiangError(error)) return error.code;
    throw error;
  }
  return 'none';
};

describe('module kit: capabilities between modules', () => {
  it("a module calls another's export inside its transaction: the export writes its own state and emits its own events", async () => {
    const c = setup();
    const [r] = await c.block(c.send('tally', 'bump', encode(Bump, { name: 'a', by: 3, thenFail: 0 })));
    assert.equal(r!.code, 'OK', r!.message);
    assert.deepEqual(
      r!.events.map((e) => `${e.module}.${e.type}`),
      ['counter.incremented', 'tally.bumped'],
    );
    assert.equal(r!.events[0]!.attributes.caller, 'tally');
    assert.equal(c.value('a'), '3');
  });

  it('a call is all or nothing with its transaction: a failure after it undoes what the export wrote', async () => {
    const c = setup();
    await c.block(c.send('counter', 'add', encode(Add, { name: 'a', by: 5 })));
    const [r] = await c.block(c.send('tally', 'bump', encode(Bump, { name: 'a', by: 3, thenFail: 1 })));
    assert.equal(r!.code, 'TALLY_FAILED');
    assert.deepEqual(r!.events, []);
    assert.equal(c.value('a'), '5');
  });

  it("a call is metered by the caller's gas: too little gas for the export's write fails the whole transaction", async () => {
    const c = setup();
    const [ok] = await c.block(c.send('tally', 'bump', encode(Bump, { name: 'b', by: 1, thenFail: 0 })));
    const [poor] = await c.block(
      c.send('tally', 'bump', encode(Bump, { name: 'b', by: 1, thenFail: 0 }), BigInt(ok!.gasUsed - 600)),
    );
    assert.equal(poor!.code, 'EXEC_OUT_OF_GAS');
    assert.equal(c.value('b'), '1');
  });

  it('a call to an export the module did not import is MODULE_CALL_NOT_GRANTED; arguments of the wrong types are MODULE_BAD_CALL', async () => {
    const c = setup();
    const [r] = await c.block(c.send('tally', 'sneak', encode(Bump, { name: 'a', by: 1, thenFail: 0 })));
    assert.equal(r!.code, 'MODULE_CALL_NOT_GRANTED');
    const [bad] = await c.block(c.send('tally', 'mistype', encode(Bump, { name: 'a', by: 1, thenFail: 0 })));
    assert.equal(bad!.code, 'MODULE_BAD_CALL');
    assert.match(bad!.message ?? '', /counter\.increment called by tally/);
  });

  it("remote exports: only a module that routes remote calls reaches them, and only them, with the caller's chain, channel and sender", async () => {
    const Route = struct('Route', { module: string({ max: 32 }), name: string({ max: 32 }) });
    const target = defineModule({
      name: 'target',
      messages: {},
      exports: {
        hello: defineExport('x', Type.Object({ caller: Type.Any(), args: Type.Any() }), (_ctx, a) => a, {
          remote: true,
        }),
        secret: defineExport('x', Type.Object({}), () => 'secret'),
      },
    });
    const routing = (name: string, routes: boolean) =>
      defineModule({
        name,
        errors: { ROUTE_ANSWER: 'carries the answer' },
        messages: {
          route: defineMessage(Route, (ctx, m) => {
            const answer = ctx.callRemote(
              m.module,
              m.name,
              { chainId: 'c', channel: 'channel-0', sender: 'ab' },
              { n: 1 },
            );
            throw moduleError('ROUTE_ANSWER', JSON.stringify(answer));
          }),
        },
        ...(routes ? { routesRemoteCalls: true } : {}),
      });
    const tree = new SparseMerkleTree('sm3');
    const executor = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules: [bank, target, routing('router', true), routing('plain', false)],
      maxBlockGas: 10_000_000,
    });
    const alice = generateKeyPair('ed25519');
    const root = executor.genesis({ bank: { balances: { [addr(alice)]: '1000' } } });
    // Each runs as the first block on the genesis state.
    const run = async (module: string, name: string) => {
      const tx = signTx(
        {
          chainId: CHAIN,
          suite: alice.suite,
          publicKey: alice.publicKey.bytes,
          nonce: 0n,
          expiresAtHeight: 1000n,
          gasLimit: 200_000n,
          module,
          type: 'route',
          payload: encode(Route, { module: 'target', name }),
        },
        alice.secretKey,
      );
      return (await executor.executeBlock(root, 1n, [toBlockTx('sm3', tx)], undefined, 1000n)).receipts[0]!;
    };
    const routed = await run('router', 'hello');
    assert.equal(routed.code, 'ROUTE_ANSWER');
    assert.deepEqual(JSON.parse(routed.message!), {
      caller: { chainId: 'c', channel: 'channel-0', sender: 'ab' },
      args: { n: 1 },
    });
    assert.equal((await run('router', 'secret')).code, 'MODULE_CALL_NOT_GRANTED');
    assert.equal((await run('plain', 'hello')).code, 'MODULE_CALL_NOT_GRANTED');
  });

  it('imports are checked when the chain starts: unknown modules or exports, and cycles, are typed errors naming the modules', () => {
    const tree = new SparseMerkleTree('sm3');
    const build = (modules: readonly ChainModule[]) => () =>
      new Executor(tree, { chainId: CHAIN, chainHash: 'sm3', modules, maxBlockGas: 1_000_000 });
    assert.equal(thrown(build([bank, tally])), 'MODULE_IMPORT_UNKNOWN');
    try {
      build([bank, tally])();
    } catch (error) {
      assert.deepEqual((error as { details: unknown }).details, {
        module: 'tally',
        imports: 'counter',
        name: 'increment',
      });
    }
    const wants = defineModule({ name: 'wants', messages: {}, imports: { counter: ['reset'] } });
    assert.equal(thrown(build([counterModule(), wants])), 'MODULE_IMPORT_UNKNOWN');
    const ping = defineModule({
      name: 'ping',
      messages: {},
      exports: { hit: defineExport('x', Type.Object({}), () => 1) },
      imports: { pong: ['hit'] },
    });
    const pong = defineModule({
      name: 'pong',
      messages: {},
      exports: { hit: defineExport('x', Type.Object({}), () => 1) },
      imports: { ping: ['hit'] },
    });
    try {
      build([ping, pong])();
      assert.fail('a cycle was accepted');
    } catch (error) {
      assert.equal((error as { code: string }).code, 'MODULE_IMPORT_CYCLE');
      assert.deepEqual((error as { details: unknown }).details, { cycle: ['ping', 'pong', 'ping'] });
    }
    assert.equal(
      thrown(() => defineModule({ name: 'self', messages: {}, imports: { self: ['x'] } })),
      'MODULE_INVALID',
    );
    assert.equal(
      thrown(() => defineModule({ name: 'Bad Name', messages: {} })),
      'MODULE_INVALID',
    );
  });
});

describe('module kit: typed queries', () => {
  it("malformed or unknown parameters are the module's typed code; good ones are converted to their types", async () => {
    const c = setup();
    await c.block(c.send('counter', 'add', encode(Add, { name: 'a', by: 2 })));
    assert.equal(c.value('a'), '2');
    const query = (module: string, name: string, params: unknown) => () =>
      c.executor.query(c.root(), module, name, params);
    assert.equal(thrown(query('counter', 'value', { name: 'A1' })), 'COUNTER_BAD_QUERY');
    assert.equal(thrown(query('counter', 'value', {})), 'COUNTER_BAD_QUERY');
    assert.equal(thrown(query('counter', 'value', { name: 'a', extra: '1' })), 'COUNTER_BAD_QUERY');
    assert.equal(thrown(query('counter', 'value', null)), 'COUNTER_BAD_QUERY');
    assert.equal(thrown(query('counter', 'nosuch', {})), 'QUERY_UNKNOWN');
    assert.equal(thrown(query('bank', 'balance', { address: 'xyz' })), 'BANK_BAD_ADDRESS');
  });

  it("GET /v1/modules data lists each module's errors, exports, imports and hooks", () => {
    const c = setup();
    const [, counter, t] = c.executor.describeModules();
    assert.equal(counter!.errors.COUNTER_BAD_NAME, 'a counter name is not 1-32 lowercase letters');
    assert.deepEqual(counter!.exports, ['increment']);
    assert.deepEqual(counter!.hooks, ['endBlock']);
    assert.deepEqual(t!.imports, { counter: ['increment'] });
    assert.deepEqual(counter!.routes, [
      'GET /v1/modules/counter/counters/{name}',
      'GET /counter-well-known/{name}',
    ]);
  });
});

describe('module kit: block hooks', () => {
  it('an endBlock hook drains a queue across blocks within its gas; a failing item is skipped with an event, not retried forever', async () => {
    const c = setup();
    const first = await c.block(
      c.send('counter', 'schedule', encode(Schedule, { name: 'q', items: 10, failEvery: 4, burn: 0 })),
    );
    assert.equal(first.length, 2, 'one transaction receipt, then the hook receipt');
    assert.equal(first[1]!.txHash, hookId('sm3', 'endBlock', 'counter', 1n));
    let done = 0;
    let idle = 0;
    const failed: string[] = [];
    const perBlock: number[] = [];
    const blocks = [first];
    for (let i = 0; i < 6; i++) blocks.push(await c.block());
    for (const receipts of blocks) {
      // Once the queue is empty the hook has nothing to do: no write, no event, no receipt.
      const hook = receipts.at(-1);
      if (hook === undefined) {
        idle++;
        continue;
      }
      assert.equal(hook.code, 'OK', hook.message);
      const events = hook.events;
      perBlock.push(events.length);
      done += events.filter((e) => e.type === 'done').length;
      failed.push(...events.filter((e) => e.type === 'itemFailed').map((e) => e.attributes.seq!));
    }
    assert.equal(done, 8);
    assert.ok(idle > 0, 'the blocks after the queue emptied carry no hook receipt');
    assert.deepEqual(failed, ['3', '7']);
    assert.ok(perBlock[0]! < 10, `the first block took ${perBlock[0]} items: the budget must spread them`);
    // The failed items' increments were undone with them.
    assert.equal(c.value('q'), '8');
  });

  it('items that each spend all the gas they may still leave the hook room to record them: the queue always moves', async () => {
    for (const hookGas of [15_000, 20_000, 33_333]) {
      const c = setup(hookGas);
      const first = await c.block(
        c.send('counter', 'schedule', encode(Schedule, { name: 'b', items: 6, failEvery: 0, burn: 1 })),
      );
      let failed = 0;
      const blocks = [first];
      for (let i = 0; i < 12; i++) blocks.push(await c.block());
      for (const receipts of blocks) {
        const hook = receipts.at(-1);
        if (hook === undefined) continue; // nothing left to do
        assert.equal(hook.code, 'OK', `hook gas ${hookGas}: ${hook.message}`);
        failed += hook.events.filter((e) => e.type === 'itemFailed').length;
      }
      assert.equal(failed, 6, `hook gas ${hookGas}`);
      assert.equal(c.value('b'), '0');
    }
  });

  it('a hook that runs out of gas fails alone: its writes are dropped, its receipt says HOOK_OUT_OF_GAS, the block goes on', async () => {
    const c = setup(20_000);
    const receipts = await c.block(
      c.send('counter', 'spin', encode(Spin, { rounds: 1000 })),
      c.send('counter', 'add', encode(Add, { name: 'z', by: 1 })),
    );
    assert.deepEqual(
      receipts.map((r) => r.code),
      ['OK', 'OK', 'HOOK_OUT_OF_GAS'],
    );
    assert.deepEqual(receipts[2]!.events, [
      { module: 'counter', type: 'hookFailed', attributes: { phase: 'endBlock', code: 'HOOK_OUT_OF_GAS' } },
    ]);
    assert.equal(receipts[2]!.gasUsed, 20_000);
    assert.equal(c.value('z'), '1');
    // The next block runs; once the spin is cleared by a transaction, the hook succeeds again
    // (with nothing to do: no write, no event, so no receipt), then works again.
    const next = await c.block(c.send('counter', 'spin', encode(Spin, { rounds: 0 })));
    assert.deepEqual(
      next.map((r) => r.code),
      ['OK'],
    );
    const again = await c.block(c.send('counter', 'spin', encode(Spin, { rounds: 3 })));
    assert.deepEqual(
      again.map((r) => r.code),
      ['OK', 'OK'],
    );
    assert.deepEqual(
      again[1]!.events.map((e) => e.type),
      ['spun'],
    );
  });

  it('modules without hooks add no receipts, so results roots of existing chains do not change', async () => {
    const tree = new SparseMerkleTree('sm3');
    // Without governance (nor the modules that import from it): every module, no hooks.
    const modules = DEFAULT_MODULES.filter((m) => m.name !== 'governance' && !m.imports?.governance);
    const executor = new Executor(tree, {
      chainId: CHAIN,
      chainHash: 'sm3',
      modules,
      maxBlockGas: 1_000_000,
    });
    const result = await executor.executeBlock(executor.genesis({}), 1n, []);
    assert.deepEqual(result.receipts, []);
  });
});

describe('module kit: the genesis names the modules a chain runs', () => {
  const base = {
    chainId: CHAIN,
    chainHash: 'sm3',
    acceptedSuites: ['ed25519'],
    validators: [
      { suite: 'ed25519', publicKey: bytesToHex(generateKeyPair('ed25519').publicKey.bytes), power: 1 },
    ],
    limits: { maxBlockBytes: 1_000_000, maxBlockTxs: 1000, maxBlockGas: 10_000_000 },
    modules: { bank: {} },
  };
  const available = [...DEFAULT_MODULES, counterModule(), tally];
  const executorFor = (json: unknown) =>
    Executor.forGenesis(new SparseMerkleTree('sm3'), parseGenesis(json), available);

  it('without enabledModules a chain runs the legacy set, and re-serializing does not add the field', () => {
    const genesis = parseGenesis(base);
    assert.equal('enabledModules' in genesisToJson(genesis), false);
    assert.deepEqual(
      executorFor(base).enabledModules.map((m) => m.name),
      ['governance', 'bank', 'notary'],
    );
  });

  it("enabledModules picks among the node's modules (in the node list's order) and keeps its field", () => {
    const json = { ...base, enabledModules: ['tally', 'bank', 'counter'] };
    assert.deepEqual(
      executorFor(json).enabledModules.map((m) => m.name),
      ['bank', 'counter', 'tally'],
    );
    assert.deepEqual(genesisToJson(parseGenesis(json)).enabledModules, ['tally', 'bank', 'counter']);
  });

  it('a module the node lacks is MODULE_UNKNOWN; a section for a module not enabled, or a malformed list, is GENESIS_INVALID', () => {
    assert.equal(
      thrown(() => executorFor({ ...base, enabledModules: ['bank', 'carbon'] })),
      'MODULE_UNKNOWN',
    );
    assert.equal(
      thrown(() => executorFor({ ...base, enabledModules: ['counter'] })),
      'GENESIS_INVALID',
    );
    for (const enabledModules of [[], ['bank', 'bank'], ['Bank'], 'bank', [1]])
      assert.equal(
        thrown(() => parseGenesis({ ...base, enabledModules })),
        'GENESIS_INVALID',
      );
  });
});

describe('module kit: a node runs the modules its genesis enables, with their routes', () => {
  const home = testHome('ed25519');
  const genesisJson = JSON.parse(readFileSync(home.paths.genesis, 'utf8')) as GenesisJson;
  const modules = [...DEFAULT_MODULES, counterModule(), tally];
  let running: RunningNode;
  let url: string;

  before(async () => {
    genesisJson.enabledModules = ['governance', 'bank', 'notary', 'counter', 'tally'];
    writeFileSync(home.paths.genesis, JSON.stringify(genesisJson));
    running = await startNode({ home: home.home, modules });
    url = running.apiUrl;
  });
  after(async () => {
    await running?.stop();
    rmSync(home.home, { recursive: true, force: true });
  });

  it('a transaction of a test module commits; its query, route and well-known route answer; bad input is a typed 400', async () => {
    const genesis = parseGenesis(genesisJson);
    const tx = signTx(
      {
        chainId: genesis.chainId,
        suite: home.operatorKey.suite,
        publicKey: home.operatorKey.publicKey.bytes,
        nonce: 0n,
        expiresAtHeight: 1_000_000n,
        gasLimit: 200_000n,
        module: 'tally',
        type: 'bump',
        payload: encode(Bump, { name: 'hits', by: 7, thenFail: 0 }),
      },
      home.operatorKey.secretKey,
    );
    const sent = await postJson(`${url}/v1/txs`, { tx: bytesToHex(encodeTx(tx)), wait: true });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.receipt.code, 'OK', JSON.stringify(sent.body.receipt));
    assert.deepEqual((await getJson(`${url}/v1/query/counter/value?name=hits`)).body.result, {
      name: 'hits',
      value: '7',
    });
    assert.deepEqual((await getJson(`${url}/v1/modules/counter/counters/hits?double=true`)).body, {
      name: 'hits',
      value: '14',
    });
    assert.deepEqual((await getJson(`${url}/counter-well-known/hits`)).body, { value: '7' });
    for (const path of [
      '/v1/query/counter/value?name=NOT-OK',
      '/v1/query/counter/value?name=hits&extra=1',
      '/v1/modules/counter/counters/hits?double=maybe',
      '/v1/modules/counter/counters/hits?other=1',
    ]) {
      const { status, body } = await getJson(`${url}${path}`);
      assert.equal(status, 400, path);
      assert.equal(body.error.code, 'COUNTER_BAD_QUERY', path);
    }
    const described = (await getJson(`${url}/v1/modules`)).body.modules as { name: string; errors: object }[];
    assert.deepEqual(
      described.map((m) => m.name),
      ['governance', 'bank', 'notary', 'counter', 'tally'],
    );
    assert.ok('COUNTER_BAD_NAME' in described[3]!.errors);
    const doc = (await getJson(`${url}/v1/openapi.json`)).body;
    assert.ok(doc.paths['/v1/modules/counter/counters/{name}'].get);
    assert.ok(doc.paths['/counter-well-known/{name}'].get);
    assert.equal(doc.paths['/v1/query/counter/value'].get.parameters[0].schema.pattern, '^[a-z]{1,32}$');
  });

  it("the counter's endBlock hook receipts are served with proofs and verify offline against the genesis", async () => {
    const genesis = parseGenesis(genesisJson);
    // A block whose hook had work (a hook with nothing to do leaves no receipt).
    const tx = signTx(
      {
        chainId: genesis.chainId,
        suite: home.operatorKey.suite,
        publicKey: home.operatorKey.publicKey.bytes,
        nonce: 1n,
        expiresAtHeight: 1_000_000n,
        gasLimit: 200_000n,
        module: 'counter',
        type: 'schedule',
        payload: encode(Schedule, { name: 'served', items: 1, failEvery: 0, burn: 0 }),
      },
      home.operatorKey.secretKey,
    );
    const sent = await postJson(`${url}/v1/txs`, { tx: bytesToHex(encodeTx(tx)), wait: true });
    assert.equal(sent.body.receipt?.code, 'OK', JSON.stringify(sent.body));
    const height = Number(sent.body.height);
    while (running.node.chain.height <= BigInt(height)) await new Promise((r) => setTimeout(r, 50));
    const { status, body } = await getJson(`${url}/v1/blocks/${height}/hooks`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.hooks.length, 1);
    const item = body.hooks[0];
    assert.equal(item.index, body.txCount);
    const certified = async (h: number) => {
      const r = (await getJson(`${url}/v1/headers/${h}`)).body;
      return verifyHeader({ genesis, header: r.header, certificate: r.certificate, height: h, hash: r.hash });
    };
    const header = await certified(height);
    const next = await certified(height + 1);
    const receipt = verifyHookReceipt(item, header, next, { module: 'counter', phase: 'endBlock' });
    assert.equal(receipt.code, 'OK');
    assert.throws(
      () => verifyHookReceipt(item, header, next, { module: 'tally', phase: 'endBlock' }),
      (e: { code?: string }) => e.code === 'SDK_VERIFICATION_FAILED',
    );
    const forged = { ...item, receipt: { ...item.receipt, gasUsed: item.receipt.gasUsed + 1 } };
    assert.throws(
      () => verifyHookReceipt(forged, header, next),
      (e: { code?: string }) => e.code === 'SDK_VERIFICATION_FAILED',
    );
    assert.throws(
      () => verifyHookReceipt({ ...item, index: item.index + 1 }, header, next),
      (e: { code?: string }) => e.code === 'SDK_VERIFICATION_FAILED',
    );
  });

  it('a node that lacks a module the genesis enables refuses to start with MODULE_UNKNOWN', async () => {
    await assert.rejects(startNode({ home: home.home, modules: DEFAULT_MODULES, apiPort: 0 }), (error) => {
      assert.equal((error as { code: string }).code, 'MODULE_UNKNOWN');
      return true;
    });
  });
});
