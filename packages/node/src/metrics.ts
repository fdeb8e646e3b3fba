import { createRequire } from 'node:module';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The node's Prometheus metrics, through prom-client: its default collectors (`process_*`
 * CPU, memory and file descriptors; `nodejs_*` event-loop lag, heap, GC) and the node's own
 * `pujiang_*` families, labelled where counts differ by them (refusals and failures by code,
 * commits by module, peer offences by type, API requests by route, method and status).
 * Each node has its own registry, so several nodes can share a process (the tests do).
 */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const API_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Committed transactions in a sliding window, for a txs/s gauge that needs no PromQL. */
export class RateWindow {
  private readonly samples: { at: number; n: number }[] = [];
  constructor(private readonly windowMs = 10_000) {}

  add(n: number, at = performance.now()): void {
    this.samples.push({ at, n });
    this.trim(at);
  }

  perSecond(at = performance.now()): number {
    this.trim(at);
    const total = this.samples.reduce((sum, s) => sum + s.n, 0);
    return total / (this.windowMs / 1000);
  }

  private trim(at: number): void {
    while (this.samples.length > 0 && this.samples[0]!.at < at - this.windowMs) this.samples.shift();
  }
}

/** The node's state at scrape time. */
export interface MetricsSnapshot {
  readonly height: number;
  readonly round: number;
  readonly mempoolSize: number;
  readonly mempoolBytes: number;
  readonly peers: number;
  readonly syncing: boolean;
  /** Blocks committed through block sync (not decided here). */
  readonly syncedBlocks: number;
  /** Transaction bodies pulled from peers and served to them (gossip). */
  readonly txsPulled: number;
  readonly txsServed: number;
}

export interface BuildInfo {
  readonly chainId: string;
  readonly chainHash: string;
  /** The node key's suite. */
  readonly suite: string;
  /** Which Ed25519 verifier runs (libsodium or OpenSSL). */
  readonly ed25519: string;
}

export class NodeMetrics {
  readonly registry = new Registry();
  readonly committedRate = new RateWindow();
  private snapshot: () => MetricsSnapshot = () => ({
    height: 0,
    round: 0,
    mempoolSize: 0,
    mempoolBytes: 0,
    peers: 0,
    syncing: false,
    syncedBlocks: 0,
    txsPulled: 0,
    txsServed: 0,
  });
  private readonly commitLatency: Histogram;
  private readonly committed: Counter<'module'>;
  private readonly failed: Counter<'module' | 'code'>;
  private readonly admitted: Counter;
  private readonly refused: Counter<'code'>;
  private readonly blocks: Counter;
  private readonly offences: Counter<'type'>;
  private readonly apiRequests: Counter<'route' | 'method' | 'status'>;
  private readonly apiDuration: Histogram<'route' | 'method' | 'status'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, value: (s: MetricsSnapshot) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect: function (this: Gauge) {
          this.set(value(snapshotOf()));
        },
      });
    // One snapshot per scrape would need a hook prom-client lacks; the reads are cheap.
    const snapshotOf = () => this.snapshot();
    gauge('pujiang_height', 'Latest decided and committed height.', (s) => s.height);
    gauge('pujiang_consensus_round', 'Consensus round at the current height.', (s) => s.round);
    gauge('pujiang_mempool_size', 'Transactions waiting in the mempool.', (s) => s.mempoolSize);
    gauge('pujiang_mempool_bytes', 'Encoded bytes waiting in the mempool.', (s) => s.mempoolBytes);
    gauge('pujiang_peers', 'Connected peers.', (s) => s.peers);
    gauge(
      'pujiang_syncing',
      'Whether the node is more than a block behind its best peer (1) or not (0).',
      (s) => (s.syncing ? 1 : 0),
    );
    gauge('pujiang_txs_per_second', 'Committed transactions per second over the last 10 s.', () =>
      this.committedRate.perSecond(),
    );
    const total = (name: string, help: string, value: (s: MetricsSnapshot) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect: function (this: Counter) {
          this.reset();
          this.inc(value(snapshotOf()));
        },
      });
    total('pujiang_blocks_synced_total', 'Blocks committed through block sync.', (s) => s.syncedBlocks);
    total('pujiang_gossip_txs_pulled_total', 'Transaction bodies pulled from peers.', (s) => s.txsPulled);
    total('pujiang_gossip_txs_served_total', 'Transaction bodies served to peers.', (s) => s.txsServed);
    this.blocks = new Counter({
      name: 'pujiang_blocks_committed_total',
      help: 'Blocks committed by this process.',
      registers,
    });
    this.committed = new Counter({
      name: 'pujiang_txs_committed_total',
      help: 'Transactions committed (any outcome), by module.',
      labelNames: ['module'],
      registers,
    });
    this.failed = new Counter({
      name: 'pujiang_txs_failed_total',
      help: "Committed transactions whose receipt is not OK, by module and the receipt's code.",
      labelNames: ['module', 'code'],
      registers,
    });
    this.admitted = new Counter({
      name: 'pujiang_txs_admitted_total',
      help: 'Transactions admitted to the mempool.',
      registers,
    });
    this.refused = new Counter({
      name: 'pujiang_txs_refused_total',
      help: "Transactions refused at admission, by the refusal's code.",
      labelNames: ['code'],
      registers,
    });
    this.offences = new Counter({
      name: 'pujiang_peer_offences_total',
      help: 'Protocol offences by peers, by type.',
      labelNames: ['type'],
      registers,
    });
    this.commitLatency = new Histogram({
      name: 'pujiang_commit_latency_seconds',
      help: 'Time from mempool admission to commit, for transactions admitted here.',
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
    this.apiRequests = new Counter({
      name: 'pujiang_api_requests_total',
      help: 'API requests answered, by route template, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.apiDuration = new Histogram({
      name: 'pujiang_api_request_duration_seconds',
      help: 'Time to answer an API request, by route template, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: API_BUCKETS_S,
      registers,
    });
  }

  /** Where scrapes read the node's state. */
  observe(snapshot: () => MetricsSnapshot): void {
    this.snapshot = snapshot;
  }

  /** `pujiang_build_info`: 1, labelled with what the node runs. */
  buildInfo(info: BuildInfo): void {
    new Gauge({
      name: 'pujiang_build_info',
      help: 'The build and chain this node runs: version, chain id and hash, node key suite, Ed25519 verifier.',
      labelNames: ['version', 'chain_id', 'chain_hash', 'suite', 'ed25519'],
      registers: [this.registry],
    }).set(
      {
        version: VERSION,
        chain_id: info.chainId,
        chain_hash: info.chainHash,
        suite: info.suite,
        ed25519: info.ed25519,
      },
      1,
    );
  }

  blockCommitted(): void {
    this.blocks.inc();
  }

  txCommitted(module: string, code: string): void {
    this.committed.inc({ module });
    if (code !== 'OK') this.failed.inc({ module, code });
  }

  txAdmitted(): void {
    this.admitted.inc();
  }

  txRefused(code: string): void {
    this.refused.inc({ code });
  }

  peerOffence(type: string): void {
    this.offences.inc({ type });
  }

  commitLatencySeconds(seconds: number): void {
    this.commitLatency.observe(seconds);
  }

  apiRequest(route: string, method: string, status: number, seconds: number): void {
    const labels = { route, method, status: String(status) };
    this.apiRequests.inc(labels);
    this.apiDuration.observe(labels, seconds);
  }

  /** The text exposition format (0.0.4). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
