/**
 * The node's Prometheus metrics: counters, gauges and one latency histogram, rendered in the
 * text exposition format (version 0.0.4). Only what `/metrics` serves; no client library needed.
 */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram {
  private readonly counts = new Array<number>(LATENCY_BUCKETS_S.length).fill(0);
  count = 0;
  sum = 0;

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS_S.length; i++)
      if (seconds <= LATENCY_BUCKETS_S[i]!) this.counts[i]!++;
  }

  render(name: string, help: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    LATENCY_BUCKETS_S.forEach((le, i) => {
      lines.push(`${name}_bucket{le="${le}"} ${this.counts[i]}`);
    });
    lines.push(
      `${name}_bucket{le="+Inf"} ${this.count}`,
      `${name}_sum ${this.sum}`,
      `${name}_count ${this.count}`,
    );
    return lines;
  }
}

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

export class NodeMetrics {
  readonly commitLatency = new Histogram();
  readonly committedRate = new RateWindow();
  committedTxs = 0;
  failedTxs = 0;
  admittedTxs = 0;
  refusedTxs = 0;
  blocks = 0;
  /** Protocol offences of peers (undecodable messages, forged signatures, false blocks, floods). */
  peerOffences = 0;

  render(s: MetricsSnapshot): string {
    const gauge = (name: string, help: string, value: number) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} gauge`,
      `${name} ${value}`,
    ];
    const counter = (name: string, help: string, value: number) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} counter`,
      `${name} ${value}`,
    ];
    return `${[
      ...gauge('pujiang_height', 'Latest decided and committed height.', s.height),
      ...gauge('pujiang_consensus_round', 'Consensus round at the current height.', s.round),
      ...gauge('pujiang_mempool_size', 'Transactions waiting in the mempool.', s.mempoolSize),
      ...gauge('pujiang_mempool_bytes', 'Encoded bytes waiting in the mempool.', s.mempoolBytes),
      ...gauge('pujiang_peers', 'Connected peers.', s.peers),
      ...gauge(
        'pujiang_syncing',
        'Whether the node is more than a block behind its best peer (1) or not (0).',
        s.syncing ? 1 : 0,
      ),
      ...counter('pujiang_blocks_synced_total', 'Blocks committed through block sync.', s.syncedBlocks),
      ...counter('pujiang_gossip_txs_pulled_total', 'Transaction bodies pulled from peers.', s.txsPulled),
      ...counter('pujiang_gossip_txs_served_total', 'Transaction bodies served to peers.', s.txsServed),
      ...counter('pujiang_peer_offences_total', 'Protocol offences by peers.', this.peerOffences),
      ...gauge(
        'pujiang_txs_per_second',
        'Committed transactions per second over the last 10 s.',
        this.committedRate.perSecond(),
      ),
      ...counter('pujiang_blocks_committed_total', 'Blocks committed by this process.', this.blocks),
      ...counter('pujiang_txs_committed_total', 'Transactions committed (any outcome).', this.committedTxs),
      ...counter(
        'pujiang_txs_failed_total',
        'Committed transactions whose receipt is not OK.',
        this.failedTxs,
      ),
      ...counter('pujiang_txs_admitted_total', 'Transactions admitted to the mempool.', this.admittedTxs),
      ...counter('pujiang_txs_refused_total', 'Transactions refused at admission.', this.refusedTxs),
      ...this.commitLatency.render(
        'pujiang_commit_latency_seconds',
        'Time from mempool admission to commit, for transactions admitted here.',
      ),
    ].join('\n')}\n`;
  }
}
