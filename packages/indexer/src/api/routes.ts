import type pg from 'pg';
import { indexerError } from '../errors.js';
import { ADDRESS, badRequest, before, HASH, Params } from './params.js';

type Row = Record<string, unknown>;
type Query = (text: string, args?: unknown[]) => Promise<Row[]>;

const num = (v: unknown): number => Number(v);

function block(r: Row) {
  return {
    height: num(r.height),
    hash: r.hash,
    time: num(r.time_ms),
    txCount: num(r.tx_count),
    proposer: r.proposer,
  };
}

function tx(r: Row) {
  return {
    hash: r.hash,
    height: num(r.height),
    index: num(r.idx),
    sender: r.sender,
    module: r.module,
    type: r.type,
    code: r.code,
    gasUsed: num(r.gas_used),
    gasLimit: String(r.gas_limit),
    nonce: String(r.nonce),
  };
}

function event(r: Row) {
  return {
    height: num(r.height),
    txIndex: num(r.tx_index),
    eventIndex: num(r.event_index),
    txHash: r.tx_hash,
    module: r.module,
    type: r.type,
    attributes: r.attributes,
  };
}

function record(r: Row) {
  return {
    module: r.module,
    recordKind: r.kind,
    key: r.key,
    type: r.type,
    height: num(r.height),
    txIndex: num(r.tx_index),
    eventIndex: num(r.event_index),
    txHash: r.tx_hash,
    attributes: r.attributes,
  };
}

/** The cursor of the page after `rows` (null when the page was not full: nothing follows). */
function next(rows: readonly Row[], limit: number, keys: readonly string[]): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last ? keys.map((k) => String(last[k])).join('.') : null;
}

async function status(q: Query) {
  const [c] = await q(
    'SELECT chain_id, genesis_hash, height, block_rows, tx_rows, event_rows, account_rows, updated_at FROM checkpoint',
  );
  if (!c) throw indexerError('INDEX_NOT_FOUND', 'nothing indexed yet', {});
  return {
    chainId: c.chain_id,
    genesisHash: c.genesis_hash,
    height: num(c.height),
    rows: {
      blocks: num(c.block_rows),
      txs: num(c.tx_rows),
      events: num(c.event_rows),
      accounts: num(c.account_rows),
    },
    updatedAt: (c.updated_at as Date).toISOString(),
  };
}

async function blocks(q: Query, p: Params) {
  const limit = p.limit();
  const args: unknown[] = [];
  const where = before(['height'], p.cursor('before', 1), args);
  args.push(limit);
  const rows = await q(
    `SELECT * FROM blocks WHERE ${where} ORDER BY height DESC LIMIT $${args.length}`,
    args,
  );
  return { blocks: rows.map(block), next: next(rows, limit, ['height']) };
}

async function blockAt(q: Query, heightParam: string) {
  if (!/^[1-9][0-9]{0,14}$/.test(heightParam)) badRequest('height must be a positive integer', 'height');
  const [b] = await q('SELECT * FROM blocks WHERE height = $1', [heightParam]);
  if (!b)
    throw indexerError('INDEX_NOT_FOUND', `block ${heightParam} is not indexed`, { height: heightParam });
  const txs = await q('SELECT * FROM txs WHERE height = $1 ORDER BY idx LIMIT 1000', [heightParam]);
  return { block: block(b), txs: txs.map(tx) };
}

async function txs(q: Query, p: Params) {
  const limit = p.limit();
  const address = p.hex('address', ADDRESS, 'an address (42 hex digits)');
  const module = p.name('module');
  const type = p.name('type');
  const code = p.name('code');
  const cursor = p.cursor('before', 2);
  const args: unknown[] = [];
  const filters: string[] = [];
  const filter = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    args.push(value);
    filters.push(`t.${column} = $${args.length}`);
  };
  filter('module', module);
  filter('type', type);
  filter('code', code);
  let sql: string;
  if (address !== undefined) {
    // Every transaction that involves the address: sent by it, or naming it in an event.
    args.push(address);
    filters.push(`a.address = $${args.length}`, before(['a.height', 'a.tx_index'], cursor, args));
    args.push(limit);
    sql = `SELECT t.* FROM account_txs a JOIN txs t ON t.hash = a.tx_hash WHERE ${filters.join(' AND ')}
           ORDER BY a.height DESC, a.tx_index DESC LIMIT $${args.length}`;
  } else {
    filters.push(before(['t.height', 't.idx'], cursor, args));
    args.push(limit);
    sql = `SELECT t.* FROM txs t WHERE ${filters.join(' AND ')} ORDER BY t.height DESC, t.idx DESC LIMIT $${args.length}`;
  }
  const rows = await q(sql, args);
  return { txs: rows.map(tx), next: next(rows, limit, ['height', 'idx']) };
}

