import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PujiangError } from '@pujiang/types';
import type { Monitor } from './monitor.js';
import { riskHtml } from './risk.js';

/**
 * CORS headers for a request's origin: only origins the operator listed (`--cors`) may read
 * the answers from a page (the web console served by a node); no list, no header.
 */
function corsFor(origin: string | undefined, allowed: ReadonlySet<string>): Record<string, string> {
  if (!origin || !allowed.has(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, OPTIONS',
    'access-control-allow-headers': 'content-type',
    vary: 'origin',
  };
}

/**
 * The monitor's HTTP face: `GET /alerts` (JSON; `?active=true` for unresolved only),
 * `GET /metrics` (Prometheus), `GET /risk.json`, `GET /risk.html` (printable) and
 * `GET /healthz`. Read-only; anything else is a 404 or 405 with a JSON error body.
 */
export class MonitorServer {
  private readonly server: Server;

  private readonly origins: ReadonlySet<string>;

  constructor(
    private readonly monitor: Monitor,
    options: { readonly corsOrigins?: readonly string[] } = {},
  ) {
    this.origins = new Set(options.corsOrigins ?? []);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { code: 'MONITOR_INTERNAL', message: String(error) } });
        else res.destroy();
      });
    });
    this.server.requestTimeout = 10_000;
    this.server.headersTimeout = 10_000;
  }

  /** Resolves to the port it listens on. */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (error) =>
        reject(
          new PujiangError('MONITOR_LISTEN_FAILED', `cannot listen on ${host}:${port}`, {
            cause: error.message,
          }),
        ),
      );
      this.server.listen(port, host, () => resolve((this.server.address() as { port: number }).port));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://monitor');
    const cors = corsFor(req.headers.origin, this.origins);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: { code: 'MONITOR_METHOD_NOT_ALLOWED', message: 'read-only: GET' } }, cors);
      return;
    }
    switch (url.pathname) {
      case '/alerts':
        json(res, 200, this.monitor.alertsJson(url.searchParams.get('active') === 'true'), cors);
        return;
      case '/risk.json':
        json(res, 200, this.monitor.risk(), cors);
        return;
      case '/risk.html':
        send(res, 200, 'text/html; charset=utf-8', riskHtml(this.monitor.risk()), cors);
        return;
      case '/metrics':
        send(res, 200, this.monitor.metrics.registry.contentType, await this.monitor.metrics.render(), cors);
        return;
      case '/healthz':
        json(res, 200, { status: 'ok' }, cors);
        return;
      default:
        json(res, 404, { error: { code: 'MONITOR_NOT_FOUND', message: `no ${url.pathname} here` } }, cors);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  cors: Record<string, string> = {},
): void {
  res.writeHead(status, { ...cors, 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown, cors: Record<string, string> = {}): void {
  send(res, status, 'application/json', `${JSON.stringify(body)}\n`, cors);
}
