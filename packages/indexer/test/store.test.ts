import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import {
  blockRows,
  connectPg,
  declarationsOf,
  type FetchedBlock,
  type IndexApi,
  migrate,
  openCheckpoint,
  SCHEMA_VERSION,
  startIndexApi,
  writeBatch,
} from '../src/index.js';
import { sqlRows, startPostgres, type TestPostgres } from '../src/testing.js';

const A = 'a'.repeat(42);
const B = 'b'.repeat(42);
const chain = { chainId: 'test-chain', genesisHash: '1'.repeat(64) };
const declarations = declarationsOf({
  modules: [{ name: 'notary', events: { anchored: ['root', 'count', 'owner'] } }],
});
const hashOf = (height: number, index: number) =>
  `${height.toString(16).padStart(8, '0')}${index.toString(16).padStart(8, '0')}`.padEnd(64, 'e');

/** A block of `txs` transactions alternating senders A and B, each anchoring a root that names the other. */
function block(height: number, txs: number, attribute = 'plain'): FetchedBlock {
  return {
    height,
    hash: hashOf(height, 999),
    timeMs: 1_700_000_000_000 + height * 1000,
    proposer: A,
    txs: Array.from({ length: txs }, (_, index) => ({
      hash: hashOf(height, index),
      index,
      sender: index % 2 ? B : A,
      module: 'notary',
      type: 'anchor',
      nonce: String(height * 10 + index),
      gasLimit: '18446744073709551615',
      code: index === 1 ? 'NOTARY_DUPLICATE' : 'OK',
      gasUsed: 1000 + index,
      events: [
        {
          module: 'notary',
          type: 'anchored',
          attributes: {
            root: `root-${height}-${index}`,
            count: '1',
            owner: index % 2 ? A : B,
            note: attribute,
          },
        },
      ],
    })),
    hooks: [],
  };
}

