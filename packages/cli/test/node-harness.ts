import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Drives real `pujiang` processes for tests: init a home, start/kill/stop a node, call the API. */
export const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

export const FAST_CONFIG = {
  blockIntervalMs: 20,
  timeouts: {
    proposeMs: 400,
    proposeDeltaMs: 100,
    prevoteMs: 200,
    prevoteDeltaMs: 100,
    precommitMs: 200,
    precommitDeltaMs: 100,
  },
};

export interface InitOutput {
  home: string;
  chainId: string;
  chainHash: 'sm3' | 'sha256';
  genesis: string;
  operatorKey: string;
  operatorAddress: string;
}

/**
 * A node home for tests. Its chain makes a block every block interval even while idle
 * (`emptyBlockIntervalMs` 0), as tests that watch heights expect; pass another to test pacing.
 * `testClock`: a test chain whose block time the test moves forward (`advanceNetworkClock`).
 */
export function initHome(suite = 'ed25519', emptyBlockIntervalMs = 0, testClock = false): InitOutput {
  const home = mkdtempSync(join(tmpdir(), 'pujiang-e2e-'));
  const r = spawnSync(
    process.execPath,
    [
      MAIN,
      'init',
      '--home',
      home,
      '--suite',
      suite,
      '--api-port',
      '0',
      '--empty-block-interval-ms',
      String(emptyBlockIntervalMs),
      ...(testClock ? ['--test-clock'] : []),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as InitOutput;
  const configPath = join(home, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({ ...JSON.parse(readFileSync(configPath, 'utf8')), ...FAST_CONFIG }),
  );
  return out;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly api: string;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** A `pujiang` process and the JSON line it printed when ready. */
export interface CliProcess<T> {
  readonly child: ChildProcess;
  readonly ready: T;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Spawns `pujiang ...args` and resolves with the first stdout line that contains `marker`, parsed. */
export function spawnCliUntil<T>(args: readonly string[], marker: string): Promise<CliProcess<T>> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.includes(marker));
      if (!line) return;
      child.stdout!.off('data', onData);
      resolve({ child, ready: JSON.parse(line) as T, exited, stderr: () => err });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`pujiang ${args[0]} exited (${code}) before it was ready: ${err}`)),
    );
  });
}

/** Spawns `pujiang node start` and resolves once it printed its API address. */
export async function startNodeProcess(home: string): Promise<NodeProcess> {
  const p = await spawnCliUntil<{ api: string }>(['node', 'start', '--home', home], '"started"');
  return { child: p.child, api: p.ready.api, exited: p.exited, stderr: p.stderr };
}

export async function api<T = any>(
  base: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(
    `${base}${path}`,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: res.status, body: (await res.json()) as T };
}

export function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        const v = await probe();
        if (v !== undefined && v !== false) return resolve(v as T);
      } catch {
        // not yet
      }
      if (Date.now() > deadline) return reject(new Error('timed out'));
      setTimeout(poll, 50);
    };
    void poll();
  });
}

export function runCliProcess(...args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
}

/** A running node on a fresh test home, a scratch folder next to it, and how to remove both. */
export interface NodeInFolder {
  readonly dir: string;
  readonly init: InitOutput;
  readonly node: NodeProcess;
  /** Kills the node and removes the folder and the home. */
  cleanup(): Promise<void>;
}

/**
 * Starts a node for a test that works in a folder of its own (`prefix` names the folder);
 * `emptyBlockIntervalMs` as `initHome` takes it (pass 30,000 for the pacing users get).
 */
export async function nodeInFolder(
  prefix: string,
  suite = 'ed25519',
  emptyBlockIntervalMs = 0,
): Promise<NodeInFolder> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const init = initHome(suite, emptyBlockIntervalMs);
  const node = await startNodeProcess(init.home);
  return {
    dir,
    init,
    node,
    async cleanup() {
      node.child.kill('SIGKILL');
      await node.exited;
      rmSync(dir, { recursive: true, force: true });
      rmSync(init.home, { recursive: true, force: true });
    },
  };
}

/**
 * Type-checks `file` in `dir` as an application outside this repository would: strict, node16
 * module resolution, Node's types, with the repository's TypeScript. Answers tsc's output and status.
 */
export function typeCheckNode16(dir: string, file: string): { status: number | null; output: string } {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'node16',
        moduleResolution: 'node16',
        target: 'es2022',
        noEmit: true,
        types: ['node'],
      },
      files: [file],
    }),
  );
  const tsc = fileURLToPath(new URL('../../../../node_modules/typescript/bin/tsc', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}
