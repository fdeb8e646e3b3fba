import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { genesisHash, loadHome } from '@pujiang/node';
import { type ProbeOutcome, probeResponder } from '@pujiang/p2p';
import { hexToBytes } from '@pujiang/types';
import { initNetwork, type NetworkHome } from './network-harness.js';
import { api, type NodeProcess, runCliProcess, startNodeProcess, until } from './node-harness.js';

const height = async (node: NodeProcess) =>
  (await api<{ height: number }>(node.api, '/v1/status')).body.height;

/**
 * A flooding process (this test's own, apart from the validators') against one validator of
 * a four-validator ML-DSA-65 network, where a Hello used to cost the validator an ML-DSA
 * signature: well-formed Hellos from no member key, many at once, over and over. The flooder
 * gets challenges and refusals, never a signature, and the chain keeps committing.
 */
describe('a flood of unauthenticated Hellos, and a second node on one home', () => {
  const nodes: NodeProcess[] = [];
  let homes: NetworkHome[] = [];
  after(async () => {
    for (const node of nodes) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    for (const h of homes) rmSync(h.home, { recursive: true, force: true });
  });

  it('the flooder gets no signature and the chain keeps committing', { timeout: 180_000 }, async () => {
    homes = (await initNetwork(4, { suite: 'ml-dsa-65' })).homes;
    nodes.push(...(await Promise.all(homes.map((h) => startNodeProcess(h.home)))));
    await until(async () => ((await height(nodes[0]!)) >= 2 ? true : undefined), 120_000);
    const genesis = loadHome(homes[0]!.home).genesis;
    const target = {
      chainId: genesis.chainId,
      genesisHash: hexToBytes(genesisHash(genesis)),
      timeoutMs: 2_000,
    };

    const counts: Record<ProbeOutcome, number> = { signed: 0, challenge: 0, refused: 0 };
    const before = await Promise.all(nodes.map(height));
    const deadline = Date.now() + 8_000;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (Date.now() < deadline) counts[await probeResponder('127.0.0.1', homes[0]!.p2pPort, target)]++;
      }),
    );
    const during = await Promise.all(nodes.map(height));
    assert.equal(counts.signed, 0, JSON.stringify(counts));
    assert.ok(counts.challenge > 0, JSON.stringify(counts));
    // Past its allowance, the address gets closed connections: most of the flood does nothing.
    assert.ok(counts.refused > counts.challenge, JSON.stringify(counts));
    // Every validator, the flooded one too, committed blocks while it lasted.
    for (const [i, h] of during.entries()) assert.ok(h >= before[i]! + 3, `node${i}: ${before[i]} -> ${h}`);
  });

  it('a second node start on a running home exits with NODE_HOME_LOCKED; the first goes on', async () => {
    const first = nodes[0]!;
    const second = runCliProcess('node', 'start', '--home', homes[0]!.home);
    assert.notEqual(second.status, 0);
    assert.match(second.stderr, /^error NODE_HOME_LOCKED: another process \(pid \d+\) runs the node/m);
    const h = await height(first);
    await until(async () => ((await height(first)) >= h + 2 ? true : undefined), 60_000);
    assert.equal(first.child.exitCode, null);
  });
});
