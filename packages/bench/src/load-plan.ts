import type { SuiteId } from '@pujiang/crypto';
import type { Erc20Load } from './eth/erc20.js';
import type { TxMessage } from './payloads.js';

/**
 * The contract between the orchestrator and one load-generator process: the plan goes in
 * as a JSON file, progress and the result come back as JSON lines on stdout.
 */
export interface LoadPlan {
  /**
   * The chain under load: a Pujiang node (default), or the peer, an Ethereum development
   * chain (`chainId` is then its decimal chain id and `suite` 'secp256k1', its signature scheme).
   */
  readonly target?: 'pujiang' | 'eth';
  /**
   * The nodes' APIs: each sender submits to one of them (sender i to `apiUrls[i % n]`); the
   * first one's block stream is what is counted.
   */
  readonly apiUrls: readonly string[];
  readonly chainId: string;
  readonly suite: SuiteId;
  /** Secret keys (hex) of accounts funded at genesis; each sends to the next one. */
  readonly senders: readonly string[];
  /** What each transaction carries (default: a transfer to the next sender). */
  readonly message?: TxMessage;
  /** With `target: 'eth'`: ERC-20 transfers (the evm group, on Pujiang's `/rpc` or the peer) instead of value transfers. */
  readonly erc20?: Erc20Load;
  /** Offered submissions per second (first tries and retries together). */
  readonly rate: number;
  /** Seconds of offering; the first `warmupSeconds` are not measured. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Per-transaction results over the WebSocket (for latency), or blocks only (less work for the node). */
  readonly watchTxs: boolean;
  readonly maxBatch: number;
  /** Requests in flight per node API. */
  readonly maxInFlight: number;
  /**
   * At most this many transactions admitted but not yet seen committed: above it the schedule
   * waits for blocks. At saturation it bounds the backlog (and so the drain) to a few blocks'
   * worth, which is all a pipelined chain needs to stay busy.
   */
  readonly maxOutstanding?: number;
  /** After offering stops, at most this long to get every admitted transaction committed. */
  readonly drainSeconds: number;
  /** After the drain, look up this many of the sent transactions (spread evenly) and report their receipt codes. */
  readonly sampleReceipts?: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

export interface LoadResult {
  readonly signed: number;
  readonly signPerSecond: number;
  /** Submissions per second actually made in the measured window (may fall short of the plan's rate). */
  readonly offeredPerSecond: number;
  readonly admitted: number;
  /** Refusals by error code (`HTTP_<status>` for a failed request), retried ones included. */
  readonly refused: Readonly<Record<string, number>>;
  /** Committed transactions between the first and the last block that arrived in the window. */
  readonly committed: { readonly txs: number; readonly blocks: number; readonly seconds: number };
  /** This run's transactions in blocks that arrived before the window started and before it ended. */
  readonly committedBefore: { readonly start: number; readonly end: number };
  /** Commit latency in ms of transactions sent in the window (only when watching transactions). */
  readonly latencyMs?: LatencySummary;
  /** Receipt codes of our committed transactions other than OK (only when watching transactions). */
  readonly failedReceipts: Readonly<Record<string, number>>;
  /** Admitted transactions not seen committed when the drain ended. */
  readonly undrained: number;
  /** This run's transactions in every block seen, window or not (for per-transaction disk use). */
  readonly committedTotal: number;
  /** Receipt codes of the sampled transactions (`sampleReceipts`); NOT_COMMITTED for those not in a block. */
  readonly sampledReceipts?: Readonly<Record<string, number>>;
  /** CPU the load generator used during the window, in cores. */
  readonly cpuCores: number;
}

/** Lines a load generator prints: the edges of the measured window, then its result. */
export type LoadMessage =
  | { readonly type: 'window'; readonly edge: 'start' | 'end' }
  | { readonly type: 'result'; readonly result: LoadResult };

/** Lines the node process prints: its API address once serving, and resource usage when asked. */
export type NodeMessage =
  | { readonly type: 'ready'; readonly apiUrl: string }
  | { readonly type: 'usage'; readonly usage: ProcessUsage };

/** Cumulative counters; the orchestrator takes differences over a window. */
export interface ProcessUsage {
  readonly atMs: number;
  /** The monotonic clock in microseconds (`process.hrtime`), which CPU profile timestamps use. */
  readonly monotonicUs: number;
  /** User + system CPU of all threads (main and verification workers), microseconds. */
  readonly cpuMicros: number;
  /** Main event loop busy and idle time, ms (our nodes only: a peer chain's process is sampled from outside). */
  readonly loopActiveMs?: number;
  readonly loopIdleMs?: number;
  /** Peak resident memory of the process so far, bytes. */
  readonly peakRssBytes: number;
  /**
   * Peak anonymous resident memory (heaps and native allocations, without file pages such as
   * the LMDB map's, which the kernel may drop), sampled; undefined where /proc is missing.
   */
  readonly peakAnonBytes?: number;
}