async function txByHash(q: Query, hashParam: string) {
  const hash = hashParam.toLowerCase();
  if (!HASH.test(hash)) badRequest('hash must be 64 hex digits', 'hash');
  const [t] = await q('SELECT * FROM txs WHERE hash = $1', [hash]);
  if (!t) throw indexerError('INDEX_NOT_FOUND', `transaction ${hash} is not indexed`, { hash });
  const events = await q(
    'SELECT * FROM events WHERE height = $1 AND tx_index = $2 ORDER BY event_index LIMIT 1000',
    [t.height, t.idx],
  );
  return { tx: tx(t), events: events.map(event) };
}

async function account(q: Query, addressParam: string) {
  const address = addressParam.toLowerCase();
  if (!ADDRESS.test(address)) badRequest('address must be 42 hex digits', 'address');
  const [a] = await q('SELECT * FROM accounts WHERE address = $1', [address]);
  if (!a) throw indexerError('INDEX_NOT_FOUND', `account ${address} is not indexed`, { address });
  return {
    account: {
      address,
      firstHeight: num(a.first_height),
      lastHeight: num(a.last_height),
      txCount: num(a.tx_count),
      sentCount: num(a.sent_count),
    },
  };
}

async function events(q: Query, p: Params) {
  const limit = p.limit();
  const args: unknown[] = [];
  const filters: string[] = [];
  for (const [column, value] of [
    ['module', p.name('module')],
    ['type', p.name('type')],
    ['tx_hash', p.hex('txHash', HASH, '64 hex digits')],
  ] as const) {
    if (value === undefined) continue;
    args.push(value);
    filters.push(`${column} = $${args.length}`);
  }
  const attributes = p.attributes();
  if (Object.keys(attributes).length > 0) {
    args.push(JSON.stringify(attributes));
    filters.push(`attributes @> $${args.length}::jsonb`);
  }
  filters.push(before(['height', 'tx_index', 'event_index'], p.cursor('before', 3), args));
  args.push(limit);
  const rows = await q(
    `SELECT * FROM events WHERE ${filters.join(' AND ')}
     ORDER BY height DESC, tx_index DESC, event_index DESC LIMIT $${args.length}`,
    args,
  );
  return { events: rows.map(event), next: next(rows, limit, ['height', 'tx_index', 'event_index']) };
}

async function records(q: Query, p: Params) {
  const limit = p.limit();
  const args: unknown[] = [];
  const filters: string[] = [];
  for (const [column, value] of [
    ['module', p.name('module')],
    ['kind', p.name('kind')],
    ['key', p.string('key')],
  ] as const) {
    if (value === undefined) continue;
    args.push(value);
    filters.push(`${column} = $${args.length}`);
  }
  filters.push(before(['height', 'tx_index', 'event_index'], p.cursor('before', 3), args));
  args.push(limit);
  const rows = await q(
    `SELECT * FROM module_records WHERE ${filters.join(' AND ')}
     ORDER BY height DESC, tx_index DESC, event_index DESC LIMIT $${args.length}`,
    args,
  );
  return { records: rows.map(record), next: next(rows, limit, ['height', 'tx_index', 'event_index']) };
}

