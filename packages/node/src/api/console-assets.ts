import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { PujiangError } from '@pujiang/types';

/** Where the web console's built files are, and the services it may use beside the node. */
export interface ConsoleOptions {
  /** The console's build (`@pujiang/console`'s `dist/app`): index.html and assets/. */
  readonly dir: string;
  /** An indexer's read API (`pujiang index --listen`), for history, search and charts. */
  readonly indexer?: string;
  /** A monitor (`pujiang monitor --listen`), whose alerts the console shows. */
  readonly monitor?: string;
}

const MEDIA: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonld': 'application/ld+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** At most this much of a console build is held in memory (a build is about 1 MiB). */
const MAX_BUILD_BYTES = 32 * 1024 * 1024;

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  /** Vite names its assets by content hash: they never change, so they are cached for good. */
  readonly immutable: boolean;
}

/**
 * The console's files, read once when the node starts and served from memory at
 * `/console/...`: nothing a request names reaches the file system, so no path can escape
 * the build. Any other path under `/console/` is the app itself (it routes in the page).
 * `/console/config.json` tells the page which indexer and monitor this node's operator
 * pointed it to.
 */
export class ConsoleAssets {
  private readonly files = new Map<string, Asset>();
  /** The origins the page may reach besides its own: the configured indexer and monitor. */
  private readonly services: readonly string[];

  constructor(options: ConsoleOptions) {
    let total = 0;
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const stat = statSync(path);
        if (stat.isDirectory()) walk(path);
        else if (stat.isFile()) {
          total += stat.size;
          if (total > MAX_BUILD_BYTES)
            throw new PujiangError('CONFIG_INVALID', `the console build in ${options.dir} is too large`, {
              dir: options.dir,
            });
          const key = relative(options.dir, path).split(sep).join('/');
          const ext = name.slice(name.lastIndexOf('.'));
          this.files.set(key, {
            body: readFileSync(path),
            type: MEDIA[ext] ?? 'application/octet-stream',
            immutable: key.startsWith('assets/'),
          });
        }
      }
    };
    try {
      walk(options.dir);
    } catch (error) {
      if (error instanceof PujiangError) throw error;
      throw new PujiangError('CONFIG_INVALID', `cannot read the console build in ${options.dir}`, {
        dir: options.dir,
        cause: (error as Error).message,
      });
    }
    if (!this.files.has('index.html'))
      throw new PujiangError('CONFIG_INVALID', `no index.html in the console build ${options.dir}`, {
        dir: options.dir,
      });
    const settings = {
      ...(options.indexer ? { indexer: options.indexer } : {}),
      ...(options.monitor ? { monitor: options.monitor } : {}),
    };
    this.services = [options.indexer, options.monitor].flatMap((url) => {
      if (!url) return [];
      try {
        const origin = new URL(url).origin;
        return /^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(origin) ? [origin] : [];
      } catch {
        return [];
      }
    });
    this.files.set('config.json', {
      body: Buffer.from(JSON.stringify(settings)),
      type: MEDIA['.json']!,
      immutable: false,
    });
  }

  /** Whether this request is the console's (a GET or HEAD of `/console` or below), answered if so. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path !== '/console' && !path.startsWith('/console/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    req.resume();
    if (path === '/console') {
      res.writeHead(308, { location: '/console/' });
      res.end();
      return true;
    }
    let key: string;
    try {
      key = decodeURIComponent(path.slice('/console/'.length));
    } catch {
      key = 'index.html';
    }
    const file = this.files.get(key === '' ? 'index.html' : key);
    // A missing asset is a 404 (a stale page asking for an old build's file), not the app.
    if (!file && key.startsWith('assets/')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return true;
    }
    const asset = file ?? this.files.get('index.html')!;
    // The page's event stream is a WebSocket to this same host: CSP's 'self' does not cover
    // ws: in every browser, so the host the page was loaded from is named for ws:/wss: too.
    const host = req.headers.host;
    const sameHostSockets =
      host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
    const connect = ["'self'", ...sameHostSockets, ...this.services].join(' ');
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      // The page talks to this node and to the indexer and monitor its operator configured:
      // nothing else, so a script that got into the page has nowhere else to send a key.
      'content-security-policy': `default-src 'self'; connect-src ${connect}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  }
}
