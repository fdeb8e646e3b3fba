import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadKeyFile, PujiangClient, submitProposal } from '@pujiang/sdk';
import {
  axeViolations,
  type ConsoleBrowser,
  describeViolations,
  launchConsoleBrowser,
  startConsoleNetwork,
  stopConsoleNetwork,
} from './console-harness.js';
import { until } from './node-harness.js';
import type { UpProcess } from './up-harness.js';

/**
 * The console behind a lying node: an HTTP proxy in front of a real node rewrites some JSON
 * answers and passes the rest (the page, the genesis, headers, proofs, the event stream)
 * through. One proxy changes query results but not the proofs: the page must show what the
 * proven reads hold, under a green badge. The other alters a proven read: the page must say
 * the proof was refused. Either way the lie never appears under "Proven".
 */

/** Rewrites a JSON answer for a request path (with its query), or returns undefined to pass it on. */
type Rewrite = (path: string, body: unknown) => unknown;

interface LyingProxy {
  readonly url: string;
  /** How many answers it rewrote: the lie was really told. */
  readonly rewrites: () => number;
  close(): Promise<void>;
}

async function startLyingProxy(target: string, rewrite: Rewrite): Promise<LyingProxy> {
  const { hostname, port } = new URL(target);
  const upstreamHost = `${hostname}:${port}`;
  let count = 0;
  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        host: hostname,
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstreamHost, 'accept-encoding': 'identity' },
      },
      (answer: IncomingMessage) => {
        if (!/application\/json/.test(String(answer.headers['content-type'] ?? ''))) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          const changed = rewrite(req.url ?? '/', JSON.parse(body.toString('utf8')));
          if (changed !== undefined) {
            body = Buffer.from(JSON.stringify(changed));
            count++;
          }
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  server.on('connection', track);
  // The event stream's WebSocket goes through untouched.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const upstream = connect(Number(port), hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${/^host$/i.test(name) ? upstreamHost : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rewrites: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const TITLE = 'Idle blocks every 700 ms';
const LIE = 'Pay mallory a million';
const LYING_ORG = 'Mallory Holdings';
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

interface Answer {
  result: unknown;
  reads?: { key: string; value: string | null }[];
}

/** The node's word changed, its proofs passed on: proposals' titles and statuses, organizations' names, identities' organization and role. */
const lieInResults: Rewrite = (path, body) => {
  const answer = body as Answer;
  if (path.startsWith('/v1/query/governance/proposals'))
    return {
      ...answer,
      result: (answer.result as Record<string, unknown>[]).map((p) => ({
        ...p,
        title: LIE,
        status: 'vetoed',
      })),
    };
  if (path.startsWith('/v1/query/governance/identity'))
    return { ...answer, result: { ...(answer.result as object), org: LYING_ORG, role: 'regulator' } };
  if (path.startsWith('/v1/query/governance/organizations'))
    return {
      ...answer,
      result: (answer.result as Record<string, unknown>[]).map((o) => ({ ...o, name: LYING_ORG })),
    };
  return undefined;
};

/** A proven read's value altered (the proposal's title, same length so it still decodes), the result to match. */
const lieInReads: Rewrite = (path, body) => {
  if (!path.startsWith('/v1/query/governance/proposals')) return undefined;
  const answer = body as Answer;
  const swap = (text: string) => text.replace('Idle', 'Evil');
  return {
    ...answer,
    result: (answer.result as Record<string, unknown>[]).map((p) => ({ ...p, title: swap(String(p.title)) })),
    reads: answer.reads?.map((r) => ({
      ...r,
      value: r.value === null ? null : r.value.replace(hex('Idle'), hex('Evil')),
    })),
  };
};

describe('web console: a lying node cannot put its word under a Proven badge', () => {
  let dir: string;
  let up: UpProcess;
  let browser: ConsoleBrowser;
  let lyingResults: LyingProxy;
  let lyingReads: LyingProxy;
  let proposalId: string;
  let orgName: string;
  let api: string;
  const keyPath = (i: number) => join(dir, 'net', `node${i}`, 'keys', 'operator.json');

  before(async () => {
    const network = await startConsoleNetwork('pujiang-console-lying-');
    ({ dir, up } = network);
    api = network.nodes[0]!.api;
    const client = new PujiangClient({ url: api });
    const proposed = await submitProposal(client, {
      key: loadKeyFile(keyPath(0)),
      wait: true,
      title: TITLE,
      action: { type: 'setPacing', value: { emptyBlockIntervalMs: 700 } },
    });
    proposalId = proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
    orgName = ((await client.query('governance', 'organizations')).result as { name: string }[])[0]!.name;
    lyingResults = await startLyingProxy(api, lieInResults);
    lyingReads = await startLyingProxy(api, lieInReads);
    browser = await launchConsoleBrowser();
  });

  after(async () => {
    await lyingResults?.close();
    await lyingReads?.close();
    await stopConsoleNetwork(browser, up, dir);
  });

  it('shows proposals and organizations decoded from the proven reads, not the rewritten answer', async () => {
    const { page } = await browser.open();
    await page.goto(`${lyingResults.url}/console/#/governance`);
    const section = page.getByRole('region', { name: 'Proposals' });
    await section.locator('[data-proof="proven"]').waitFor({ timeout: 30_000 });
    const card = page.locator(`[data-proposal="${proposalId}"]`);
    await card.waitFor();
    assert.ok(lyingResults.rewrites() > 0, 'the proxy told its lie');
    assert.match(await card.innerText(), new RegExp(TITLE));
    assert.equal(await card.getAttribute('data-status'), 'voting');
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(LIE));

    // The confirmation before signing names the proven title, not the node's.
    await page.getByLabel('Load a key file (it stays in this page)').setInputFiles(keyPath(1));
    await page.getByTestId('key-address').waitFor();
    // Whose key it is comes from the proven identity record, not the node's answer.
    await page.getByTestId('key-loader').getByText('member of org1 as admin').waitFor({ timeout: 20_000 });
    assert.doesNotMatch(await page.getByTestId('key-loader').innerText(), new RegExp(LYING_ORG));
    await card.getByRole('button', { name: `Approve #${proposalId}` }).click();
    assert.equal(await page.getByTestId('confirm-title').innerText(), TITLE);
    const confirmViolations = await axeViolations(page);
    assert.equal(confirmViolations.length, 0, describeViolations(confirmViolations));
    await page.getByTestId('confirm').getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${lyingResults.url}/console/#/orgs`);
    const orgs = page.getByRole('region', { name: 'Member organizations' });
    await orgs.locator('.card-head [data-proof="proven"]').waitFor({ timeout: 30_000 });
    await until(async () => ((await orgs.innerText()).includes(orgName) ? true : undefined), 20_000);
    // The members' organizations and roles too: every row proven, none the node's rewritten word.
    const rows = page.getByRole('region', { name: 'Members' }).locator('tbody tr');
    await rows.first().locator('[data-proof="proven"]').waitFor({ timeout: 30_000 });
    assert.equal(await rows.locator('[data-proof="proven"]').count(), await rows.count());
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(LYING_ORG));
  });

  it('refuses the proof when a proven read is altered, and will not sign for it', async () => {
    const { page } = await browser.open();
    await page.goto(`${lyingReads.url}/console/#/governance`);
    const section = page.getByRole('region', { name: 'Proposals' });
    await section.locator('[data-proof="failed"]').waitFor({ timeout: 30_000 });
    assert.ok(lyingReads.rewrites() > 0, 'the proxy altered a read');
    assert.equal(await section.locator('[data-proof="proven"]').count(), 0);
    assert.match(await section.locator('[data-proof="failed"]').innerText(), /Proof refused/);
    // Nothing to confirm: the page signs only for a proposal it proved.
    await page.getByLabel('Load a key file (it stays in this page)').setInputFiles(keyPath(1));
    await page.getByTestId('key-address').waitFor();
    const card = page.locator(`[data-proposal="${proposalId}"]`);
    await card.getByRole('button', { name: `Approve #${proposalId}` }).click();
    await page.getByTestId('confirm').waitFor();
    assert.equal(await page.getByTestId('confirm-sign').isDisabled(), true);
  });

  it('takes no genesis on first use from a node a ?node= link names', async () => {
    const { page } = await browser.open();
    const pins = `Object.keys(localStorage).filter((k) => k.startsWith('pujiang.genesis')).sort()`;
    // The page served by one node (here the proxy) is pointed at another: it asks for a pin.
    await page.goto(`${lyingResults.url}/console/?node=${api}#/network`);
    const banner = page.locator('[data-trust="pin-required"]');
    await banner.waitFor({ timeout: 20_000 });
    assert.match(await banner.innerText(), new RegExp(api.replace(/[.]/g, '\\.')));
    assert.deepEqual(await page.evaluate(pins), []);
    const pinViolations = await axeViolations(page);
    assert.equal(pinViolations.length, 0, describeViolations(pinViolations));
    // A genesis file the operator loads is pinned for that node only.
    const file = join(dir, 'pinned-genesis.json');
    writeFileSync(file, JSON.stringify(await (await fetch(`${api}/v1/genesis`)).json()));
    await page.getByTestId('pin-file').setInputFiles(file);
    await until(async () => ((await page.evaluate(pins)) as string[]).length === 2 || undefined, 10_000);
    assert.deepEqual(await page.evaluate(pins), [`pujiang.genesis.kind@${api}`, `pujiang.genesis@${api}`]);
    assert.equal(await page.evaluate(`localStorage.getItem('pujiang.genesis.kind@${api}')`), 'pinned');
  });
});
