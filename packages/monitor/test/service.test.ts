import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { type AlertChange, Monitor, MonitorServer, Webhook } from '../src/index.js';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const change = (id: string): AlertChange => ({
  change: 'raised',
  alert: {
    id,
    kind: 'chain-stalled',
    severity: 'critical',
    subject: { type: 'chain', id: 'chain' },
    summary: id,
    evidence: { height: 7 },
    firstSeen: 1,
    lastSeen: 1,
    resolved: false,
  },
});

/** The webhook's bounded retries, and the monitor's HTTP face against a node that does not answer. */
describe('monitor service (webhook, HTTP)', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const s of servers) await close(s);
  });

  it('the webhook retries a failing endpoint a bounded number of times, in order, without blocking send', async () => {
    const received: string[] = [];
    let failures = 2;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        if (failures-- > 0) return res.writeHead(503).end();
        received.push(JSON.parse(body).alert.id);
        res.writeHead(204).end();
      });
    });
    servers.push(server);
    const port = await listen(server);
    const results: boolean[] = [];
    const hook = new Webhook(`http://127.0.0.1:${port}/`, {
      retryDelaysMs: [10, 10, 10],
      onResult: (ok) => results.push(ok),
    });
    hook.send(change('a'));
    hook.send(change('b'));
    // send only queued: nothing has been delivered or decided when it returns.
    assert.deepEqual([received.length, results.length], [0, 0]);
    await until(() => (results.length === 2 ? true : undefined));
    assert.deepEqual(received, ['a', 'b']);
    assert.deepEqual(hook.stats, { delivered: 2, failed: 0, dropped: 0 });

    // A dead endpoint: each change fails after its retries, and the queue moves on.
    const dead = new Webhook('http://127.0.0.1:1/', {
      retryDelaysMs: [5, 5],
      onResult: (ok) => results.push(ok),
    });
    dead.send(change('c'));
    dead.send(change('d'));
    await until(() => (results.length === 4 ? true : undefined));
    assert.deepEqual(dead.stats, { delivered: 0, failed: 2, dropped: 0 });
    hook.stop();
    dead.stop();
  });

  it('an unreachable node raises node-unreachable; /alerts, /risk.json, /risk.html and /metrics answer (no CORS header unless an origin was given)', async () => {
    let now = 1_000_000;
    const monitor = new Monitor({ nodes: ['http://127.0.0.1:1'], intervalMs: 1_000, now: () => now });
    await monitor.poll();
    // Never seen answering: it may still be starting, so it gets a grace period.
    assert.equal(monitor.alertsJson().active, 0);
    now += 15_000;
    await monitor.poll();
    const server = new MonitorServer(monitor);
    const port = await server.listen(0);
    const base = `http://127.0.0.1:${port}`;
    try {
      const response = await fetch(`${base}/alerts`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      const body = (await response.json()) as any;
      assert.equal(body.nodes[0].reachable, false);
      assert.equal(body.active, 1);
      const [alert] = body.alerts;
      assert.equal(alert.kind, 'node-unreachable');
      assert.equal(alert.severity, 'warning'); // never answered: not known to be a validator
      assert.equal(alert.subject.id, 'http://127.0.0.1:1');
      assert.match(alert.evidence.error, /SDK_NETWORK_ERROR/);

      const preflight = await fetch(`${base}/alerts`, { method: 'OPTIONS' });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      const post = await fetch(`${base}/alerts`, { method: 'POST', body: '{}' });
      assert.equal(post.status, 405);
      assert.equal(((await post.json()) as any).error.code, 'MONITOR_METHOD_NOT_ALLOWED');
      const missing = await fetch(`${base}/nope`);
      assert.equal(missing.status, 404);
      await missing.arrayBuffer();

      const risk = (await (await fetch(`${base}/risk.json`)).json()) as any;
      assert.deepEqual([risk.height, risk.validators, risk.organizations], [0, [], []]);
      const html = await fetch(`${base}/risk.html`);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await html.text(), /Pujiang risk report/);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /pujiang_monitor_node_up\{node="http:\/\/127\.0\.0\.1:1"\} 0/);
      assert.match(metrics, /pujiang_monitor_alerts\{kind="node-unreachable",severity="warning"\} 1/);
      assert.match(metrics, /pujiang_monitor_polls_total\{outcome="no-node"\} 2/);
    } finally {
      await server.close();
      await monitor.stop();
    }
  });
});
