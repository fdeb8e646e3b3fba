import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readKeyFile } from '@pujiang/node';
import { addressOf, generateKeyPair, PujiangClient } from '@pujiang/sdk';
import { initNetwork } from './network-harness.js';
import { api, type NodeProcess, runCliProcess, startNodeProcess, until } from './node-harness.js';

describe('four validator processes on loopback', () => {
  const running: (NodeProcess | undefined)[] = [];
  after(async () => {
    for (const node of running) {
      node?.child.kill('SIGTERM');
      if (node) await node.exited;
    }
  });

  it('decide together over authenticated links; one killed with -9 restarts and catches up with identical blocks', async () => {
    const homes = await initNetwork(4);
    for (const h of homes) running.push(await startNodeProcess(h.home));
    const height = async (i: number) => (await api(running[i]!.api, '/v1/status')).body.height as number;
    await until(async () =>
      (await Promise.all([0, 1, 2, 3].map(height))).every((h) => h >= 3) ? true : undefined,
    );

    const operator = readKeyFile(homes[0]!.operatorKey);
    const to = addressOf('sha256', generateKeyPair('ed25519'));
    const client = new PujiangClient({ url: running[1]!.api });
    const sent = await client.sendTransfer({ key: operator, to, amount: 5n, wait: true });
    assert.equal(sent.result.status, 'committed');

    running[2]!.child.kill('SIGKILL');
    await running[2]!.exited;
    const before = await height(0);
    await until(async () => ((await height(0)) >= before + 3 ? true : undefined));
    const second = await new PujiangClient({ url: running[3]!.api }).sendTransfer({
      key: operator,
      to,
      amount: 7n,
      wait: true,
    });
    assert.equal(second.result.status, 'committed');

    running[2] = await startNodeProcess(homes[2]!.home);
    const tip = await height(0);
    await until(async () => ((await height(2)) >= tip ? true : undefined));
    for (let h = 1; h <= tip; h++) {
      const hashes = new Set(
        await Promise.all(
          [0, 1, 2, 3].map(async (i) => (await api(running[i]!.api, `/v1/blocks/${h}`)).body.hash),
        ),
      );
      assert.equal(hashes.size, 1, `height ${h}`);
    }
    const balance = await api(running[2]!.api, `/v1/query/bank/balance?address=${to}`);
    assert.equal(balance.body.result.balance, '12');
    const metrics = await (await fetch(`${running[0]!.api}/metrics`)).text();
    assert.match(metrics, /^pujiang_peers [1-9]/m);

    for (const i of [0, 1, 2, 3]) {
      running[i]!.child.kill('SIGTERM');
      assert.equal(await running[i]!.exited, 0);
      running[i] = undefined;
    }
    const replay = runCliProcess('node', 'replay', '--home', homes[2]!.home);
    assert.equal(replay.status, 0, replay.stdout);
  });
});
