import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  getProposal,
  listProposals,
  loadKeyFile,
  PujiangClient,
  submitProposal,
  voteOnProposal,
} from '@pujiang/sdk';
import {
  axeViolations,
  type ConsoleBrowser,
  describeViolations,
  launchConsoleBrowser,
  startConsoleNetwork,
  stopConsoleNetwork,
  VIEWPORTS,
} from './console-harness.js';
import { until } from './node-harness.js';
import type { UpProcess } from './up-harness.js';

/**
 * The governance page in Debian's Chromium against a 4-validator `pujiang up` network: org1's
 * administrator loads a key file into the page, approves a proposal (signed in the page, the
 * receipt's code shown and the vote seen in the proposal, and checked through the SDK), and
 * finalizes it after its time-lock; no request the page sends carries the secret key.
 */
/** Where to keep the screenshots for a person to look at (default: the test's folder, removed after). */
const SHOTS = process.env.PUJIANG_CONSOLE_SHOTS;

describe('web console: governance with a key loaded in the page', () => {
  let dir: string;
  let up: UpProcess;
  let console0: string;
  let browser: ConsoleBrowser;
  let client: PujiangClient;
  let proposalId: string;
  const keyPath = (i: number) => join(dir, 'net', `node${i}`, 'keys', 'operator.json');

  before(async () => {
    const network = await startConsoleNetwork('pujiang-console-gov-');
    ({ dir, up } = network);
    console0 = `${network.nodes[0]!.api}/console/`;
    client = new PujiangClient({ url: network.nodes[0]!.api });
    const proposed = await submitProposal(client, {
      key: loadKeyFile(keyPath(0)),
      wait: true,
      title: 'Idle blocks every 400 ms',
      action: { type: 'setPacing', value: { emptyBlockIntervalMs: 400 } },
    });
    proposalId = proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
    browser = await launchConsoleBrowser();
  });

  after(async () => {
    await stopConsoleNetwork(browser, up, dir);
  });

  it('votes and finalizes with a key that never leaves the page', async () => {
    const { page, errors } = await browser.open();
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.method()} ${r.url()}\n${r.postData() ?? ''}`));
    await page.goto(`${console0}#/governance`);
    await page.getByLabel('Load a key file (it stays in this page)').setInputFiles(keyPath(1));
    await page.getByTestId('key-address').waitFor();
    // The page says whose key it is (its identity read from the chain).
    await page.getByTestId('key-loader').getByText('member of org1 as admin').waitFor({ timeout: 20_000 });

    const card = page.locator(`[data-proposal="${proposalId}"]`);
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: `Approve #${proposalId}` }).click();
    // Before signing, the page shows what the vote is for, decoded from proven state.
    const confirm = page.getByTestId('confirm');
    await confirm.waitFor();
    assert.equal(await confirm.getByTestId('confirm-title').innerText(), 'Idle blocks every 400 ms');
    assert.match(
      await confirm.getByTestId('confirm-action').innerText(),
      /setPacing: .*"emptyBlockIntervalMs":400/,
    );
    await confirm.getByRole('button', { name: 'Sign and send' }).click();
    // The page waits for the commit and shows the receipt's code, linking to the transaction.
    await page.getByTestId('sent-code').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('sent-code').innerText(), 'OK');
    const txHref = await page.getByTestId('sent-tx').getAttribute('href');
    assert.match(txHref ?? '', /^#\/explorer\/tx\/[0-9a-f]{64}$/);
    await card.locator('[data-vote="org1:yes"]').waitFor({ timeout: 30_000 });
    const afterVote = await getProposal(client, proposalId);
    const vote = afterVote.votes.find((v) => v.org === 'org1');
    assert.ok(vote?.approve, 'the SDK reads org1 approving');
    const voteTx = await client.getTx(txHref!.split('/').at(-1)!);
    assert.equal(voteTx.receipt?.code, 'OK');
    assert.equal(`${voteTx.tx.module}/${voteTx.tx.type}`, 'governance/vote');

    // A third organization approves through the SDK: a majority, so the proposal enters its time-lock.
    await voteOnProposal(client, {
      key: loadKeyFile(keyPath(2)),
      wait: true,
      id: proposalId,
      approve: true,
    });
    await page.reload();
    await page.getByLabel('Load a key file (it stays in this page)').setInputFiles(keyPath(1));
    await card.and(page.locator('[data-status="queued"]')).waitFor({ timeout: 30_000 });
    // The page offers Finalize once the time-lock is over (its status polling sees the height pass).
    const finalize = card.getByRole('button', { name: `Finalize #${proposalId}` });
    await finalize.waitFor({ timeout: 40_000 });
    await finalize.click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Sign and send' }).click();
    await until(
      async () => ((await page.getByTestId('sent-code').innerText()) === 'OK' ? true : undefined),
      30_000,
    );
    assert.match(await page.getByTestId('sent').innerText(), new RegExp(`Finalize #${proposalId}`));
    await card.and(page.locator('[data-status="executed"]')).waitFor({ timeout: 30_000 });
    assert.equal((await getProposal(client, proposalId)).status, 'executed');

    // A new proposal from the page's form, signed with the same key.
    await page.getByLabel('Title').fill('Idle blocks every 600 ms');
    await page.getByLabel('Idle block interval (ms)').fill('600');
    await page.getByRole('button', { name: 'Propose', exact: true }).click();
    await until(
      async () => (/^Propose\s+OK/.test(await page.getByTestId('sent').innerText()) ? true : undefined),
      30_000,
    );
    const mine = page.locator('[data-proposal]').filter({ hasText: 'Idle blocks every 600 ms' });
    await mine.waitFor({ timeout: 30_000 });
    assert.equal(await mine.getAttribute('data-status'), 'voting');
    const newest = (await listProposals(client, 1))[0]!;
    assert.equal(newest.title, 'Idle blocks every 600 ms');
    assert.deepEqual(newest.action, { emptyBlockIntervalMs: 600 });

    // The secret key is in no request the page sent, and nowhere in the page's storage.
    const secret = String(JSON.parse(readFileSync(keyPath(1), 'utf8')).secretKey).toLowerCase();
    assert.ok(secret.length >= 64);
    assert.ok(sent.length > 10, 'the page sent requests');
    for (const request of sent)
      assert.ok(
        !request.toLowerCase().includes(secret),
        `a request carried the secret key: ${request.slice(0, 200)}`,
      );
    const storage = (await page.evaluate(
      'JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie',
    )) as string;
    assert.ok(!storage.toLowerCase().includes(secret));
    assert.deepEqual(errors, []);
  });

  it('refuses to sign when the pinned genesis is not the one the node serves', async () => {
    const { page, context } = await browser.open();
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') sent.push(r.url());
    });
    await page.goto(`${console0}#/governance`);
    await page.locator('[data-trust="first-use"]').waitFor();
    // Another chain's genesis pinned for this node: the page must not sign for what it says.
    await page.evaluate(`(() => {
      const key = 'pujiang.genesis@' + location.origin;
      const g = JSON.parse(localStorage.getItem(key));
      g.chainId = g.chainId + '-other';
      localStorage.setItem(key, JSON.stringify(g));
      localStorage.setItem('pujiang.genesis.kind@' + location.origin, 'pinned');
    })()`);
    await page.reload();
    await page.locator('[data-trust="mismatch"]').waitFor();
    await page.getByLabel('Load a key file (it stays in this page)').setInputFiles(keyPath(1));
    await page.getByTestId('key-address').waitFor();
    await page.getByTestId('signing-refused').waitFor();
    const approve = page
      .locator('[data-proposal] button')
      .filter({ hasText: /^Approve #/ })
      .first();
    await approve.waitFor({ timeout: 30_000 });
    assert.equal(await approve.isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Propose', exact: true }).isDisabled(), true);
    assert.deepEqual(
      sent.filter((url) => url.includes('/v1/txs')),
      [],
    );
    await context.close();
  });

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`renders the governance page at ${viewport.width}x${viewport.height} with no console error and no accessibility violation`, async () => {
      const { page, errors } = await browser.open(viewport);
      await page.goto(`${console0}#/governance`);
      // Once the proposals are proven (the page's first verification done), the key file input
      // takes focus from the keyboard.
      await page.locator('[data-proposal]').first().waitFor({ timeout: 30_000 });
      await page
        .getByRole('region', { name: 'Proposals' })
        .locator('.card-head [data-proof="proven"]')
        .waitFor({ timeout: 30_000 });
      const keyInput = page.getByLabel('Load a key file (it stays in this page)');
      await keyInput.focus();
      assert.equal(await keyInput.evaluate((el) => el === el.ownerDocument.activeElement), true);
      // The browser's own Space-opens-chooser is not delivered reliably headless: set the file directly.
      await keyInput.setInputFiles(keyPath(3));
      await page.getByTestId('key-address').waitFor();
      await page.waitForFunction(
        `document.querySelectorAll('[aria-busy="true"], [data-proof="checking"]').length === 0`,
        undefined,
        { timeout: 20_000 },
      );
      await page.screenshot({ path: join(SHOTS ?? dir, `governance-${size}.png`), fullPage: true });
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `governance at ${size}:\n${describeViolations(violations)}`);
      if (viewport.width < 500) {
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        )) as number;
        assert.ok(overflow <= 1, `the governance page is ${overflow}px wider than a phone`);
      }
      assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
    });
  }
});
