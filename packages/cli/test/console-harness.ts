import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '@pujiang/console/chromium';
import { homePaths, initLocalNetwork } from '@pujiang/node';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freeBase, startUp, type UpNode, type UpProcess, upEvent } from './up-harness.js';

/** Debian's Chromium (see `@pujiang/console/chromium` for why these flags). */
export const CHROMIUM = chromiumPath();

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export interface ConsoleBrowser {
  readonly browser: Browser;
  /** A fresh page at this size; every console error and uncaught page error is recorded. */
  open(viewport?: { width: number; height: number }): Promise<ConsolePage>;
  close(): Promise<void>;
}

export interface ConsolePage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far on this page. */
  readonly errors: string[];
}

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed (Debian package chromium; .ci/run installs it)');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async open(viewport = VIEWPORTS.desktop) {
      // bypassCSP lets the test inject axe-core into a page whose CSP allows only its own scripts.
      const context = await browser.newContext({ viewport, locale: 'en-GB', bypassCSP: true });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      return { page, context, errors };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
    },
  };
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's WCAG 2.1 A/AA rules (contrast among them) on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  // Run in the page, where axe and document exist (this file is compiled without the DOM's types).
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  })()`) as Promise<AxeViolation[]>;
}

/** A readable list of violations for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
    )
    .join('\n');
}

/** A 4-validator `pujiang up` network for a console test, in a scratch folder of its own. */
export interface ConsoleNetwork {
  /** The scratch folder; the network's homes are in `dir/net` (node i's in `dir/net/node<i>`). */
  readonly dir: string;
  readonly up: UpProcess;
  readonly chainId: string;
  readonly nodes: UpNode[];
  /** The base port: node i's API is base + 2i; with `monitor`, the monitor listens on base + 8. */
  readonly base: number;
  /** The monitor's URL and node0's console URL, as the up event says them. */
  readonly monitor?: string;
  readonly console?: string;
}

/**
 * Starts the network (a block every 500 ms when idle), with a security monitor if asked; with
 * `genesis`, the network is created first and every home's genesis edited by it before `up`
 * resumes it (e.g. to name a module's banks).
 */
export async function startConsoleNetwork(
  prefix: string,
  options: { monitor?: boolean; genesis?: (json: { modules: Record<string, unknown> }) => void } = {},
): Promise<ConsoleNetwork> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // With a monitor, five nodes' worth of ports: it listens on the one after the four nodes'.
  const base = await freeBase(options.monitor ? 5 : 4);
  if (options.genesis)
    try {
      const net = initLocalNetwork({
        dir: join(dir, 'net'),
        nodes: 4,
        basePort: base,
        emptyBlockIntervalMs: 500,
      });
      const json = JSON.parse(readFileSync(homePaths(net.nodes[0]!.home).genesis, 'utf8'));
      options.genesis(json);
      for (const node of net.nodes)
        writeFileSync(homePaths(node.home).genesis, `${JSON.stringify(json, null, 2)}\n`);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  const up = startUp(
    '--nodes',
    '4',
    '--home',
    join(dir, 'net'),
    '--base-port',
    String(base),
    '--empty-block-interval-ms',
    '500',
    ...(options.monitor ? ['--monitor'] : []),
  );
  try {
    const event = (await upEvent(up)) as Awaited<ReturnType<typeof upEvent>> & {
      monitor?: string;
      console?: string;
    };
    return { dir, up, base, ...event };
  } catch (error) {
    await stopConsoleNetwork(undefined, up, dir);
    throw error;
  }
}

/** Closes the browser, stops the network (SIGTERM: up stops its nodes) and removes its folder. */
export async function stopConsoleNetwork(
  browser: ConsoleBrowser | undefined,
  up: UpProcess | undefined,
  dir: string | undefined,
): Promise<void> {
  await browser?.close();
  if (up) {
    up.child.kill('SIGTERM');
    await up.exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
