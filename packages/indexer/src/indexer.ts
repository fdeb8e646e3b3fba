import { type HashAlgorithm, isPujiangError, PujiangClient } from '@pujiang/sdk';
import type pg from 'pg';
import { type BatchLimits, batchSize, DEFAULT_BATCH_LIMITS } from './batcher.js';
import { type ChainIdentity, openCheckpoint } from './checkpoint.js';
import { indexerError, pgFailure } from './errors.js';
import { type BlockNotice, fetchBlock } from './fetcher.js';
import { keepAliveFetch } from './http-fetch.js';
import { Limiter } from './limiter.js';
import { connectPg } from './pg-connect.js';
import { declarationsOf, type EventDeclarations } from './records.js';
import { blockRows, type FetchedBlock } from './rows.js';
import { migrate } from './schema.js';
import { BlockSource } from './source.js';
import { writeBatch } from './writer.js';

export interface IndexerOptions {
  /** PostgreSQL connection URL. */
  readonly pg: string;
  /** The node's API base URL. */
  readonly node: string;
  /** First height to index into an empty database (default 1). */
  readonly from?: number;
  readonly batch?: Partial<BatchLimits>;
  /** Node requests in flight (default 16). */
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
  /** Called after each committed batch. */
  readonly onBatch?: (batch: BatchReport) => void;
}

export interface BatchReport {
  readonly fromHeight: number;
  readonly toHeight: number;
  readonly txs: number;
  /** Milliseconds the PostgreSQL transaction took. */
  readonly writeMs: number;
  /** The node's latest announced height when the batch committed. */
  readonly head: number;
}

const DEFAULT_CONCURRENCY = 16;

/** Errors of the node's API that a retry may cure (a restarting node, a timeout). */
const TRANSIENT = new Set(['SDK_NETWORK_ERROR', 'SDK_TIMEOUT', 'API_BUSY', 'SDK_HTTP_ERROR']);

interface Slot {
  readonly height: number;
  readonly txCount: number;
  readonly promise: Promise<void>;
  value?: FetchedBlock;
  error?: unknown;
}

async function nodeChain(client: PujiangClient): Promise<ChainIdentity & { chainHash: HashAlgorithm }> {
  try {
    const status = await client.getStatus();
    return { chainId: status.chainId, genesisHash: status.genesisHash, chainHash: status.chainHash };
  } catch (error) {
    throw indexerError(
      'INDEX_NODE_UNREACHABLE',
      `the node at ${client.url} does not answer: ${(error as Error).message}`,
      { node: client.url },
      error,
    );
  }
}

