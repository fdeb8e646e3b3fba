import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConsoleAssets } from '../src/api/console-assets.js';
import { parseConfig } from '../src/host/config.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so paths reach the server exactly as written (no client-side normalisation). */
function send(port: number, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += String(d);
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console served by a node', () => {
  let dir: string;
  let server: Server;
  let port: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pujiang-console-assets-'));
    mkdirSync(join(dir, 'app', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'app', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'app', 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside the build');
    const assets = new ConsoleAssets({
      dir: join(dir, 'app'),
      indexer: 'http://127.0.0.1:9000',
      monitor: 'http://127.0.0.1:9100',
    });
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!assets.serve(req, res, path)) {
        res.writeHead(404);
        res.end('api');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app at /console/ with a strict content security policy', async () => {
    const redirect = await send(port, 'GET', '/console');
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.location, '/console/');
    const index = await send(port, 'GET', '/console/');
    assert.equal(index.status, 200);
    assert.equal(index.body, '<!doctype html><title>console</title>');
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.match(String(index.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(index.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
  });

  it('lets the page connect only to its node (and its WebSocket), the indexer and the monitor', async () => {
    const index = await send(port, 'GET', '/console/');
    const csp = String(index.headers['content-security-policy']);
    const connect = /connect-src ([^;]*)/.exec(csp)?.[1]?.split(' ');
    assert.deepEqual(connect, [
      "'self'",
      `ws://127.0.0.1:${port}`,
      `wss://127.0.0.1:${port}`,
      'http://127.0.0.1:9000',
      'http://127.0.0.1:9100',
    ]);
  });

  it('serves hashed assets as immutable, and a missing asset is a 404, not the app', async () => {
    const js = await send(port, 'GET', '/console/assets/index-abc123.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await send(port, 'GET', '/console/assets/index-old.js')).status, 404);
    const head = await send(port, 'HEAD', '/console/assets/index-abc123.js');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  it('answers the page routes with the app, and never a file outside the build', async () => {
    for (const path of [
      '/console/explorer/tx/ab',
      '/console/..%2Fsecret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2F..%2Fsecret.txt',
    ]) {
      const answer = await send(port, 'GET', path);
      assert.ok(!answer.body.includes('outside the build'), path);
      assert.ok(answer.status === 200 || answer.status === 404, `${path}: ${answer.status}`);
    }
  });

  it('tells the page which indexer and monitor to use, and leaves other paths and methods to the API', async () => {
    const config = await send(port, 'GET', '/console/config.json');
    assert.deepEqual(JSON.parse(config.body), {
      indexer: 'http://127.0.0.1:9000',
      monitor: 'http://127.0.0.1:9100',
    });
    assert.equal((await send(port, 'POST', '/console/')).body, 'api');
    assert.equal((await send(port, 'GET', '/consoles')).body, 'api');
    assert.equal((await send(port, 'GET', '/v1/status')).body, 'api');
  });

  it('refuses a folder without a build, with a typed error', () => {
    assert.throws(() => new ConsoleAssets({ dir: join(dir, 'missing') }), { code: 'CONFIG_INVALID' });
    assert.throws(
      () => new ConsoleAssets({ dir }),
      (e: { code?: string; message?: string }) => {
        // `dir` holds app/ and secret.txt but no index.html at its top.
        return e.code === 'CONFIG_INVALID' && /index\.html/.test(e.message ?? '');
      },
    );
  });

  it('reads the console section of config.json, refusing what is malformed', () => {
    assert.deepEqual(parseConfig({}).console, { enabled: true });
    assert.deepEqual(parseConfig({ console: { enabled: false, indexer: 'http://10.0.0.5:9000/' } }).console, {
      enabled: false,
      indexer: 'http://10.0.0.5:9000',
    });
    for (const bad of [
      { enabled: 'yes' },
      { indexer: 'ftp://x' },
      { monitor: 'javascript:alert(1)' },
      { indexer: 42 },
    ])
      assert.throws(() => parseConfig({ console: bad }), { code: 'CONFIG_INVALID' });
  });
});
