import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  axeViolations,
  type ConsoleBrowser,
  describeViolations,
  launchConsoleBrowser,
  startConsoleNetwork,
  stopConsoleNetwork,
  VIEWPORTS,
} from './console-harness.js';
import { run } from './run-in-process.js';
import type { UpProcess } from './up-harness.js';

/** Where to keep the screenshots for a person to look at (default: the test's folder, removed after). */
const SHOTS = process.env.PUJIANG_CONSOLE_SHOTS;

/** Drops files on an element as a person dragging them from their desktop would (a DataTransfer drop). */
async function dropFiles(
  page: Page,
  selector: string,
  files: readonly { name: string; text: string }[],
): Promise<void> {
  const transfer = await page.evaluateHandle(
    `(() => {
      const files = ${JSON.stringify(files)};
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([f.text], f.name));
      return dt;
    })()`,
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
}

/**
 * The notary page in Debian's Chromium against a 4-validator `pujiang up` network: a file
 * notarized with `pujiang notary stamp` and its receipt, dropped onto the page, verify
 * offline against the pinned genesis; a changed file and a tampered receipt are refused;
 * the anchor is found by a proven query, and an asset's lineage is proven and drawn.
 */
describe('web console: notary and trace', () => {
  let dir: string;
  let up: UpProcess;
  let api: string;
  let console0: string;
  let browser: ConsoleBrowser;
  const text = 'Shanghai land registry extract, parcel 17\n';
  let receiptText: string;

  before(async () => {
    const network = await startConsoleNetwork('pujiang-console-notary-');
    ({ dir, up } = network);
    api = network.nodes[0]!.api;
    console0 = `${api}/console/`;
    const key = join(dir, 'net', 'node0', 'keys', 'operator.json');
    const doc = join(dir, 'extract.txt');
    writeFileSync(doc, text);
    const stamped = await run(
      'notary',
      'stamp',
      doc,
      '--key',
      key,
      '--out',
      dir,
      '--type',
      'extract',
      '--node',
      api,
    );
    assert.equal(stamped.code, 0, stamped.err);
    receiptText = readFileSync(join(dir, 'extract.txt.receipt.json'), 'utf8');
    const derived = join(dir, 'derived.txt');
    writeFileSync(derived, 'parcel 17, boundaries corrected\n');
    const steps = [
      ['trace', 'create', 'parcel-17', '--type', 'land-record', '--key', key, '--output-file', doc],
      ['trace', 'record', 'parcel-17', '--event', 'transformed', '--key', key, '--input-file', doc].concat([
        '--output-file',
        derived,
        '--action',
        'boundaries corrected',
      ]),
    ];
    for (const argv of steps) {
      const r = await run(...argv, '--node', api);
      assert.equal(r.code, 0, r.err);
    }
    browser = await launchConsoleBrowser();
  });

  after(async () => {
    await stopConsoleNetwork(browser, up, dir);
  });

  it('verifies a dropped file with its receipt, and refuses a changed file and a tampered receipt', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/notary`);
    await dropFiles(page, '[data-testid="notary-files-zone"]', [
      { name: 'extract.txt', text },
      { name: 'extract.txt.receipt.json', text: receiptText },
    ]);
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'valid', await verdict.innerText());
    const receipt = JSON.parse(receiptText);
    assert.match(await verdict.innerText(), /Verified: extract\.txt/);
    assert.ok(
      (await verdict.innerHTML()).includes(receipt.document.digest),
      'the digest computed in the page is shown',
    );

    // The same receipt with a changed file: the digest differs, the page refuses it.
    await page.getByRole('button', { name: 'Clear' }).click();
    const changed = join(dir, 'changed.txt');
    writeFileSync(changed, text.replace('17', '71'));
    // This time through the labelled file input, which a keyboard reaches (it takes focus). Opening
    // the native chooser with Space is the browser's own behaviour, and headless runs do not
    // always deliver it, so the files are set on the focused input directly.
    const input = page.getByLabel('choose the files');
    await input.focus();
    assert.equal(
      await input.evaluate((el) => el === el.ownerDocument.activeElement),
      true,
      'the file input takes focus',
    );
    await input.setInputFiles([changed, join(dir, 'extract.txt.receipt.json')]);
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'changed');
    assert.match(await verdict.innerText(), /Refused: changed\.txt/);

    // The right file with a receipt whose certified header was altered: the proof fails, naming the check.
    await page.getByRole('button', { name: 'Clear' }).click();
    const forged = structuredClone(receipt);
    forged.block.header.time = String(BigInt(forged.block.header.time) + 1n);
    await dropFiles(page, '[data-testid="notary-files-zone"]', [
      { name: 'extract.txt', text },
      { name: 'forged.receipt.json', text: JSON.stringify(forged) },
    ]);
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'invalid');
    assert.match(await verdict.innerText(), /Failed check: /);

    // The digest's anchor, found on chain by a proven query (the receipt's batch root).
    await page.getByLabel('Digest or batch root (64 hex digits)').fill(receipt.document.digest);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const findSection = page.getByRole('region', { name: 'Find an anchor on chain' });
    await findSection.locator('[data-proof="proven"]').waitFor({ timeout: 30_000 });
    assert.ok(
      (await findSection.innerHTML()).includes(receipt.tx.hash),
      'the anchoring transaction is shown',
    );
    await page.getByLabel('Digest or batch root (64 hex digits)').fill('ab'.repeat(32));
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await findSection.getByTestId('anchor-none').waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
  });

  it("draws an asset's proven lineage as a graph with a text list beside it", async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${console0}#/notary`);
    await page.getByLabel('Asset id').fill('parcel-17');
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
    const graph = page.getByTestId('lineage-graph');
    await graph.waitFor({ timeout: 30_000 });
    const section = page.getByRole('region', { name: 'Trace an asset’s lineage' });
    assert.equal(await section.locator('[data-proof]').getAttribute('data-proof'), 'proven');
    // Two events, the file the first produced and the second read (one node), and the file the second produced.
    assert.equal(await graph.locator('.node-event').count(), 2);
    assert.equal(await graph.locator('.node-data').count(), 2);
    assert.equal(await graph.locator('.edge').count(), 4);
    const items = await page.getByTestId('lineage-list').locator('li').allInnerTexts();
    assert.equal(items.length, 2);
    assert.match(items[0]!, /^created/);
    assert.match(items[1]!, /^transformed.*boundaries corrected/s);
    assert.deepEqual(errors, []);
  });

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`renders the notary page at ${viewport.width}x${viewport.height} with no console error and no accessibility violation`, async () => {
      const { page, errors } = await browser.open(viewport);
      await page.goto(`${console0}#/notary`);
      await page
        .getByLabel('choose the files')
        .setInputFiles([join(dir, 'extract.txt'), join(dir, 'extract.txt.receipt.json')]);
      await page.locator('[data-verdict="valid"]').waitFor();
      await page.getByLabel('Asset id').fill('parcel-17');
      await page.getByRole('button', { name: 'Trace', exact: true }).click();
      await page.getByTestId('lineage-graph').waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SHOTS ?? dir, `notary-${size}.png`), fullPage: true });
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `notary at ${size}:\n${describeViolations(violations)}`);
      if (viewport.width < 500) {
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        )) as number;
        assert.ok(overflow <= 1, `the notary page is ${overflow}px wider than a phone`);
      }
      assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
    });
  }
});