/** Each module's declared event attributes (`GET /v1/modules`), which the record rule follows. */
async function moduleDeclarations(nodeUrl: string): Promise<EventDeclarations> {
  let body: unknown;
  try {
    const response = await fetch(`${nodeUrl}/v1/modules`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw indexerError(
      'INDEX_NODE_UNREACHABLE',
      `GET ${nodeUrl}/v1/modules failed: ${(error as Error).message}`,
      { node: nodeUrl },
      error,
    );
  }
  const modules = (body as { modules?: unknown })?.modules;
  const wellFormed =
    Array.isArray(modules) &&
    modules.every(
      (m) =>
        typeof m?.name === 'string' &&
        (m.events === null ||
          (typeof m.events === 'object' &&
            Object.values(m.events).every((a) => Array.isArray(a) && a.every((n) => typeof n === 'string')))),
    );
  if (!wellFormed)
    throw indexerError('INDEX_NODE_INCONSISTENT', 'GET /v1/modules answered something else than modules', {
      node: nodeUrl,
    });
  return declarationsOf(body as Parameters<typeof declarationsOf>[0]);
}

/**
 * Follows a node into PostgreSQL: block announcements from the event stream, each block's
 * transactions and receipts fetched (in parallel, ahead of the writer, bounded), and blocks
 * written in order in batches, each batch and the checkpoint in one transaction. While
 * behind, a batch takes every block fetched during the previous write (up to the limits);
 * at the head each block is written as soon as it is fetched.
 */
export class Indexer {
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly source: BlockSource;
  private readonly limiter: Limiter;
  private readonly limits: BatchLimits;

  private constructor(
    private readonly options: IndexerOptions,
    private readonly db: pg.Client,
    private readonly node: { readonly client: PujiangClient },
    private readonly closeHttp: () => void,
    readonly chain: ChainIdentity & { chainHash: HashAlgorithm },
    private readonly declarations: EventDeclarations,
    private height: number,
  ) {
    this.limits = { ...DEFAULT_BATCH_LIMITS, ...options.batch };
    this.limiter = new Limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.source = new BlockSource(options.node, height + 1, (line) => this.log(line));
  }

  /** Connects to both, migrates the schema, checks the database's chain and reads the checkpoint. */
  static async open(options: IndexerOptions): Promise<Indexer> {
    let client: PujiangClient;
    const http = keepAliveFetch(options.concurrency ?? DEFAULT_CONCURRENCY);
    try {
      client = new PujiangClient({ url: options.node, timeoutMs: 30_000, fetch: http.fetch });
    } catch (error) {
      http.close();
      throw indexerError(
        'INDEX_NODE_UNREACHABLE',
        `--node must be a node's http(s) URL`,
        { node: options.node },
        error,
      );
    }
    let db: pg.Client;
    let chain: Awaited<ReturnType<typeof nodeChain>>;
    let declarations: EventDeclarations;
    try {
      chain = await nodeChain(client);
      declarations = await moduleDeclarations(client.url);
      db = await connectPg(options.pg);
    } catch (error) {
      http.close();
      throw error;
    }
    try {
      // One writer per database: a second indexer would race the checkpoint.
      const { rows } = await db.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('pujiang-indexer')) AS locked",
      );
      if (!rows[0]?.locked)
        throw indexerError('INDEX_LOCKED', 'another indexer is writing this database', {});
      await migrate(db);
      const height = await openCheckpoint(db, chain, options.from);
      return new Indexer(options, db, { client }, http.close, chain, declarations, height);
    } catch (error) {
      http.close();
      await db.end().catch(() => {});
      throw pgFailure(error, 'preparing the tables');
    }
  }

  /** The height the database is indexed through (the checkpoint). */
  get checkpoint(): number {
    return this.height;
  }

  /** The node's latest announced height. */
  get head(): number {
    return this.source.head;
  }

  /** Runs until `stop()` (resolves) or a fatal error (rejects, and the indexer stops). */
  run(): Promise<void> {
    this.running ??= this.loop().finally(() => {
      this.source.stop();
    });
    return this.running;
  }

  /** Stops after the batch being written commits, and closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.source.stop();
    await this.running?.catch(() => {});
    this.closeHttp();
    await this.db.end().catch(() => {});
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async loop(): Promise<void> {
    this.source.start();
    const pending: Slot[] = [];
    let nextFetch = this.height + 1;
    let aheadTxs = 0;
    const fill = () => {
      while (
        !this.stopping &&
        nextFetch <= this.source.head &&
        pending.length < this.limits.maxBlocks &&
        (pending.length === 0 || aheadTxs < this.limits.maxTxs)
      ) {
        const height = nextFetch++;
        const notice = this.source.take(height);
        const slot: Slot = { height, txCount: notice?.txCount ?? 0, promise: Promise.resolve() };
        (slot as { promise: Promise<void> }).promise = this.fetchWithRetry(height, notice).then(
          (value) => {
            slot.value = value;
          },
          (error: unknown) => {
            slot.error = error;
          },
        );
        aheadTxs += slot.txCount;
        pending.push(slot);
      }
    };
    const done = (s: Slot) => s.value !== undefined || s.error !== undefined;
    while (!this.stopping) {
      fill();
      const first = pending[0];
      if (!first || !done(first)) {
        await Promise.race([this.source.changed(), ...(first ? [first.promise] : [])]);
        continue;
      }
      let ready = 0;
      while (ready < pending.length && done(pending[ready]!)) {
        if (pending[ready]!.error !== undefined) {
          if (ready === 0) throw pending[0]!.error;
          break;
        }
        ready++;
      }
      const n = batchSize(
        pending.slice(0, ready).map((s) => s.value!.txs.length),
        this.limits,
      );
      const taken = pending.splice(0, n);
      for (const s of taken) aheadTxs -= s.txCount;
      fill(); // keep the node busy while PostgreSQL writes
      const rows = taken.map((s) => blockRows(this.declarations, s.value!));
      const started = performance.now();
      this.height = await writeBatch(this.db, this.height, rows).catch((error: unknown) => {
        throw pgFailure(error, `writing blocks ${taken[0]!.height} to ${taken.at(-1)!.height}`);
      });
      this.options.onBatch?.({
        fromHeight: taken[0]!.height,
        toHeight: this.height,
        txs: rows.reduce((t, r) => t + r.txs.length, 0),
        writeMs: performance.now() - started,
        head: this.source.head,
      });
    }
  }

  /** A block's fetch, retried while the node is unreachable (it may be restarting); other errors are final. */
  private async fetchWithRetry(height: number, notice: BlockNotice | undefined): Promise<FetchedBlock> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchBlock(this.node, this.chain.chainHash, this.limiter, height, notice);
      } catch (error) {
        if (this.stopping || !isPujiangError(error) || !TRANSIENT.has(error.code)) throw error;
        if (attempt % 10 === 0) this.log(`block ${height}: ${error.message}; retrying`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** Math.min(attempt, 6))));
      }
    }
  }
}
