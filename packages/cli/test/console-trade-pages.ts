// What the console's trade pages must show of the fixtures `makeTradeFixtures` made, each value
// proven in the browser (the services test opens the page, then checks it here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TradeFixtures } from './console-trade-setup.js';

/** `#/modules/scf`: the receivable found by its invoice file with its parts, a free invoice, the buyer's line, the banks. */
export async function checkScfPage(page: Page, trade: TradeFixtures): Promise<void> {
  await page.getByLabel('Choose an invoice file').setInputFiles(trade.invoicePath);
  const view = page.getByRole('region', { name: 'Receivable', exact: true });
  await view.locator('[data-proof="proven"]').waitFor({ timeout: 40_000 });
  assert.equal(await view.locator(`[data-receivable="${trade.receivable}"]`).count(), 1);
  assert.equal(await view.locator('[data-invoice="used"]').count(), 1);
  assert.equal(await view.locator('[data-status="open"]').count(), 1);
  assert.match(await view.locator('[data-field="amount"]').innerText(), /^900,000 native$/);
  assert.match(await view.locator('[data-field="due"]').innerText(), /\(in (29|30) days\)/);
  // The two parts: the first pledged to org2 (financed), the second with a request pending at org2.
  const rows = view.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).locator(`[data-part="${trade.parts[0]}"]`).count(), 1);
  assert.equal(await rows.nth(0).locator('[data-state="pledged"]').count(), 1);
  assert.match(await rows.nth(0).locator('[data-pledge="org2"]').innerText(), /advanced 250,000 native/);
  assert.equal(await rows.nth(1).locator('[data-state="active"]').count(), 1);
  assert.match(await rows.nth(1).locator('[data-request="org2"]').innerText(), /asked for 500,000 native/);
  // An invoice nothing is backed by: proven free.
  await page.getByLabel('Choose an invoice file').setInputFiles(trade.freeInvoicePath);
  await view.locator('[data-invoice="free"]').waitFor({ timeout: 40_000 });
  assert.equal(await view.locator('[data-proof="proven"]').count(), 1);
  // The buyer's line at org2: 900,000 of 5,000,000 outstanding.
  await page.getByLabel('Buyer (address)').fill(trade.buyer);
  await page.getByRole('button', { name: 'Find the line' }).click();
  const line = page.getByRole('region', { name: 'Credit line' });
  await line.locator('[data-proof="proven"]').waitFor({ timeout: 40_000 });
  assert.equal(await line.locator('[data-line="org2"]').count(), 1);
  assert.equal(await line.locator('[data-field="outstanding"]').innerText(), '900,000 native');
  const banks = page.getByRole('region', { name: 'Banks of supply-chain finance' });
  await banks.locator('[data-proof="proven"]').waitFor({ timeout: 40_000 });
  assert.equal(await banks.getByTestId('scf-banks').innerText(), 'org2');
}

/** `#/modules/lc`: the credit by bank and number, its MT700 downloaded into `dir`, amendment, presentation; a calendar year. */
export async function checkLcPage(page: Page, trade: TradeFixtures, dir: string): Promise<void> {
  await page.getByLabel('Issuing bank').fill('org0');
  await page.getByLabel('Credit number (field 20)').fill(trade.number);
  await page.getByRole('button', { name: 'Find by number' }).click();
  const view = page.getByRole('region', { name: `Letter of credit ${trade.number}` });
  await view.locator('[data-proof="proven"]').waitFor({ timeout: 40_000 });
  assert.equal(await view.locator(`[data-credit="${trade.credit}"]`).count(), 1);
  assert.equal(await view.locator('[data-status="advised"]').count(), 1);
  // Amended to 120,000.00 CNY and accepted: 5% more may be drawn (Art. 30); the amendment escrowed it.
  assert.match(
    await view.locator('[data-field="amount"]').innerText(),
    /12,000,000 native \(CNY 120000,00\)/,
  );
  assert.equal(await view.locator('[data-field="max"]').innerText(), '12,600,000 native');
  assert.equal(await view.locator('[data-field="escrowed"]').innerText(), '12,600,000 native');
  assert.equal(await view.locator('[data-amendment="1"][data-status="accepted"]').count(), 1);
  assert.equal(await view.locator('[data-presentation="1"][data-status="refused"]').count(), 1);
  assert.match(
    await view.getByTestId('lc-found').innerText(),
    /DOCUMENT_MISSING[\s\S]*RECORD_UNVERIFIED|RECORD_UNVERIFIED[\s\S]*DOCUMENT_MISSING/,
  );
  assert.match(await view.getByTestId('lc-notice').innerText(), /No bill of lading presented/);
  assert.match(await view.locator('[data-field="deadline"]').innerText(), /^\d{4}-\d{2}-\d{2}/);
  assert.equal(await view.getByTestId('lc-mt700').innerText(), trade.mt700);
  const download = page.waitForEvent('download');
  await view.getByRole('button', { name: 'Download the MT700' }).click();
  const saved = join(dir, 'downloaded-mt700.txt');
  await (await download).saveAs(saved);
  assert.equal(readFileSync(saved, 'utf8'), trade.mt700);
  // The test calendar's year: its holiday and make-up working day, proven.
  await page.getByLabel('Calendar', { exact: true }).fill(trade.calendar);
  await page.getByLabel('Year', { exact: true }).fill(String(trade.year));
  await page.getByRole('button', { name: 'Show the year' }).click();
  const calendar = page.getByRole('region', { name: 'Banking-day calendar' });
  await calendar.locator('[data-proof="proven"]').waitFor({ timeout: 40_000 });
  assert.match(
    await calendar.getByTestId('lc-holidays').innerText(),
    new RegExp(`^${trade.holiday} \\(Mon\\)$`),
  );
  assert.equal(await calendar.locator(`[data-date="${trade.holiday}"]`).getAttribute('data-kind'), 'holiday');
  assert.equal(await calendar.locator(`[data-date="${trade.workday}"]`).getAttribute('data-kind'), 'workday');
}

/** On a trade page, opens what it can show (a receivable; a credit and a calendar year), each waited for until proven. */
export async function openTradeViews(page: Page, hash: string, trade: TradeFixtures): Promise<void> {
  const proven = (region: string | RegExp) =>
    page
      .getByRole('region', { name: region })
      .locator('[data-proof="proven"]')
      .first()
      .waitFor({ timeout: 40_000 });
  if (hash === '#/modules/scf') {
    await page
      .getByRole('button', { name: /^Show receivable/ })
      .first()
      .click();
    await proven('Receivable');
  } else if (hash === '#/modules/lc') {
    await page
      .getByRole('button', { name: /^Show credit/ })
      .first()
      .click();
    await proven(`Letter of credit ${trade.number}`);
    await page.getByLabel('Calendar', { exact: true }).fill(trade.calendar);
    await page.getByLabel('Year', { exact: true }).fill(String(trade.year));
    await page.getByRole('button', { name: 'Show the year' }).click();
    await proven('Banking-day calendar');
  }
}
