import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { DEFAULT_MODULES, type RunningNode, replayFromGenesis, startNode } from '../src/index.js';
import { addressOf, getJson, postJson, testHome, transferWire, until } from './helpers.js';

describe('pruning (pruning.keepBlocks)', () => {
  const setup = testHome('ed25519', { pruning: { keepBlocks: 3 } });
  let running: RunningNode;
  before(async () => {
    running = await startNode({ home: setup.home });
  });
  after(() => running.stop());

  it('keeps the latest bodies, drops older ones with their tx index, keeps every header and certificate', async () => {
    const { url } = { url: running.apiUrl };
    const to = addressOf(setup.genesis, generateKeyPair('ed25519'));
    const first = await postJson(`${url}/v1/txs`, {
      tx: bytesToHex(transferWire(setup.genesis, setup.operatorKey, 0n, to, 1n)),
      wait: true,
    });
    assert.equal(first.body.status, 'committed');
    const at = BigInt(first.body.height);
    await until(() => running.node.chain.height >= at + 5n || undefined);
    const chain = running.node.chain;
    assert.ok(chain.lowestBodyHeight > at);
    assert.equal(chain.block(at), undefined);
    assert.ok(chain.header(at), 'the header stays');
    assert.ok(chain.certificate(at), 'the certificate stays');
    assert.ok(chain.block(chain.height - 2n), 'recent bodies stay');
    const gone = await getJson(`${url}/v1/blocks/${at}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.error.code, 'API_PRUNED');
    const receipts = await getJson(`${url}/v1/blocks/${at}/receipts`);
    assert.equal(receipts.status, 410);
    assert.equal(receipts.body.error.code, 'API_PRUNED');
    assert.equal((await getJson(`${url}/v1/headers/${at}`)).status, 200);
    assert.equal((await getJson(`${url}/v1/txs/${first.body.hash}`)).status, 404);
    assert.deepEqual(
      (await replayFromGenesis(chain, DEFAULT_MODULES)).problems.map((p) => p.check),
      ['pruned'],
    );
  });
});
