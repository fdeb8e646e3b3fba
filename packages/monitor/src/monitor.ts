import { PujiangClient } from '@pujiang/sdk';
import { type Alert, AlertBook, type AlertChange } from './alerts.js';
import {
  type EvidenceJson,
  type GovernanceView,
  RegisteredMembers,
  readGovernance,
} from './governance-view.js';
import { MonitorMetrics, type MonitorSnapshot } from './metrics.js';
import {
  describeError,
  type NodeObservation,
  observeNode,
  type SignedHeight,
  signedHeights,
} from './observe.js';
import { type RiskReport, riskReport } from './risk.js';
import { certificateFindings, evidenceFindings, proposalFindings } from './watch/governance.js';
import {
  missedBlockFindings,
  missedBlocks,
  stallFindings,
  unreachableFindings,
  type ValidatorName,
} from './watch/liveness.js';
import { abuseFinding, failedCheckFindings, peerFindings, refusalCounts } from './watch/network.js';

export interface MonitorOptions {
  /** Base URLs of the nodes to watch (the API of each). */
  readonly nodes: readonly string[];
  /** Poll period (default 2,000 ms); governance's state is read every fourth poll. */
  readonly intervalMs?: number;
  /** Certificates and CAs expiring within this many days raise (default 30). */
  readonly expiryWarningDays?: number;
  /** No new height for this long raises `chain-stalled` (default 30,000 ms). */
  readonly stallMs?: number;
  /** Certificates looked at for missed blocks (default 10). */
  readonly window?: number;
  /** Refusals a minute on one node that count as API abuse (default 120). */
  readonly abusePerMinute?: number;
  /** Called with every alert change (the webhook, a log). */
  readonly onChange?: (change: AlertChange) => void;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/** Evidence records kept (each is an equivocation). */
const MAX_EVIDENCE_RECORDS = 10_000;

/** Headers fetched per poll at most, so a monitor started on a long chain catches up in steps. */
const MAX_HEADERS_PER_POLL = 64;

/**
 * The monitor: polls every node's public API and `/metrics`, follows the chain's
 * certificates and governance's state on the most advanced node, and keeps the alerts,
 * the metrics and the risk report current. `start` runs the loop; `poll` is one round.
 */
export class Monitor {
  readonly alerts: AlertBook;
  readonly metrics: MonitorMetrics;
  private readonly clients: PujiangClient[];
  private readonly o: Required<Omit<MonitorOptions, 'onChange' | 'log' | 'now'>> & MonitorOptions;
  private readonly now: () => number;
  private nodes: NodeObservation[] = [];
  private heights: SignedHeight[] = [];
  private height = 0;
  private heightSince: number;
  private chainId: string | null = null;
  private governance: GovernanceView | undefined;
  private names = new Map<string, ValidatorName>();
  private readonly nodeIds = new Map<string, string>();
  private readonly unreachableSince = new Map<string, number>();
  private readonly refusals = new Map<string, { at: number; counts: Record<string, number> }>();
  private readonly registered: RegisteredMembers;
  private readonly evidence = new Map<string, EvidenceJson>();
  private evidenceEventsRead = 0;
  private report: RiskReport | undefined;
  private polls = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(options: MonitorOptions) {
    this.o = {
      intervalMs: 2_000,
      expiryWarningDays: 30,
      stallMs: 30_000,
      window: 10,
      abusePerMinute: 120,
      ...options,
    };
    this.now = options.now ?? Date.now;
    this.heightSince = this.now();
    this.alerts = new AlertBook(this.now);
    this.clients = options.nodes.map(
      (url) => new PujiangClient({ url, timeoutMs: Math.max(1_000, this.o.intervalMs) }),
    );
    this.registered = new RegisteredMembers(options.nodes[0] ?? '');
    this.metrics = new MonitorMetrics(() => this.snapshot());
  }

