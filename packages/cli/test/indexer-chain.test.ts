import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sqlRows, startPostgres, type TestPostgres } from '@pujiang/indexer/testing';
import { subscribe } from '@pujiang/sdk';
import { type LoadChain, signTransfers, startLoadChain, submitAll } from './indexer-harness.js';
import { api, type CliProcess, spawnCliUntil, until } from './node-harness.js';

const SENDERS = 100;
const PER_SENDER = 1_000; // 100,000 transfers

type Started = { event: string; api?: string; checkpoint: number };

/**
 * What the node's own event stream says through `height`, counted independently of the
 * indexer (which takes receipts from the API): blocks, transaction results and events.
 */
async function streamCounts(nodeApi: string, height: number) {
  const counts = { blocks: 0, txs: 0, events: 0 };
  let last = 0;
  let end = '';
  await new Promise<void>((resolve, reject) => {
    const s = subscribe({ url: nodeApi, fromHeight: 1 }, (m) => {
      if (m.type === 'error') return;
      if (m.type === 'caughtUp' || m.height > height) {
        end = `${m.type} at ${m.height}`;
        s.close();
        resolve();
        return;
      }
      if (m.type === 'block') {
        assert.equal(m.height, last + 1, 'the stream skips no block');
        last = m.height;
        counts.blocks++;
      } else if (m.type === 'tx') counts.txs++;
      else if (m.type === 'event') counts.events++;
    });
    void s.done.then((e) => (e ? reject(e) : resolve()));
  });
  assert.equal(last, height, `the stream ended (${end}) at block ${last}, before ${height}`);
  return counts;
}

