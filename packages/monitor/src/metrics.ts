import { Counter, Gauge, Registry } from 'prom-client';
import { ALERT_KINDS, type Alert, SEVERITIES } from './alerts.js';
import type { RiskReport } from './risk.js';
import type { MissedBlocks } from './watch/liveness.js';

/** What the monitor's `/metrics` reads at scrape time. */
export interface MonitorSnapshot {
  readonly alerts: readonly Alert[];
  readonly nodes: readonly { readonly url: string; readonly up: boolean; readonly height: number }[];
  readonly height: number;
  readonly secondsSinceBlock: number;
  readonly missed: readonly MissedBlocks[];
  readonly names: ReadonlyMap<string, string>;
  readonly bannedPeers: ReadonlyMap<string, number>;
  readonly failedChecks: ReadonlyMap<string, { signature: number; membership: number }>;
  readonly evidence: number;
  readonly expiringCertificates: number;
  readonly timelockedProposals: number;
  readonly risk: RiskReport | undefined;
}

/**
 * The monitor's own Prometheus metrics (`pujiang_monitor_*`): active alerts by kind and
 * severity, and one gauge per signal, so the shipped rules can alert on them without the
 * monitor's JSON. Its own registry: several monitors can share a process (tests do).
 */
export class MonitorMetrics {
  readonly registry = new Registry();
  readonly polls: Counter<'outcome'>;
  readonly raised: Counter<'kind'>;
  readonly webhook: Counter<'outcome'>;

  constructor(snapshot: () => MonitorSnapshot) {
    const registers = [this.registry];
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      fill: (g: Gauge<L>, s: MonitorSnapshot) => void,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        collect: function (this: Gauge<L>) {
          this.reset();
          fill(this, snapshot());
        },
      });
    gauge('pujiang_monitor_alerts', 'Active alerts, by kind and severity.', ['kind', 'severity'], (g, s) => {
      for (const kind of ALERT_KINDS)
        for (const severity of SEVERITIES)
          g.set(
            { kind, severity },
            s.alerts.filter((a) => !a.resolved && a.kind === kind && a.severity === severity).length,
          );
    });
    gauge(
      'pujiang_monitor_node_up',
      'Whether a watched node answered the last poll (1) or not (0).',
      ['node'],
      (g, s) => {
        for (const n of s.nodes) g.set({ node: n.url }, n.up ? 1 : 0);
      },
    );
    gauge(
      'pujiang_monitor_node_height',
      'Height a watched node reported on the last poll.',
      ['node'],
      (g, s) => {
        for (const n of s.nodes) if (n.up) g.set({ node: n.url }, n.height);
      },
    );
    gauge('pujiang_monitor_chain_height', 'Highest height any watched node reported.', [], (g, s) =>
      g.set(s.height),
    );
    gauge('pujiang_monitor_seconds_since_block', 'Seconds since the chain height last moved.', [], (g, s) =>
      g.set(s.secondsSinceBlock),
    );
    gauge(
      'pujiang_monitor_validator_missed_blocks',
      "Blocks of the window whose certificate lacks the validator's precommit.",
      ['validator', 'name'],
      (g, s) => {
        for (const m of s.missed)
          g.set({ validator: m.address, name: s.names.get(m.address) ?? '' }, m.missed);
      },
    );
    gauge('pujiang_monitor_peers_banned', 'Peers banned now, as each node reports.', ['node'], (g, s) => {
      for (const [node, n] of s.bannedPeers) g.set({ node }, n);
    });
    gauge(
      'pujiang_monitor_failed_checks',
      'Failed signature checks and membership refusals each node counted since it started.',
      ['node', 'check'],
      (g, s) => {
        for (const [node, c] of s.failedChecks) {
          g.set({ node, check: 'signature' }, c.signature);
          g.set({ node, check: 'membership' }, c.membership);
        }
      },
    );
    gauge('pujiang_monitor_evidence', 'Equivocation evidence recorded on chain.', [], (g, s) =>
      g.set(s.evidence),
    );
    gauge(
      'pujiang_monitor_certificates_expiring',
      'Member certificates and CAs expiring within the warning window (or expired).',
      [],
      (g, s) => g.set(s.expiringCertificates),
    );
    gauge(
      'pujiang_monitor_proposals_timelocked',
      'Approved proposals waiting out their time-lock.',
      [],
      (g, s) => g.set(s.timelockedProposals),
    );
    gauge(
      'pujiang_monitor_risk_score',
      'Risk score (0-100) of each validator and organization in the latest report.',
      ['subject_type', 'subject', 'name'],
      (g, s) => {
        for (const e of [...(s.risk?.validators ?? []), ...(s.risk?.organizations ?? [])])
          g.set({ subject_type: e.subject.type, subject: e.subject.id, name: e.subject.name }, e.score);
      },
    );
    this.polls = new Counter({
      name: 'pujiang_monitor_polls_total',
      help: 'Polls of the watched nodes, by outcome (ok: at least one node answered).',
      labelNames: ['outcome'],
      registers,
    });
    this.raised = new Counter({
      name: 'pujiang_monitor_alerts_raised_total',
      help: 'Alerts raised (or raised again after resolving), by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.webhook = new Counter({
      name: 'pujiang_monitor_webhook_deliveries_total',
      help: 'Alert changes POSTed to the webhook, by outcome (delivered, failed after retries).',
      labelNames: ['outcome'],
      registers,
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
