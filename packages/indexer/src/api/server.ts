import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPujiangError } from '@pujiang/types';
import type pg from 'pg';
import { indexerError } from '../errors.js';
import { pgPool } from '../pg-connect.js';
import { route } from './routes.js';

const STATUS_OF: Record<string, number> = {
  INDEX_BAD_REQUEST: 400,
  INDEX_NOT_FOUND: 404,
  INDEX_METHOD_NOT_ALLOWED: 405,
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: unknown = {},
) {
  send(res, status, { error: { code, message, details } });
}

/**
 * Answers one request. Every refusal is a typed JSON error: 400 `INDEX_BAD_REQUEST`
 * (naming the parameter), 404 `INDEX_NOT_FOUND`, 405 `INDEX_METHOD_NOT_ALLOWED`, and 503
 * `INDEX_UNAVAILABLE` when PostgreSQL fails; nothing a request sends can throw past here.
 */
export async function handle(pool: pg.Pool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://indexer');
    const handler = route(pool, url.pathname, url.searchParams);
    if (!handler)
      return sendError(res, 404, 'INDEX_NOT_FOUND', `no endpoint ${url.pathname}`, { path: url.pathname });
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 405, 'INDEX_METHOD_NOT_ALLOWED', 'the index API is read-only: GET', {
        method: req.method,
      });
    send(res, 200, await handler());
  } catch (error) {
    if (isPujiangError(error) && STATUS_OF[error.code] !== undefined)
      return sendError(res, STATUS_OF[error.code]!, error.code, error.message, error.details);
    if (error instanceof URIError)
      return sendError(res, 400, 'INDEX_BAD_REQUEST', 'malformed percent-encoding', {});
    sendError(res, 503, 'INDEX_UNAVAILABLE', 'the index database did not answer', {
      reason: (error as Error)?.message ?? String(error),
    });
  }
}

export interface IndexApi {
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Parses `HOST:PORT` (`[v6]:PORT` too); port 0 picks a free one. */
export function parseListen(listen: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(listen);
  if (!m || Number(m[3]) > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port: Number(m[3]) };
}

/** Serves the read API on `host:port` from its own small pool of connections. */
export async function startIndexApi(pgUrl: string, host: string, port: number): Promise<IndexApi> {
  const pool = await pgPool(pgUrl);
  const server: Server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000 }, (req, res) => {
    void handle(pool, req, res);
  });
  server.maxConnections = 256;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw indexerError(
      'INDEX_LISTEN_FAILED',
      `cannot listen on ${host}:${port}: ${(error as Error).message}`,
      {
        host,
        port,
      },
    );
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end().catch(() => {});
    },
  };
}
