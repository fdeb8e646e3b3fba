import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { Monitor } from '../src/index.js';

/** A node that answers only `/v1/status`, with the height the test sets (everything else 404). */
async function statusNode(): Promise<{ url: string; server: Server; height: { value: number } }> {
  const height = { value: 0 };
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/v1/status')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          chainId: 'median-test',
          nodeId: `node-${(server.address() as { port: number }).port}`,
          height: height.value,
          latestBlockHash: 'ab'.repeat(32),
          latestBlockTime: '1',
          syncing: false,
          validator: true,
          peers: 2,
          round: 0,
          chainHash: 'sha256',
          acceptedSuites: ['ed25519'],
          genesisHash: 'cd'.repeat(32),
          mempool: { size: 0, bytes: 0 },
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'API_NOT_FOUND', message: 'not here' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, height };
}

/**
 * One node of three lying about its height: the monitor's chain height is the median, so a
 * liar high cannot fake a stall (nor hide one), and the height follows the median down.
 */
describe('monitor: the chain height is the median of the nodes', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('ignores one node reporting a far height, raises a stall only when the honest majority stops', async () => {
    const nodes = await Promise.all([statusNode(), statusNode(), statusNode()]);
    servers.push(...nodes.map((n) => n.server));
    const [a, b, liar] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
    let now = 1_000_000;
    const monitor = new Monitor({ nodes: nodes.map((n) => n.url), stallMs: 5_000, now: () => now });
    const stalled = () => monitor.alertsJson(true).alerts.some((x) => x.kind === 'chain-stalled');
    try {
      a.height.value = 10;
      b.height.value = 11;
      liar.height.value = 1_000_000;
      await monitor.poll();
      assert.equal(monitor.alertsJson().height, 11);
      // The honest nodes move on while the liar stays put: no stall (the highest would be stuck).
      for (let h = 12; h < 16; h++) {
        now += 4_000;
        a.height.value = h;
        b.height.value = h;
        await monitor.poll();
      }
      assert.equal(monitor.alertsJson().height, 15);
      assert.equal(stalled(), false);
      // The honest nodes stop while the liar climbs: a stall, seen (past 10 s, the least a stall waits).
      for (let i = 0; i < 4; i++) {
        now += 3_000;
        liar.height.value += 1;
        await monitor.poll();
      }
      assert.equal(stalled(), true);
      // The median going down takes the height down with it.
      a.height.value = 7;
      b.height.value = 7;
      now += 1_000;
      await monitor.poll();
      assert.equal(monitor.alertsJson().height, 7);
    } finally {
      await monitor.stop();
    }
  });
});
