import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, verifyMerkleProof } from '@pujiang/crypto';
import { encodeReceipt, merkleProofFromJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { ApiHandlers } from '../src/api/handlers.js';
import { type RunningNode, startNode } from '../src/index.js';
import { addressOf, getJson, postJson, testHome, transferWire, until } from './helpers.js';

/** `GET /v1/blocks/{height}/receipts`: a block's transactions' receipts in one answer, each proven. */
describe('block receipts (GET /v1/blocks/{height}/receipts)', () => {
  const setup = testHome('ed25519');
  const { genesis, operatorKey } = setup;
  const to = addressOf(genesis, generateKeyPair('ed25519'));
  let running: RunningNode;
  let url: string;

  before(async () => {
    running = await startNode({ home: setup.home });
    url = running.apiUrl;
  });
  after(async () => {
    await running.stop();
    rmSync(setup.home, { recursive: true, force: true });
  });

  it("answers the block's receipts in block order, as the transactions' own answers, with proofs that verify", async () => {
    // Six transfers, one refused in execution (more than the operator holds), submitted at once.
    const held = await getJson(`${url}/v1/query/bank/balance?address=${setup.operatorAddress}`);
    const tooMuch = BigInt(held.body.result.balance) + 1n;
    const wires = [1n, 2n, 3n, tooMuch, 5n, 6n].map((amount, i) =>
      bytesToHex(transferWire(genesis, operatorKey, BigInt(i), to, amount)),
    );
    const batch = await postJson(`${url}/v1/txs/batch`, { txs: wires });
    assert.equal(batch.status, 200);
    const hashes: string[] = batch.body.results.map((r: { hash: string }) => r.hash);
    const committed = await until(async () => {
      const all = await Promise.all(hashes.map((h) => getJson(`${url}/v1/txs/${h}`)));
      return all.every((t) => t.body.status === 'committed') ? all.map((t) => t.body) : undefined;
    });
    const heights = [...new Set(committed.map((t) => t.height as number))];
    await until(() => running.node.chain.height > BigInt(Math.max(...heights)) || undefined);
    // Asked again now that every next header exists: a receipt's proof is null before it does.
    const settled = await Promise.all(hashes.map(async (h) => (await getJson(`${url}/v1/txs/${h}`)).body));
    let seen = 0;
    for (const height of heights) {
      const block = await getJson(`${url}/v1/blocks/${height}`);
      const answer = await getJson(`${url}/v1/blocks/${height}/receipts`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.height, height);
      assert.deepEqual(
        answer.body.receipts.map((r: { receipt: { txHash: string } }) => r.receipt.txHash),
        block.body.txHashes,
      );
      const next = (await getJson(`${url}/v1/headers/${height + 1}`)).body.header;
      const resultsRoot = hexToBytes(next.resultsRoot);
      const hooks = (await getJson(`${url}/v1/blocks/${height}/hooks`)).body.hooks.length;
      for (const [i, item] of (answer.body.receipts as any[]).entries()) {
        assert.equal(item.index, i);
        const tx = settled.find((t) => t.hash === item.receipt.txHash);
        if (tx) {
          assert.deepEqual(item.receipt, tx.receipt);
          assert.deepEqual(item.proof, tx.proof.receipt);
          seen++;
        }
        const proof = merkleProofFromJson(item.proof);
        assert.equal(proof.treeSize, block.body.txHashes.length + hooks);
        const leaf = encodeReceipt(item.receipt);
        assert.ok(
          verifyMerkleProof(genesis.chainHash, resultsRoot, leaf, proof),
          `receipt ${i} of ${height}`,
        );
        // A changed receipt does not verify under the same proof.
        const forged = encodeReceipt({ ...item.receipt, gasUsed: item.receipt.gasUsed + 1 });
        assert.equal(verifyMerkleProof(genesis.chainHash, resultsRoot, forged, proof), false);
      }
    }
    assert.equal(seen, hashes.length);
    assert.ok(
      committed.some((t) => t.receipt.code !== 'OK'),
      'a failed transaction has its receipt too',
    );
    // Until header height + 1 exists there is nothing to prove against: the proofs are null.
    // The node here already has it, so the handlers run on a view of its chain without it.
    const at = heights[0]!;
    const chain = running.node.chain;
    const withoutNext = Object.create(chain, {
      header: { value: (h: bigint) => (h === BigInt(at) + 1n ? undefined : chain.header(h)) },
    }) as typeof chain;
    const unproven = new ApiHandlers(Object.create(running.node, { chain: { value: withoutNext } })).receipts(
      String(at),
    );
    const proven = (await getJson(`${url}/v1/blocks/${at}/receipts`)).body;
    assert.ok(unproven.receipts.length > 0);
    assert.deepEqual(
      unproven.receipts,
      proven.receipts.map((r: object) => ({ ...r, proof: null })),
    );
    // `latest` names the head.
    const latest = await getJson(`${url}/v1/blocks/latest/receipts`);
    assert.equal(latest.status, 200);
    assert.ok(latest.body.height >= Math.max(...heights));
  });

  it('refuses a malformed height (400) and a height not yet decided (404)', async () => {
    for (const bad of ['abc', '0', '-1', '1.5', '1e3', '9999999999999999']) {
      const answer = await getJson(`${url}/v1/blocks/${bad}/receipts`);
      assert.equal(answer.status, 400, bad);
      assert.equal(answer.body.error.code, 'API_BAD_REQUEST', bad);
    }
    const future = Number(running.node.chain.height) + 1_000_000;
    const answer = await getJson(`${url}/v1/blocks/${future}/receipts`);
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'API_NOT_FOUND');
  });
});
