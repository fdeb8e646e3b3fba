import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addressOf, generateKeyPair, loadKeyFile, PujiangClient } from '@pujiang/sdk';
import {
  axeViolations,
  type ConsoleBrowser,
  describeViolations,
  launchConsoleBrowser,
  startConsoleNetwork,
  stopConsoleNetwork,
  VIEWPORTS,
} from './console-harness.js';
import type { UpProcess } from './up-harness.js';

/**
 * The console in Debian's Chromium against a 4-validator `pujiang up` network: the explorer
 * finds a transaction by its hash and proves it in the browser, the language switches, and
 * every page renders at a desktop and a phone size with no console error and no axe-core
 * violation (WCAG 2.1 AA, contrast included).
 */
describe('web console: explorer, language, every page', () => {
  let dir: string;
  let up: UpProcess;
  let console0: string;
  let browser: ConsoleBrowser;
  let txHash: string;
  let alice: string;

  before(async () => {
    const network = await startConsoleNetwork('pujiang-console-');
    ({ dir, up } = network);
    console0 = `${network.nodes[0]!.api}/console/`;
    const operator = loadKeyFile(join(dir, 'net', 'node0', 'keys', 'operator.json'));
    const client = new PujiangClient({ url: network.nodes[0]!.api });
    alice = addressOf((await client.getStatus()).chainHash, generateKeyPair('ed25519'));
    const sent = await client.sendTransfer({ key: operator, to: alice, amount: 1234n, wait: true });
    txHash = sent.hash;
    browser = await launchConsoleBrowser();
  });

  after(async () => {
    await stopConsoleNetwork(browser, up, dir);
  });

  it('finds a transaction by its hash and shows it proven against the pinned genesis', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/explorer`);
    await page.getByLabel('Search by block height, block or transaction hash, or address').fill(txHash);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(`**#/explorer/tx/${txHash}`);
    // The receipt is proven once the next block exists: the badge turns green then.
    const badge = page.locator('[data-proof]').first();
    await badge
      .and(page.locator('[data-proof="proven"]'))
      .waitFor({ timeout: 30_000 })
      .catch(async () => {
        await page.reload();
        await page.locator('[data-proof="proven"]').first().waitFor({ timeout: 30_000 });
      });
    assert.equal(await page.getByTestId('tx-code').textContent(), 'OK');
    assert.match(await page.locator('main').innerText(), /bank\/transfer/);
    assert.match(await page.locator('main').innerText(), new RegExp(alice));
    assert.deepEqual(errors, []);
  });

  it('refuses a node whose genesis is not the pinned one', async () => {
    const { page } = await browser.open();
    await page.goto(`${console0}#/network`);
    await page.locator('[data-trust="first-use"]').waitFor();
    // Another chain's genesis pinned in this browser: the node's answers cannot be proven.
    await page.evaluate(`(() => {
      const g = JSON.parse(localStorage.getItem('pujiang.genesis@' + location.origin));
      g.chainId = g.chainId + '-other';
      localStorage.setItem('pujiang.genesis@' + location.origin, JSON.stringify(g));
      localStorage.setItem('pujiang.genesis.kind@' + location.origin, 'pinned');
    })()`);
    await page.reload();
    await page.locator('[data-trust="mismatch"]').waitFor();
    await page.locator('[data-proof="failed"]').first().waitFor({ timeout: 20_000 });
  });

  it('switches between English and Chinese and remembers the choice', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/network`);
    await page.getByRole('heading', { name: 'Validators' }).waitFor();
    await page.getByTestId('language').selectOption('zh');
    await page.getByRole('heading', { name: '验证者' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.match(await page.locator('nav').innerText(), /浏览器/);
    await page.reload();
    await page.getByRole('heading', { name: '验证者' }).waitFor();
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Validators' }).waitFor();
    assert.deepEqual(errors, []);
  });

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`renders every page at ${viewport.width}x${viewport.height} with no console error and no accessibility violation`, async () => {
      const { page, errors } = await browser.open(viewport);
      const pages = [
        '#/network',
        '#/explorer',
        `#/explorer/tx/${txHash}`,
        `#/explorer/account/${alice}`,
        '#/explorer/block/2',
        '#/orgs',
        '#/governance',
        '#/notary',
        '#/modules',
        '#/alerts',
      ];
      for (const hash of pages) {
        await page.goto(`${console0}${hash}`);
        await page.locator('h1.page-title').waitFor();
        // Settled: nothing still loading on the page.
        await page.waitForFunction(
          `document.querySelectorAll('[aria-busy="true"], [data-proof="checking"]').length === 0`,
          undefined,
          { timeout: 20_000 },
        );
        await page.screenshot({
          path: join(dir, `${size}-${hash.replace(/[^a-z0-9]+/gi, '-')}.png`),
          fullPage: true,
        });
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${hash} at ${size}:\n${describeViolations(violations)}`);
        if (viewport.width < 500) {
          // Nothing wider than the phone's screen: no sideways scrolling of the page.
          const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
          assert.ok((overflow as number) <= 1, `${hash} is ${overflow}px wider than a phone`);
        }
      }
      assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
    });
  }
});
