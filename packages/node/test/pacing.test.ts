import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import type { Genesis } from '@pujiang/protocol';
import { bank, governance, type ValidatorNode } from '../src/index.js';
import { addressOf, transferWire, until } from './helpers.js';
import { Bus, equalValidatorsGenesis, startOnBus } from './memory-bus.js';

/** How often this test's idle chain makes a block: long next to a block interval of 20 ms. */
const IDLE_MS = 3_000;

/**
 * CometBFT's create_empty_blocks_interval on four validators: an idle chain makes a block
 * only every `emptyBlockIntervalMs`, a transaction is proposed at once, and the block after a
 * block with transactions comes at once too, so the state it produced is provable right away.
 * Block times are the proposers' clocks, all this machine's.
 */
describe('an idle chain paced by emptyBlockIntervalMs', () => {
  const keys = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
  const operator = generateKeyPair('ed25519');
  const base = equalValidatorsGenesis('pacing', keys);
  const from = addressOf(base, operator);
  const genesis: Genesis = {
    ...base,
    modules: {
      governance: { emptyBlockIntervalMs: IDLE_MS },
      bank: { balances: { [from]: '1000000' } },
    },
  };
  const dirs: string[] = [];
  const bus = new Bus();
  after(async () => {
    for (const node of bus.nodes.values()) await node.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('makes no block before the interval while idle; a transaction commits at once and is provable in the next block', async () => {
    const nodes = keys.map((key, i) =>
      startOnBus(bus, i, { key, genesis, modules: [governance, bank], dirs }),
    );
    const [n0] = nodes as [ValidatorNode];
    const time = (h: bigint) => Number(n0.chain.header(h)!.time);
    const txCount = (h: bigint) => n0.chain.header(h)!.txCount;
    assert.deepEqual(
      (n0.chain.query('governance', 'config', {}) as { emptyBlockIntervalMs: number }).emptyBlockIntervalMs,
      IDLE_MS,
    );
    // Height 1 comes at once; then two idle blocks, each a full interval after the one before.
    await until(() => (n0.chain.height >= 3n ? true : undefined), 4 * IDLE_MS + 10_000);
    for (const h of [2n, 3n]) {
      assert.equal(txCount(h), 0);
      assert.ok(
        time(h) - time(h - 1n) >= IDLE_MS - 5,
        `height ${h} came ${time(h) - time(h - 1n)} ms after ${h - 1n}`,
      );
    }

    // A transaction in the middle of an idle wait: proposed at once, not at the interval's end.
    await until(() => (n0.chain.height >= 4n ? true : undefined), IDLE_MS + 10_000);
    const to = addressOf(genesis, generateKeyPair('ed25519'));
    const hash = await nodes[2]!.submit(transferWire(genesis, operator, 0n, to, 5n));
    const committed = await n0.waitForCommit(hash, 2 * IDLE_MS);
    assert.ok(committed, 'committed');
    const at = n0.chain.height;
    assert.equal(txCount(at), 1);
    assert.ok(time(at) - time(at - 1n) < IDLE_MS, `the transaction waited ${time(at) - time(at - 1n)} ms`);
    // The block after it comes at once: its header proves the state with the transfer.
    await until(() => (n0.chain.height > at ? true : undefined), 10_000);
    assert.ok(time(at + 1n) - time(at) < IDLE_MS, `the next block came ${time(at + 1n) - time(at)} ms later`);
    const balanceUnder = (h: bigint) =>
      (
        n0.chain.query('bank', 'balance', { address: to }, n0.chain.header(h)!.stateRoot) as {
          balance: string;
        }
      ).balance;
    assert.equal(balanceUnder(at), '0', "the transaction's own header proves the state before it");
    assert.equal(balanceUnder(at + 1n), '5');
    // Then idle again: the one after waits for the interval.
    await until(() => (n0.chain.height > at + 1n ? true : undefined), IDLE_MS + 10_000);
    assert.ok(time(at + 2n) - time(at + 1n) >= IDLE_MS - 5);
    for (const node of nodes) assert.equal(node.driver.failure, undefined);
    for (let h = 1n; h <= at + 1n; h++)
      assert.equal(new Set(nodes.map((n) => n.chain.certificate(h)?.value)).size, 1, `height ${h}`);
  });
});
