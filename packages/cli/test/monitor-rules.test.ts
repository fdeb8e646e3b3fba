import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { familyNames, MonitorMetrics } from '@pujiang/monitor';
import { NodeMetrics } from '@pujiang/node';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RULES = readFileSync(`${ROOT}deploy/monitoring/pujiang-alerts.yml`, 'utf8');
const DASHBOARD = JSON.parse(readFileSync(`${ROOT}deploy/monitoring/grafana-dashboard.json`, 'utf8'));

/** Every family a node's and a monitor's /metrics declare, with a histogram's derived series. */
async function exposedMetrics(): Promise<Set<string>> {
  const node = new NodeMetrics();
  node.buildInfo({ chainId: 'c', chainHash: 'sha256', suite: 'ed25519', ed25519: 'openssl' });
  const monitor = new MonitorMetrics(() => ({
    alerts: [],
    nodes: [],
    height: 0,
    secondsSinceBlock: 0,
    missed: [],
    names: new Map(),
    bannedPeers: new Map(),
    failedChecks: new Map(),
    evidence: 0,
    expiringCertificates: 0,
    timelockedProposals: 0,
    risk: undefined,
  }));
  const names = new Set<string>();
  for (const text of [await node.render(), await monitor.render()])
    for (const name of familyNames(text)) {
      names.add(name);
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    }
  return names;
}

const metricNames = (expr: string) => [...expr.matchAll(/\b(pujiang_[a-z0-9_]+)\b/g)].map((m) => m[1]!);

/** The shipped Prometheus rules and Grafana dashboard name only metrics a node or the monitor exports. */
describe('deploy/monitoring: alert rules and dashboard', () => {
  it('every rule has an alert name, an expression, a severity and a summary, and names existing metrics', async () => {
    const exposed = await exposedMetrics();
    const rules = RULES.split(/\n\s*- alert: /).slice(1);
    assert.ok(rules.length >= 20, `${rules.length} rules`);
    const named = new Set<string>();
    for (const rule of rules) {
      const name = rule.split('\n')[0]!.trim();
      const expr = /\n\s*expr: (.+)/.exec(rule)?.[1];
      assert.ok(expr, `${name}: no expr`);
      assert.match(rule, /\n\s*severity: (info|warning|critical)\n/, `${name}: severity`);
      assert.match(rule, /\n\s*summary: ".+"/, `${name}: summary`);
      const metrics = metricNames(expr);
      assert.ok(metrics.length > 0, `${name} names no pujiang metric`);
      for (const m of metrics) {
        assert.ok(exposed.has(m), `${name} names ${m}, which neither a node nor the monitor exports`);
        named.add(m);
      }
    }
    // The rules cover the monitor's signals and the node's own.
    for (const m of [
      'pujiang_monitor_alerts',
      'pujiang_monitor_node_up',
      'pujiang_height',
      'pujiang_peer_offences_total',
    ])
      assert.ok(named.has(m), m);
  });

  it('every dashboard panel queries existing metrics', async () => {
    const exposed = await exposedMetrics();
    const targets = (
      DASHBOARD.panels as { type: string; title: string; targets?: { expr: string }[] }[]
    ).flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })));
    assert.ok(targets.length >= 15, `${targets.length} queries`);
    for (const { title, expr } of targets) {
      const metrics = metricNames(expr);
      assert.ok(metrics.length > 0, `${title}: ${expr}`);
      for (const m of metrics)
        assert.ok(exposed.has(m), `panel "${title}" names ${m}, which is not exported`);
    }
  });

  it('the check is not vacuous: a misspelt metric is caught', async () => {
    const exposed = await exposedMetrics();
    assert.ok(exposed.has('pujiang_height'));
    assert.ok(exposed.has('pujiang_commit_latency_seconds_bucket'));
    assert.ok(!exposed.has('pujiang_heigth'));
    assert.deepEqual(metricNames('rate(pujiang_heigth[5m]) > pujiang_monitor_alerts'), [
      'pujiang_heigth',
      'pujiang_monitor_alerts',
    ]);
  });
});
