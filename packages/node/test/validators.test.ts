import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import type { Genesis } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { bank, replayFromGenesis, ValidatorNode } from '../src/index.js';
import { addressOf, FAST_CONFIG, transferWire, until } from './helpers.js';
import { Bus, equalValidatorsGenesis, startOnBus } from './memory-bus.js';

describe('four validators over an in-memory network', () => {
  const keys = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
  const operator = generateKeyPair('ed25519');
  const genesis = equalValidatorsGenesis('four-validators', keys);
  const operatorAddress = addressOf(genesis, operator);
  const funded: Genesis = { ...genesis, modules: { bank: { balances: { [operatorAddress]: '1000000' } } } };
  const bus = new Bus();
  const dirs: string[] = [];
  const start = (i: number) => startOnBus(bus, i, { key: keys[i]!, genesis: funded, modules: [bank], dirs });
  const nodes = [0, 1, 2, 3].map(start);
  after(async () => {
    for (const node of bus.nodes.values()) await node.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('decide the same blocks with transfers submitted to any of them; one down, the others go on', async () => {
    const to = addressOf(funded, generateKeyPair('ed25519'));
    for (let n = 0n; n < 20n; n++)
      await nodes[Number(n % 4n)]!.submit(transferWire(funded, operator, n, to, 1n));
    await until(() =>
      nodes.every((node) => node.chain.nonceOf(operatorAddress) === 20n) ? true : undefined,
    );
    const height = nodes.reduce(
      (h, node) => (node.chain.height < h ? node.chain.height : h),
      nodes[0]!.chain.height,
    );
    for (let h = 1n; h <= height; h++) {
      const hashes = new Set(
        nodes.map((node) => bytesToHex(node.chain.header(h)!.stateRoot) + node.chain.certificate(h)!.value),
      );
      assert.equal(hashes.size, 1, `height ${h} differs`);
    }
    // One validator down: 30 of 40 power is still more than 2/3.
    bus.down.add('v3');
    const before = nodes[0]!.chain.height;
    await nodes[0]!.submit(transferWire(funded, operator, 20n, to, 1n));
    await until(() => (nodes[1]!.chain.nonceOf(operatorAddress) === 21n ? true : undefined));
    // Node 2 commits it too (it may be a moment behind node 1: wait, do not race).
    await until(() => (nodes[2]!.chain.height > before ? true : undefined));
    // It comes back and catches up by block sync.
    bus.down.delete('v3');
    await until(() =>
      nodes[3]!.chain.height >= nodes[0]!.chain.height - 1n &&
      nodes[3]!.chain.nonceOf(operatorAddress) === 21n
        ? true
        : undefined,
    );
    assert.deepEqual((await replayFromGenesis(nodes[3]!.chain, [bank])).problems, []);
    for (const node of nodes) assert.equal(node.driver.failure, undefined);
  });

  it('a full node (a key that is not a validator) syncs from genesis, follows, and never signs', async () => {
    const full = new ValidatorNode({
      dataDir: dirs[dirs.push(mkdtempSync(join(tmpdir(), 'pujiang-full-'))) - 1]!,
      genesis: funded,
      modules: [bank],
      secretKey: generateKeyPair('ed25519').secretKey,
      timeouts: FAST_CONFIG.timeouts,
      blockIntervalMs: 20,
      verifyWorkers: 1,
      transport: bus.transport('full'),
    });
    bus.nodes.set('full', full);
    assert.equal(full.isValidator, false);
    assert.equal(nodes[0]!.isValidator, true);
    const target = nodes[0]!.chain.height;
    await until(() => (full.chain.height >= target ? true : undefined));
    assert.ok(full.sync.synced > 0, 'blocks came through block sync');
    // A transaction submitted to the full node reaches the validators by gossip and commits.
    const to = addressOf(funded, generateKeyPair('ed25519'));
    const nonce = full.chain.nonceOf(operatorAddress);
    const hash = await full.submit(transferWire(funded, operator, nonce, to, 7n));
    const at = await full.waitForCommit(hash, 10_000);
    assert.ok(at, 'committed');
    for (let h = 1n; h <= full.chain.height && h <= nodes[0]!.chain.height; h++)
      assert.equal(full.chain.certificate(h)!.value, nodes[0]!.chain.certificate(h)!.value);
    assert.equal(full.driver.refusedToSign, 0);
    assert.deepEqual((await replayFromGenesis(full.chain, [bank])).problems, []);
  });
});