  /** Polls now and then every interval until `stop`. */
  start(): void {
    const loop = async () => {
      if (this.stopped) return;
      const started = this.now();
      this.running = this.poll().catch((error) =>
        this.o.log?.(`monitor: poll failed: ${describeError(error)}`),
      );
      await this.running;
      if (this.stopped) return;
      this.timer = setTimeout(loop, Math.max(0, this.o.intervalMs - (this.now() - started)));
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.registered.close();
    await this.running;
  }

  /** One round: observe every node, then the chain on the most advanced, then every watcher. */
  async poll(): Promise<void> {
    const at = this.now();
    this.nodes = await Promise.all(
      this.clients.map((c) => observeNode(c, Math.max(1_000, this.o.intervalMs))),
    );
    const up = this.nodes.filter((n) => n.reachable && n.status);
    this.metrics.polls.inc({ outcome: up.length > 0 ? 'ok' : 'no-node' });
    for (const n of this.nodes) {
      if (n.status) this.nodeIds.set(n.url, n.status.nodeId);
      if (n.reachable) this.unreachableSince.delete(n.url);
      else if (!this.unreachableSince.has(n.url)) this.unreachableSince.set(n.url, at);
    }
    // The median node, not the highest: one node lying about its height must not set the
    // chain's height (a false stall, blind missed-block detection). Headers come from it.
    const source = medianNode(up);
    if (source?.status) {
      this.chainId = source.status.chainId;
      const median = source.status.height;
      if (median !== this.height) {
        if (median < this.height) this.heights = this.heights.filter((h) => h.height <= median);
        this.height = median;
        this.heightSince = at;
      }
      await this.followChain(this.clients.find((c) => c.url === source.url)!);
    }
    this.apply('liveness', [
      ...missedBlockFindings(this.heights, this.o.window, this.names),
      ...unreachableFindings(this.nodes, this.nodeIds, this.names, this.unreachableSince, at),
      ...stallFindings(this.height, this.heightSince, at, this.stallMs(), up.length),
    ]);
    this.apply('network', [...peerFindings(this.nodes), ...failedCheckFindings(this.nodes, at)]);
    this.apply('abuse', this.abuse(at));
    if (this.governance)
      this.apply('governance', [
        ...evidenceFindings(
          [...this.evidence.values()],
          this.registered.evidence,
          this.names,
          this.governance.validatorOrgs,
          this.chainId,
        ),
        ...certificateFindings(this.governance, at, this.o.expiryWarningDays),
        ...proposalFindings(this.governance, this.height),
      ]);
    this.report = this.buildReport(at);
    this.polls++;
  }

  /**
   * An idle chain makes a block only every `emptyBlockIntervalMs` (30 s on a new `pujiang up`
   * network): a stall is a height that has not moved for two of those and 10 s more, if that
   * is longer than `stallMs`.
   */
  private stallMs(): number {
    return Math.max(this.o.stallMs, 2 * (this.governance?.emptyBlockIntervalMs ?? 0) + 10_000);
  }

  private async followChain(client: PujiangClient): Promise<void> {
    this.registered.follow(client.url);
    const last =
      this.heights[this.heights.length - 1]?.height ?? Math.max(0, this.height - this.o.window * 2);
    const to = Math.min(this.height, last + MAX_HEADERS_PER_POLL);
    if (to > last) {
      const fresh = await signedHeights(client, last + 1, to).catch((error) => {
        this.o.log?.(`monitor: headers ${last + 1}-${to} from ${client.url}: ${describeError(error)}`);
        return [];
      });
      this.heights = [...this.heights, ...fresh].slice(-Math.max(100, this.o.window * 4));
    }
    // A new evidence event is read at once (its record verified and raised), not at the 4th poll.
    const events = this.registered.evidence.size;
    if (this.polls % 4 === 0 || !this.governance || events !== this.evidenceEventsRead) {
      this.evidenceEventsRead = events;
      const validators = await client.getValidators().then(
        (r) =>
          r.validators.map((v, index) => ({
            address: v.address,
            name: v.name ?? `validator ${index}`,
            publicKey: v.publicKey,
          })),
        () => [...this.names.values()],
      );
      this.governance = await readGovernance(client, validators, this.registered.addresses).catch((error) => {
        this.o.log?.(`monitor: governance from ${client.url}: ${describeError(error)}`);
        return this.governance;
      });
      // Records are kept once read: the query answers only the newest 100, and an
      // equivocation stays on the record (its alert never resolves).
      for (const e of this.governance?.evidence ?? [])
        if (this.evidence.size < MAX_EVIDENCE_RECORDS || this.evidence.has(e.id)) this.evidence.set(e.id, e);
      this.names = new Map(
        validators.map((v) => {
          const organization = this.governance?.validatorOrgs.get(v.address);
          return [
            v.address,
            {
              address: v.address,
              name: v.name,
              ...(organization ? { organization } : {}),
              ...(v.publicKey ? { publicKey: v.publicKey } : {}),
            },
          ];
        }),
      );
    }
  }

  private abuse(at: number) {
    const out = [];
    for (const n of this.nodes) {
      if (!n.samples) continue;
      const counts = refusalCounts(n.samples);
      const before = this.refusals.get(n.url);
      this.refusals.set(n.url, { at, counts });
      if (!before) continue;
      const f = abuseFinding(n.url, counts, before.counts, at - before.at, this.o.abusePerMinute);
      if (f) out.push(f);
    }
    return out;
  }

  private apply(watcher: string, findings: Parameters<AlertBook['update']>[1]): void {
    for (const change of this.alerts.update(watcher, findings)) {
      if (change.change === 'raised') this.metrics.raised.inc({ kind: change.alert.kind });
      this.o.log?.(`alert ${change.change}: [${change.alert.severity}] ${change.alert.summary}`);
      this.o.onChange?.(change);
    }
  }

  private buildReport(at: number): RiskReport {
    return riskReport({
      now: at,
      chainId: this.chainId,
      height: this.height,
      window: this.o.window,
      validators: [...this.names.values()],
      organizations: this.governance?.organizations.map((o) => o.id) ?? [],
      alerts: this.alerts.list(),
      missed: missedBlocks(this.heights, this.o.window),
    });
  }

  /** `GET /alerts`: the watched nodes and every alert, active first. */
  alertsJson(activeOnly = false): AlertsResponse {
    const alerts = activeOnly ? this.alerts.active() : this.alerts.list();
    return {
      generatedAt: this.now(),
      chainId: this.chainId,
      height: this.height,
      nodes: this.nodes.map((n) => ({
        url: n.url,
        reachable: n.reachable,
        height: n.status?.height ?? null,
        nodeId: n.status?.nodeId ?? this.nodeIds.get(n.url) ?? null,
        error: n.error ?? null,
      })),
      active: this.alerts.active().length,
      alerts,
    };
  }

  /** `GET /risk.json` (computed after every poll). */
  risk(): RiskReport {
    return this.report ?? this.buildReport(this.now());
  }

  private snapshot(): MonitorSnapshot {
    const gov = this.governance;
    return {
      alerts: this.alerts.list(),
      nodes: this.nodes.map((n) => ({ url: n.url, up: n.reachable, height: n.status?.height ?? 0 })),
      height: this.height,
      secondsSinceBlock: (this.now() - this.heightSince) / 1000,
      missed: missedBlocks(this.heights, this.o.window),
      names: new Map([...this.names].map(([a, v]) => [a, v.name])),
      bannedPeers: new Map(
        this.nodes.flatMap((n) => (n.peers ? [[n.url, n.peers.banned.length] as const] : [])),
      ),
      failedChecks: new Map(
        this.nodes.flatMap((n) =>
          n.peers
            ? [
                [
                  n.url,
                  {
                    signature: n.peers.totals.signatureFailures,
                    membership: n.peers.totals.membershipRefusals,
                  },
                ] as const,
              ]
            : [],
        ),
      ),
      evidence: Math.max(this.evidence.size, gov?.evidence.length ?? 0),
      expiringCertificates: this.alerts
        .active()
        .filter(
          (a) =>
            a.kind === 'certificate-expiring' || a.kind === 'certificate-expired' || a.kind === 'ca-expiring',
        ).length,
      timelockedProposals: this.alerts.active().filter((a) => a.kind === 'proposal-timelock').length,
      risk: this.report,
    };
  }
}

/**
 * The node reporting the median height of those that answer (the lower median when their
 * number is even): the chain's height as most nodes see it, at or above which a node's
 * headers are read. A minority of nodes reporting any height cannot move it.
 */
export function medianNode(up: readonly NodeObservation[]): NodeObservation | undefined {
  const sorted = up.filter((n) => n.status).sort((a, b) => a.status!.height - b.status!.height);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export interface AlertsResponse {
  readonly generatedAt: number;
  readonly chainId: string | null;
  readonly height: number;
  readonly nodes: readonly {
    readonly url: string;
    readonly reachable: boolean;
    readonly height: number | null;
    readonly nodeId: string | null;
    readonly error: string | null;
  }[];
  readonly active: number;
  readonly alerts: readonly Alert[];
}
