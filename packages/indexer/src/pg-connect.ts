import pg from 'pg';
import { indexerError } from './errors.js';

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(malformed URL)';
  }
}

/** Checks a PostgreSQL URL's form before any connection (`INDEX_PG_UNREACHABLE` naming the problem). */
export function checkPgUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw indexerError('INDEX_PG_UNREACHABLE', '--pg must be a postgres:// URL', { pg: redactUrl(url) });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw indexerError('INDEX_PG_UNREACHABLE', '--pg must be a postgres:// URL', { pg: redactUrl(url) });
}

/** One connection; a refusal, timeout or bad credential is `INDEX_PG_UNREACHABLE`, never a crash. */
export async function connectPg(url: string): Promise<pg.Client> {
  checkPgUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // An error after connecting (the server went away) surfaces on the next query; without a
  // listener it would be thrown at the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw indexerError(
      'INDEX_PG_UNREACHABLE',
      `cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`,
      { pg: redactUrl(url) },
      error,
    );
  }
  return client;
}

/** A pool for the read API, with the same checks. */
export async function pgPool(url: string, max = 4): Promise<pg.Pool> {
  checkPgUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 10_000,
  });
  pool.on('error', () => {});
  try {
    const c = await pool.connect();
    c.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw indexerError(
      'INDEX_PG_UNREACHABLE',
      `cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`,
      { pg: redactUrl(url) },
      error,
    );
  }
  return pool;
}