describe('the tables: migrations, checkpointed batches, the read API', () => {
  let server: TestPostgres;
  let url: string;
  let db: pg.Client;
  let api: IndexApi;
  before(async () => {
    server = await startPostgres();
    url = await server.createDatabase('store');
    db = await connectPg(url);
  });
  after(async () => {
    await api?.close();
    await db?.end();
    await server?.stop();
  });

  it('migrates once, records the version, and refuses a newer schema', async () => {
    assert.equal(await migrate(db), 0);
    assert.equal(await migrate(db), SCHEMA_VERSION);
    const other = await server.createDatabase('newer');
    const c = await connectPg(other);
    try {
      await migrate(c);
      await c.query('UPDATE index_meta SET schema_version = $1', [SCHEMA_VERSION + 1]);
      await assert.rejects(migrate(c), { code: 'INDEX_SCHEMA_TOO_NEW' });
    } finally {
      await c.end();
    }
  });

  it('keeps the chain in the checkpoint: another chain and a gapped --from are refused', async () => {
    assert.equal(await openCheckpoint(db, chain, undefined), 0);
    assert.equal(await openCheckpoint(db, chain, 1), 0, 'from at checkpoint + 1 resumes');
    await assert.rejects(openCheckpoint(db, { ...chain, genesisHash: '2'.repeat(64) }, undefined), {
      code: 'INDEX_CHAIN_MISMATCH',
    });
    await assert.rejects(openCheckpoint(db, chain, 5), { code: 'INDEX_FROM_GAP' });
  });

  it('writes a batch and its checkpoint together, and nothing of a batch that fails', async () => {
    const tricky = 'tab\there, newline\nthere, back\\slash, 中文, "quotes"';
    let height = await writeBatch(
      db,
      0,
      [1, 2, 3].map((h) => blockRows(declarations, block(h, 4, tricky))),
    );
    assert.equal(height, 3);
    const [note] = await sqlRows<{ note: string }>(
      url,
      "SELECT attributes->>'note' AS note FROM events LIMIT 1",
    );
    assert.equal(note!.note, tricky, 'COPY escaping round-trips');
    // A gap is refused before anything is written; a repeat fails on the keys and rolls back.
    await assert.rejects(writeBatch(db, 3, [blockRows(declarations, block(5, 1))]), { code: 'INDEX_GAP' });
    await assert.rejects(writeBatch(db, 2, [blockRows(declarations, block(3, 1))]));
    // Another writer moved the checkpoint: the batch is refused and rolled back.
    await sqlRows(url, 'UPDATE checkpoint SET height = 10');
    await assert.rejects(writeBatch(db, 3, [blockRows(declarations, block(4, 2))]), { code: 'INDEX_GAP' });
    await sqlRows(url, 'UPDATE checkpoint SET height = 3');
    const [counts] = await sqlRows<Record<string, string>>(
      url,
      `SELECT (SELECT count(*) FROM blocks) b, (SELECT count(*) FROM txs) t, (SELECT count(*) FROM events) e,
              (SELECT count(*) FROM module_records) r, c.height, c.block_rows, c.tx_rows, c.event_rows, c.account_rows
       FROM checkpoint c`,
    );
    assert.deepEqual(Object.values(counts!).map(Number), [3, 12, 12, 12, 3, 3, 12, 12, 2]);
    height = await writeBatch(
      db,
      height,
      [4, 5].map((h) => blockRows(declarations, block(h, 150))),
    );
    assert.equal(height, 5);
    const accounts = await sqlRows<Record<string, string>>(url, 'SELECT * FROM accounts ORDER BY address');
    assert.deepEqual(
      accounts.map((a) => [a.address, a.first_height, a.last_height, a.tx_count, a.sent_count].map(String)),
      [
        [A, '1', '5', '312', '156'],
        [B, '1', '5', '312', '156'],
      ],
    );
  });

  it('serves the read API: pages, filters, search, series, and typed 4xx for bad parameters', async () => {
    api = await startIndexApi(url, '127.0.0.1', 0);
    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${api.url}${path}`, init);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      return { status: res.status, body: (await res.json()) as any };
    };
    const status = (await get('/v1/index/status')).body;
    assert.deepEqual(
      [status.chainId, status.height, status.rows],
      [chain.chainId, 5, { blocks: 5, txs: 312, events: 312, accounts: 2 }],
    );

    const blocks = (await get('/v1/index/blocks?limit=2')).body;
    assert.deepEqual(
      blocks.blocks.map((b: { height: number }) => b.height),
      [5, 4],
    );
    assert.equal(blocks.next, '4');
    assert.deepEqual(
      (await get('/v1/index/blocks?before=4&limit=100')).body.blocks.map((b: { height: number }) => b.height),
      [3, 2, 1],
    );
    assert.equal((await get('/v1/index/blocks?before=4&limit=100')).body.next, null);

    // Keyset pages over every transaction: each once, newest first.
    const seen: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { txs: { hash: string }[]; next: string | null } = (
        await get(`/v1/index/txs?limit=100${cursor ? `&before=${cursor}` : ''}`)
      ).body;
      seen.push(...page.txs.map((t) => t.hash));
      cursor = page.next;
    }
    assert.equal(seen.length, 312);
    assert.equal(new Set(seen).size, 312);
    assert.equal(seen[0], hashOf(5, 149));

    const failed = (await get('/v1/index/txs?code=NOTARY_DUPLICATE&limit=100')).body.txs;
    assert.equal(failed.length, 5);
    const byB = (await get(`/v1/index/txs?address=${B.toUpperCase()}&limit=3`)).body;
    assert.deepEqual(
      byB.txs.map((t: { hash: string }) => t.hash),
      [hashOf(5, 149), hashOf(5, 148), hashOf(5, 147)],
    );
    assert.equal(byB.next, '5.147');

    const one = (await get(`/v1/index/txs/${hashOf(2, 1)}`)).body;
    assert.deepEqual(
      [one.tx.sender, one.tx.gasUsed, one.tx.gasLimit, one.tx.code],
      [B, 1001, '18446744073709551615', 'NOTARY_DUPLICATE'],
    );
    assert.equal(one.events[0].attributes.root, 'root-2-1');
    assert.deepEqual((await get(`/v1/index/accounts/${A}`)).body.account, {
      address: A,
      firstHeight: 1,
      lastHeight: 5,
      txCount: 312,
      sentCount: 156,
    });

    const events = (await get('/v1/index/events?module=notary&type=anchored&attr.root=root-4-7')).body.events;
    assert.deepEqual(
      events.map((e: { height: number; txIndex: number }) => [e.height, e.txIndex]),
      [[4, 7]],
    );
    const records = (await get('/v1/index/records?module=notary&kind=root&key=root-3-2')).body.records;
    assert.equal(records.length, 1);

    const hits = async (q: string) =>
      (await get(`/v1/index/search?q=${encodeURIComponent(q)}`)).body.hits.map(
        (h: { kind: string }) => h.kind,
      );
    assert.deepEqual(await hits('3'), ['block']);
    assert.deepEqual(await hits(hashOf(3, 999)), ['block']);
    assert.deepEqual(await hits(hashOf(3, 1).toUpperCase()), ['tx']);
    assert.deepEqual(await hits(A), ['account']);
    assert.deepEqual(await hits('root-1-0'), ['record']);
    assert.deepEqual(await hits('nothing'), []);

    const series = (await get('/v1/index/series?metric=txs&buckets=5')).body;
    assert.equal(series.points.length, 5);
    assert.equal(
      series.points.reduce((n: number, p: { txs: number }) => n + p.txs, 0),
      312,
    );
    const gaps = (await get('/v1/index/series?metric=blockTime&buckets=1')).body;
    assert.equal(gaps.points[0].value, 1000);

    for (const [path, parameter] of [
      ['/v1/index/blocks?limit=0', 'limit'],
      ['/v1/index/blocks?limit=101', 'limit'],
      ['/v1/index/blocks?before=abc', 'before'],
      ['/v1/index/blocks?limit=1&limit=2', 'limit'],
      ['/v1/index/txs?sender=x', 'sender'],
      ['/v1/index/txs?address=xyz', 'address'],
      ['/v1/index/txs?before=1.2.3', 'before'],
      ['/v1/index/txs/zz', 'hash'],
      ['/v1/index/accounts/12', 'address'],
      ['/v1/index/events?attr.a%20b=1', 'attr.a b'],
      ['/v1/index/events?module=DROP%20TABLE', 'module'],
      ['/v1/index/series?metric=other', 'metric'],
      ['/v1/index/series?metric=txs&buckets=1000', 'buckets'],
      ['/v1/index/search', 'q'],
    ] as const) {
      const { status: code, body } = await get(path);
      assert.deepEqual(
        [code, body.error.code, body.error.details.parameter],
        [400, 'INDEX_BAD_REQUEST', parameter],
        path,
      );
    }
    assert.equal((await get('/v1/index/txs/%E0%A4%A')).status, 400);
    assert.deepEqual((await get(`/v1/index/txs/${'0'.repeat(64)}`)).body.error.code, 'INDEX_NOT_FOUND');
    assert.equal((await get('/v1/index/nothing')).status, 404);
    assert.equal((await get('/v1/index/status', { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${api.url}/v1/index/status`, { method: 'OPTIONS' })).status, 204);
    assert.equal((await get('/v1/index/status')).status, 200, 'still serving');
  });
});
