import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PeerLink } from '@pujiang/p2p';
import {
  equivocate,
  initMonitoredNetwork,
  type MonitoredNetwork,
  webhookReceiver,
} from './monitor-harness.js';
import {
  api,
  type CliProcess,
  type NodeProcess,
  runCliProcess,
  spawnCliUntil,
  startNodeProcess,
  until,
} from './node-harness.js';

interface AlertJson {
  id: string;
  kind: string;
  severity: string;
  subject: { type: string; id: string; name?: string; organization?: string };
  summary: string;
  evidence: Record<string, any>;
  firstSeen: number;
  lastSeen: number;
  resolved: boolean;
}

/**
 * `pujiang monitor` beside four validator processes (and a fifth, power-1 validator whose
 * key only this test holds): a certificate expiring within the warning window, an
 * equivocation committed on chain as evidence, and a validator killed with -9 each raise
 * their alert with its evidence, on `/alerts`, on the webhook and in the risk report.
 */
const WEBHOOK_SECRET = 'a shared secret of the webhook';
const CONSOLE_ORIGIN = 'http://127.0.0.1:9';

describe('pujiang monitor on a real network', () => {
  let network: MonitoredNetwork;
  const nodes: NodeProcess[] = [];
  let monitor: CliProcess<{ url: string }> | undefined;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let link: PeerLink | undefined;
  let scratch: string;
  const alerts = async (): Promise<AlertJson[]> =>
    (await api<{ alerts: AlertJson[] }>(monitor!.ready.url, '/alerts?active=true')).body.alerts;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'pujiang-monitor-'));
    network = await initMonitoredNetwork(3);
    nodes.push(...(await Promise.all(network.homes.map((h) => startNodeProcess(h.home)))));
    hook = await webhookReceiver(WEBHOOK_SECRET);
    await until(
      async () => ((await api(nodes[0]!.api, '/v1/status')).body.height >= 2 ? true : undefined),
      120_000,
    );
    monitor = await spawnCliUntil<{ url: string }>(
      [
        'monitor',
        ...nodes.flatMap((n) => ['--node', n.api]),
        '--listen',
        '127.0.0.1:0',
        '--webhook',
        hook.url,
        '--webhook-secret',
        WEBHOOK_SECRET,
        '--cors',
        CONSOLE_ORIGIN,
        '--interval',
        '300',
        '--expiry-warning',
        '7',
      ],
      '"listening"',
    );
  });

  after(async () => {
    link?.close();
    if (monitor) {
      monitor.child.kill('SIGKILL');
      await monitor.exited;
    }
    for (const node of nodes) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    await hook?.close();
    for (const h of network?.homes ?? []) rmSync(h.home, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('serves /alerts with CORS for the --cors origin only, and raises the certificate that expires within the warning window', async () => {
    const allowed = await fetch(`${monitor!.ready.url}/alerts`, { headers: { origin: CONSOLE_ORIGIN } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), CONSOLE_ORIGIN);
    await allowed.arrayBuffer();
    const other = await fetch(`${monitor!.ready.url}/alerts`, { headers: { origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await other.arrayBuffer();
    const alert = await until(
      async () => (await alerts()).find((a) => a.kind === 'certificate-expiring'),
      60_000,
    );
    assert.equal(alert.subject.type, 'certificate');
    assert.equal(alert.subject.id, `${alert.subject.organization}/${network.expiringSerial}`);
    assert.equal(alert.evidence.serial, network.expiringSerial);
    assert.equal(alert.evidence.commonName, 'short-lived client');
    assert.ok(alert.evidence.notAfter - Date.now() < 3 * 86_400_000 + 60_000);
    // Certificates valid for two years are outside a 7-day window.
    assert.equal((await alerts()).filter((a) => a.kind === 'certificate-expiring').length, 1);
  });

  it('an equivocating validator: the evidence is committed on chain and the alert carries it', {
    timeout: 120_000,
  }, async () => {
    const height = (await api(nodes[0]!.api, '/v1/status')).body.height as number;
    link = await equivocate(network, network.homes[0]!, height + 1, 4);
    const recorded = await until(async () => {
      const r = await api<{ result: any[] }>(nodes[1]!.api, '/v1/query/governance/evidence');
      return r.body.result.length > 0 ? r.body.result : undefined;
    }, 90_000);
    const evidence = recorded[0];
    assert.equal(evidence.validator.name, 'equivocator');
    assert.equal(evidence.voteType, 'prevote');
    assert.notEqual(evidence.first.value, evidence.second.value);
    const tx = await api(nodes[1]!.api, `/v1/txs/${evidence.txHash}`);
    assert.equal(tx.body.status, 'committed');
    assert.equal(tx.body.receipt.code, 'OK');
    // Proven like any state: the query with a proof of every key it read.
    const proven = await api(nodes[2]!.api, '/v1/query/governance/evidence?prove=true');
    assert.equal(proven.status, 200);
    assert.ok(proven.body.reads.length > 0);

    const alert = await until(async () => (await alerts()).find((a) => a.kind === 'equivocation'), 60_000);
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.subject.type, 'validator');
    assert.equal(alert.subject.id, evidence.validator.address);
    // Every record is in the evidence, each with both signed votes.
    const record = alert.evidence.records.find((r: any) => r.txHash === evidence.txHash);
    assert.ok(record, JSON.stringify(alert.evidence));
    assert.equal(record.first.signature, evidence.first.signature);
    assert.equal(record.second.signature, evidence.second.signature);
    assert.equal(alert.evidence.count, alert.evidence.records.length);
    // The monitor checked both signatures itself before it believed the node.
    assert.equal(alert.evidence.valid, true);
    assert.match(alert.evidence.checked, /verified by the monitor/);
    await until(() =>
      hook.bodies.find((b) => b.change === 'raised' && b.alert?.kind === 'equivocation') ? true : undefined,
    );
    // Every body came signed with the webhook secret.
    assert.ok(!hook.bodies.some((b) => b.badSignature));
  });

  it('a validator killed with -9 raises a liveness alert; the webhook and the risk report name it', {
    timeout: 120_000,
  }, async () => {
    const victim = nodes[3]!;
    const victimId = (await api(victim.api, '/v1/status')).body.nodeId as string;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const liveness = await until(
      async () =>
        (await alerts()).find(
          (a) =>
            (a.kind === 'missed-blocks' && a.subject.id === victimId) ||
            (a.kind === 'node-unreachable' && a.evidence.validatorAddress === victimId),
        ),
      60_000,
    );
    assert.equal(liveness.subject.name, 'node3');
    // Both signals come: the node does not answer, and its precommits are missing from the certificates.
    const missed = await until(
      async () => (await alerts()).find((a) => a.kind === 'missed-blocks' && a.subject.id === victimId),
      60_000,
    );
    assert.ok(missed.evidence.missed >= 8, JSON.stringify(missed.evidence));
    await until(() =>
      hook.bodies.find((b) => b.change === 'raised' && b.alert?.subject?.name === 'node3') ? true : undefined,
    );

    const risk = (await api(monitor!.ready.url, '/risk.json')).body;
    const entry = risk.validators.find((v: any) => v.subject.id === victimId);
    assert.equal(entry.subject.name, 'node3');
    assert.ok(entry.level === 'high' || entry.level === 'medium', JSON.stringify(entry));
    assert.ok(entry.reasons.some((r: any) => r.kind === 'missed-blocks' || r.kind === 'node-unreachable'));
    // The equivocator (never signs, and equivocated) ranks with it; the live validators below both.
    const live = risk.validators.filter(
      (v: any) => v.subject.id !== victimId && v.subject.name !== 'equivocator',
    );
    for (const v of live) assert.ok(v.score < entry.score, JSON.stringify(v));
    const html = await fetch(`${monitor!.ready.url}/risk.html`).then((r) => r.text());
    assert.match(html, /node3/);

    const metrics = await fetch(`${monitor!.ready.url}/metrics`).then((r) => r.text());
    // The killed validator's, and the power-1 equivocator's once it has missed a whole window (it runs no node).
    assert.match(
      metrics,
      /pujiang_monitor_alerts\{kind="missed-blocks",severity="(warning|critical)"\} [1-9]/,
    );
    assert.match(metrics, /pujiang_monitor_alerts\{kind="equivocation",severity="critical"\} 1/);

    // The one-shot report names it too, with its reasons.
    const out = join(scratch, 'risk.json');
    const r = runCliProcess('monitor', 'report', ...nodes.flatMap((n) => ['--node', n.api]), '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const once = report.validators.find((v: any) => v.subject.id === victimId);
    assert.ok(once.score > 0);
    assert.ok(once.reasons.some((reason: any) => /missed/.test(reason.summary)));
  });
});