/** `until`, polling every 200 ms: each probe of the checkpoint opens a PostgreSQL connection. */
async function slowly(probe: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('pujiang index: a chain of 100,000 transactions into PostgreSQL, with kill -9', () => {
  let pg: TestPostgres;
  let chain: LoadChain;
  let db: string;
  let indexer: CliProcess<Started> | undefined;
  const spawned: CliProcess<Started>[] = [];

  before(async () => {
    const starting = [
      startPostgres().then((s) => {
        pg = s;
      }),
      startLoadChain(SENDERS).then((c) => {
        chain = c;
      }),
    ];
    // Both settle before a failure is thrown, so that `after` stops what did start.
    await Promise.allSettled(starting);
    await Promise.all(starting);
    db = await pg.createDatabase('chain');
  });
  after(async () => {
    for (const p of spawned) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
    await chain?.cleanup();
    await pg?.stop();
  });

  const startIndexer = async () => {
    const p = await spawnCliUntil<Started>(
      ['index', '--pg', db, '--node', chain.node.api, '--listen', '127.0.0.1:0'],
      '"started"',
    );
    spawned.push(p);
    indexer = p;
    return p;
  };
  const checkpoint = async () =>
    (await sqlRows<{ height: string; tx_rows: string }>(db, 'SELECT height, tx_rows FROM checkpoint'))[0];

  it('reaches the head through two kill -9s and matches the node on every count and a sample of rows', async (t) => {
    const began = Date.now();
    const phase = (what: string) => t.diagnostic(`${what} at ${((Date.now() - began) / 1000).toFixed(1)} s`);
    const txs = signTransfers(chain, PER_SENDER);
    phase('signed');
    await startIndexer();
    const load = submitAll(chain.node.api, txs);
    load.catch(() => {});

    // The checkpoint, watched all along: it never moves back, across kills and restarts.
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const c = await checkpoint().catch(() => undefined);
        if (c) seen.push(Number(c.height));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    for (const killAt of [20_000, 55_000]) {
      // Bounds here and below are generous: this machine's cores are shared with other work.
      await slowly(async () => Number((await checkpoint())?.tx_rows ?? 0) >= killAt, 400_000).catch((e) => {
        throw new Error(`${e.message}: ${indexer!.stderr()}`);
      });
      phase(`killed at ${killAt} transactions`);
      indexer!.child.kill('SIGKILL');
      assert.equal(await indexer!.exited, null);
      const atKill = Number((await checkpoint())!.height);
      const restarted = await startIndexer();
      assert.equal(
        restarted.ready.checkpoint,
        atKill,
        'resumes from the checkpoint the killed one committed',
      );
    }
    await load;
    const head = await until(async () => {
      const { body } = await api(chain.node.api, '/v1/status');
      return body.mempool.size === 0 ? (body.height as number) : undefined;
    }, 400_000);
    phase(`all committed by height ${head}`);
    await slowly(async () => Number((await checkpoint())!.height) >= head, 400_000).catch((e) => {
      throw new Error(`${e.message}: ${indexer!.stderr()}`);
    });
    phase('indexed to the head');
    watching = false;
    await watcher;
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `checkpoint went back at ${i}`);

    // Row counts: against the node's event stream through the same height, and without gaps or repeats.
    const through = Number((await checkpoint())!.height);
    const node = await streamCounts(chain.node.api, through);
    phase('counted the stream');
    // The indexer goes on with the chain's empty blocks: counts are taken through `through`,
    // and the checkpoint's counters against the tables in one snapshot.
    const [counts] = await sqlRows<Record<string, string | boolean>>(
      db,
      `SELECT (SELECT count(*) FROM blocks WHERE height <= $1) AS blocks,
              (SELECT min(height) FROM blocks) AS lo, (SELECT max(height) FROM blocks WHERE height <= $1) AS hi,
              (SELECT count(*) FROM txs WHERE height <= $1) AS txs,
              (SELECT sum(tx_count) FROM blocks WHERE height <= $1) AS block_txs,
              (SELECT count(*) FROM events WHERE height <= $1) AS events,
              (SELECT count(*) FROM accounts) AS accounts,
              c.block_rows = (SELECT count(*) FROM blocks) AND c.tx_rows = (SELECT count(*) FROM txs)
                AND c.event_rows = (SELECT count(*) FROM events)
                AND c.account_rows = (SELECT count(*) FROM accounts)
                AND c.height = (SELECT max(height) FROM blocks) AS counters
       FROM checkpoint c`,
      [through],
    );
    assert.deepEqual(
      { blocks: Number(counts!.blocks), txs: Number(counts!.txs), events: Number(counts!.events) },
      node,
    );
    assert.equal(node.txs, SENDERS * PER_SENDER);
    assert.deepEqual([Number(counts!.lo), Number(counts!.hi), Number(counts!.blocks)], [1, through, through]);
    assert.equal(Number(counts!.block_txs), node.txs);
    assert.equal(counts!.counters, true, "the checkpoint's row counters match the tables");
    // Each sender sent 1,000 and received 1,000 (from the previous sender).
    const accounts = await sqlRows<{ address: string; tx_count: string; sent_count: string }>(
      db,
      'SELECT address, tx_count, sent_count FROM accounts WHERE address = ANY($1)',
      [chain.addresses],
    );
    assert.equal(accounts.length, SENDERS);
    for (const a of accounts)
      assert.deepEqual([Number(a.tx_count), Number(a.sent_count)], [2 * PER_SENDER, PER_SENDER]);

    // A sample of rows against the node's API.
    const sample = await sqlRows<Record<string, string | number>>(
      db,
      'SELECT * FROM txs ORDER BY md5(hash) LIMIT 40',
    );
    for (const row of sample) {
      const { body } = await api(chain.node.api, `/v1/txs/${row.hash}`);
      assert.deepEqual(
        [
          Number(row.height),
          Number(row.idx),
          row.code,
          Number(row.gas_used),
          String(row.nonce),
          row.module,
          row.type,
        ],
        [
          body.height,
          body.index,
          body.receipt.code,
          body.receipt.gasUsed,
          body.tx.nonce,
          body.tx.module,
          body.tx.type,
        ],
      );
      const sender = chain.senders.findIndex(
        (k) => Buffer.from(k.publicKey.bytes).toString('hex') === body.tx.publicKey,
      );
      assert.equal(row.sender, chain.addresses[sender]);
      const events = await sqlRows<{ module: string; type: string; attributes: unknown }>(
        db,
        'SELECT module, type, attributes FROM events WHERE tx_hash = $1 ORDER BY event_index',
        [row.hash],
      );
      assert.deepEqual(events, body.receipt.events);
    }
    const blocks = await sqlRows<Record<string, string>>(
      db,
      'SELECT * FROM blocks ORDER BY md5(hash) LIMIT 20',
    );
    for (const b of blocks) {
      const { body } = await api(chain.node.api, `/v1/blocks/${b.height}`);
      assert.deepEqual(
        [b.hash, b.time_ms, Number(b.tx_count), b.proposer],
        [body.hash, body.header.time, body.txHashes.length, body.header.proposer],
      );
    }

    // The read API over the same rows: status, and an account's history walked by keyset pages.
    const base = indexer!.ready.api!;
    const status = (await api(base, '/v1/index/status')).body;
    assert.deepEqual([status.rows.txs, status.rows.accounts], [node.txs, Number(counts!.accounts)]);
    assert.ok(status.rows.blocks >= through && status.height >= through);
    const pages: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { txs: { hash: string }[]; next: string | null } = (
        await api(
          base,
          `/v1/index/txs?address=${chain.addresses[7]}&limit=100${cursor ? `&before=${cursor}` : ''}`,
        )
      ).body;
      pages.push(...page.txs.map((t) => t.hash));
      cursor = page.next;
    }
    assert.equal(pages.length, 2 * PER_SENDER);
    assert.equal(new Set(pages).size, pages.length);
    const hit = (await api(base, `/v1/index/search?q=${sample[0]!.hash}`)).body.hits;
    assert.deepEqual(
      hit.map((h: { kind: string; hash: string }) => [h.kind, h.hash]),
      [['tx', sample[0]!.hash]],
    );

    // A second indexer on the same database is refused while this one runs.
    const second = await spawnCliUntil(['index', '--pg', db, '--node', chain.node.api], '"started"').then(
      () => 'started',
      (e: Error) => e.message,
    );
    assert.match(second, /INDEX_LOCKED/);
    phase('checked');
  });
});