/** What `q` names: a height, a block or transaction hash, an address, a record key (all that apply). */
async function searchAll(q: Query, p: Params) {
  const text = p.string('q')?.trim();
  if (!text) badRequest('q must name a height, a hash, an address or a record key', 'q');
  const hits: Record<string, unknown>[] = [];
  const lower = text.toLowerCase();
  if (/^[1-9][0-9]{0,14}$/.test(text))
    for (const b of await q('SELECT * FROM blocks WHERE height = $1', [text]))
      hits.push({ kind: 'block', ...block(b) });
  if (HASH.test(lower)) {
    for (const b of await q('SELECT * FROM blocks WHERE hash = $1', [lower]))
      hits.push({ kind: 'block', ...block(b) });
    for (const t of await q('SELECT * FROM txs WHERE hash = $1', [lower]))
      hits.push({ kind: 'tx', ...tx(t) });
  }
  if (ADDRESS.test(lower))
    for (const a of await q('SELECT * FROM accounts WHERE address = $1', [lower]))
      hits.push({
        kind: 'account',
        address: a.address,
        txCount: num(a.tx_count),
        lastHeight: num(a.last_height),
      });
  const keys = lower === text ? [text] : [text, lower];
  for (const r of await q(
    'SELECT * FROM module_records WHERE key = ANY($1) ORDER BY height DESC, tx_index DESC, event_index DESC LIMIT 20',
    [keys],
  ))
    hits.push({ kind: 'record', ...record(r) });
  return { hits };
}

/**
 * Chart series over block time: the range [from, to] (default: the indexed blocks' times)
 * in `buckets` equal spans; per span its blocks and transactions, and the value: `txs`,
 * transactions per second; `blockTime`, the mean milliseconds between consecutive blocks.
 */
async function series(q: Query, p: Params) {
  const metric = p.string('metric');
  if (metric !== 'txs' && metric !== 'blockTime') badRequest('metric must be txs or blockTime', 'metric');
  const buckets = p.int('buckets', 1, 200) ?? 30;
  const [range] = await q('SELECT min(time_ms) AS lo, max(time_ms) AS hi FROM blocks');
  const from = p.int('from', 0, 8_640_000_000_000_000) ?? (range?.lo === null ? 0 : num(range?.lo));
  const to = p.int('to', 0, 8_640_000_000_000_000) ?? (range?.hi === null ? 0 : num(range?.hi));
  if (to < from) badRequest('to must not be before from', 'to');
  const span = Math.max(1, Math.ceil((to - from + 1) / buckets));
  const rows = await q(
    `SELECT ((time_ms - $1) / $2)::int AS b, count(*) AS blocks, sum(tx_count) AS txs,
            avg(time_ms - prev) AS gap
     FROM (SELECT time_ms, tx_count, lag(time_ms) OVER (ORDER BY height) AS prev FROM blocks
           WHERE time_ms BETWEEN $1 AND $3) s
     GROUP BY b ORDER BY b`,
    [from, span, to],
  );
  const byBucket = new Map(rows.map((r) => [num(r.b), r]));
  return {
    metric,
    from,
    to,
    bucketMs: span,
    points: Array.from({ length: buckets }, (_, i) => {
      const r = byBucket.get(i);
      const txCount = r ? num(r.txs) : 0;
      const value =
        metric === 'txs' ? (txCount * 1000) / span : r?.gap === null || r === undefined ? null : num(r.gap);
      return {
        start: from + i * span,
        end: from + (i + 1) * span - 1,
        blocks: r ? num(r.blocks) : 0,
        txs: txCount,
        value,
      };
    }),
  };
}

/** Routes `GET path` to its handler; undefined when nothing matches. */
export function route(
  pool: pg.Pool,
  path: string,
  search: URLSearchParams,
): (() => Promise<unknown>) | undefined {
  const q: Query = async (text, args) => (await pool.query(text, args)).rows as Row[];
  const m = /^\/v1\/index\/([a-z]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  const [, name, id] = m;
  const params = (allowed: readonly string[], attrs = false) => new Params(search, allowed, attrs);
  if (id !== undefined) {
    const one = decodeURIComponent(id);
    params([]);
    if (name === 'blocks') return () => blockAt(q, one);
    if (name === 'txs') return () => txByHash(q, one);
    if (name === 'accounts') return () => account(q, one);
    return undefined;
  }
  switch (name) {
    case 'status':
      params([]);
      return () => status(q);
    case 'blocks':
      return () => blocks(q, params(['before', 'limit']));
    case 'txs':
      return () => txs(q, params(['address', 'module', 'type', 'code', 'before', 'limit']));
    case 'events':
      return () => events(q, params(['module', 'type', 'txHash', 'before', 'limit'], true));
    case 'records':
      return () => records(q, params(['module', 'kind', 'key', 'before', 'limit']));
    case 'search':
      return () => searchAll(q, params(['q']));
    case 'series':
      return () => series(q, params(['metric', 'buckets', 'from', 'to']));
    default:
      return undefined;
  }
}
