import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT } from '../src/run.js';
import {
  type ConsoleBrowser,
  launchConsoleBrowser,
  startConsoleNetwork,
  stopConsoleNetwork,
} from './console-harness.js';
import { until } from './node-harness.js';
import { run } from './run-in-process.js';
import type { UpNode, UpProcess } from './up-harness.js';

/**
 * `pujiang up --monitor` (what `npm start` runs): the console's alerts page shows what the
 * monitor beside the network raises: a member certificate expiring within the warning
 * window (30 days) once it is registered, and a validator killed with -9.
 */
describe("web console: the monitor's alerts on the page", () => {
  let dir: string;
  let up: UpProcess;
  let nodes: UpNode[];
  let browser: ConsoleBrowser;

  before(async () => {
    const event = await startConsoleNetwork('pujiang-console-alerts-', { monitor: true });
    ({ dir, up } = event);
    nodes = event.nodes;
    assert.equal(event.monitor, `http://127.0.0.1:${event.base + 8}`);
    assert.equal(event.console, `${nodes[0]!.api}/console/`);
    // The monitor starts once the network is up: the page should find it listening.
    await until(
      () =>
        fetch(`${event.monitor}/alerts`).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        ),
      30_000,
    );
    browser = await launchConsoleBrowser();
  });

  after(async () => {
    await stopConsoleNetwork(browser, up, dir);
  });

  it('shows a registered certificate that expires within the warning window', async () => {
    const key = join(dir, 'short.json');
    const cert = join(dir, 'short.pem');
    assert.equal((await run('keys', 'generate', '--suite', 'ed25519', '--out', key)).code, EXIT.ok);
    const issued = await run(
      'cert',
      'issue',
      '--org-dir',
      join(dir, 'net', 'node0', 'org'),
      '--role',
      'client',
      '--key-file',
      key,
      '--days',
      '3',
      '--name',
      'short-lived',
      '--out',
      cert,
    );
    assert.equal(issued.code, EXIT.ok, issued.err);
    const registered = await run('register', '--cert', cert, '--key', key, '--node', nodes[0]!.api);
    assert.equal(registered.code, EXIT.ok, registered.err);

    const { page, errors } = await browser.open();
    await page.goto(`${nodes[0]!.api}/console/#/alerts`);
    // The page polls the monitor every 5 s and the monitor its nodes every 2 s.
    const row = page.locator('tr', { has: page.locator('[data-kind="certificate-expiring"]') });
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /short-lived|expires/i);
    assert.deepEqual(errors, []);
  });

  it('shows a validator killed with -9 as missing blocks', async () => {
    process.kill(nodes[2]!.pid, 'SIGKILL');
    const { page, errors } = await browser.open();
    await page.goto(`${nodes[0]!.api}/console/#/alerts`);
    // A warning first, critical once it has missed every block of the monitor's window.
    const row = page.locator('tr', { has: page.locator('[data-kind="missed-blocks"]') }).filter({
      has: page.locator('[data-severity="critical"]'),
    });
    await row.waitFor({ timeout: 90_000 });
    assert.match(await row.innerText(), /node2/);
    assert.deepEqual(errors, []);
  });
});
