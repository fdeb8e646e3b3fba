import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import { encodedBlockSize } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { DEFAULT_MODULES, type RunningNode, replayFromGenesis, startNode } from '../src/index.js';
import { addressOf, postJson, testHome, transferWire, until } from './helpers.js';

describe('the proposer keeps the genesis block limits', () => {
  // Small limits so that a modest load needs many blocks: ~40 transfers by bytes, 25 by gas.
  const setup = testHome('ed25519', {}, { maxBlockBytes: 8_000, maxBlockGas: 2_500_000 });
  let running: RunningNode;
  before(async () => {
    running = await startNode({ home: setup.home });
  });
  after(() => running.stop());

  it('never commits a block over maxBlockBytes or maxBlockGas, and the replay audit agrees', async () => {
    const to = addressOf(setup.genesis, generateKeyPair('ed25519'));
    const txs = Array.from({ length: 300 }, (_, i) =>
      bytesToHex(transferWire(setup.genesis, setup.operatorKey, BigInt(i), to, 1n)),
    );
    const { body } = await postJson(`${running.apiUrl}/v1/txs/batch`, { txs });
    assert.ok(body.results.every((r: { hash?: string }) => r.hash !== undefined));
    await until(() => (running.node.chain.nonceOf(setup.operatorAddress) === 300n ? true : undefined));
    const chain = running.node.chain;
    let biggest = 0;
    for (let h = 1n; h <= chain.height; h++) {
      const block = chain.block(h)!;
      assert.ok(encodedBlockSize(block) <= 8_000, `block ${h}: ${encodedBlockSize(block)} bytes`);
      assert.ok(block.txs.length <= 25, `block ${h}: ${block.txs.length} txs over the gas limit`);
      biggest = Math.max(biggest, block.txs.length);
      for (const r of chain.receipts(h)!) assert.equal(r.code, 'OK');
    }
    assert.equal(biggest, 25); // the gas limit, not something smaller, bounded the blocks
    assert.deepEqual((await replayFromGenesis(chain, DEFAULT_MODULES)).problems, []);
  });
});
