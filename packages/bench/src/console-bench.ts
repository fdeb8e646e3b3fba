import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '@pujiang/console/chromium';
import { chromium } from 'playwright-core';
import { prepareChain } from './node-home.js';
import { spawnNode } from './phase.js';
import type { BenchRecord } from './record.js';

/**
 * The `console` group: the web console's first load in Debian's Chromium against one
 * validator, each run in a fresh browser context (a cold cache): the bytes the page fetched
 * from the node (the app's files, and the API answers its first page asked for), the time to
 * the network page's first paint of chain data, and the time until the latest header is
 * proven in the browser against the genesis.
 */
export async function runConsoleBench({ quick }: { quick: boolean }): Promise<BenchRecord[]> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    console.error('console: skipped, Debian chromium is not installed');
    return [];
  }
  const home = mkdtempSync(join(tmpdir(), 'pujiang-bench-console-'));
  prepareChain(join(home, 'node'), 'ed25519', 1);
  const node = spawnNode(join(home, 'node'));
  const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    const ready = await node.next('ready');
    const url = `${ready.apiUrl}/console/#/network`;
    const runs = quick ? 3 : 7;
    const appBytes: number[] = [];
    const totalBytes: number[] = [];
    const shownMs: number[] = [];
    const provenMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      let app = 0;
      let total = 0;
      page.on('response', (response) => {
        const length = Number(response.headers()['content-length'] ?? 0);
        total += length;
        if (new URL(response.url()).pathname.startsWith('/console/')) app += length;
      });
      const start = performance.now();
      await page.goto(url);
      await page.getByTestId('height').waitFor({ timeout: 30_000 });
      shownMs.push(performance.now() - start);
      await page.locator('[data-proof="proven"]').first().waitFor({ timeout: 30_000 });
      provenMs.push(performance.now() - start);
      appBytes.push(app);
      totalBytes.push(total);
      await context.close();
    }
    const configuration = {
      runs,
      viewport: '1280x800',
      cache: 'cold (a fresh context per run)',
      page: '#/network',
    };
    return [
      {
        group: 'console',
        name: 'first load: app bytes',
        value: median(appBytes),
        unit: 'bytes',
        configuration,
      },
      {
        group: 'console',
        name: 'first load: all bytes',
        value: median(totalBytes),
        unit: 'bytes',
        configuration,
      },
      {
        group: 'console',
        name: 'first load: chain data shown',
        value: median(shownMs),
        unit: 'ms',
        configuration,
      },
      {
        group: 'console',
        name: 'first load: header proven',
        value: median(provenMs),
        unit: 'ms',
        configuration,
      },
    ];
  } finally {
    await browser.close().catch(() => {});
    await node.end();
    rmSync(home, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
