import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PujiangError } from '@pujiang/types';

/** A PostgreSQL server of its own in a temporary folder, for tests and the bench. */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication on loopback). */
  readonly url: string;
  readonly port: number;
  /** A URL of another database on the same server (created by `createDatabase`). */
  urlOf(database: string): string;
  /** Creates an empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (immediate) and removes its folder. */
  stop(): Promise<void>;
}

/** Debian's server binaries: /usr/lib/postgresql/<version>/bin, the newest version present. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^[0-9]+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined)
    throw new PujiangError('INDEX_POSTGRES_MISSING', `no PostgreSQL server binaries under ${root}`, {
      root,
    });
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** As root, the server's tools must run as `postgres` (initdb refuses root); otherwise as ourselves. */
function asServerUser(bin: string, args: readonly string[]): { command: string; args: string[] } {
  const root = process.getuid?.() === 0;
  return root
    ? { command: 'runuser', args: ['-u', 'postgres', '--', bin, ...args] }
    : { command: bin, args: [...args] };
}

function postgresIds(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0)
    throw new PujiangError('INDEX_POSTGRES_MISSING', 'running as root needs the postgres user', {});
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

async function waitReady(bin: string, port: number, dir: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`postgres exited before it was ready: ${log()}`);
    const { command, args } = asServerUser(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
    if (spawnSync(command, args, { cwd: dir }).status === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`postgres was not ready within 30 s: ${log()}`);
}

/**
 * initdb and start a server in a fresh folder under /tmp (not TMPDIR: the test runner's is
 * 0700 and the `postgres` user could not enter it), listening on 127.0.0.1 on a free port
 * with its sockets in the data folder. fsync is off: for tests and the bench only.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync('/tmp/pujiang-pg-');
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const root = process.getuid?.() === 0;
  if (root) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const logLines: string[] = [];
  const log = () => logLines.join('').slice(-4000);
  let child: ChildProcess | undefined;
  try {
    const init = asServerUser(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const r = spawnSync(init.command, init.args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}${r.stdout}`);
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    const port = await freePort();
    const start = asServerUser(join(bin, 'postgres'), [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      data,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'max_connections=50',
    ]);
    child = spawn(start.command, start.args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => logLines.push(String(d)));
    child.stderr?.on('data', (d) => logLines.push(String(d)));
    const server = child;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    await waitReady(bin, port, dir, server, log);
    const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
    let stopped = false;
    return {
      url: urlOf('postgres'),
      port,
      urlOf,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: urlOf('postgres') });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return urlOf(name);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        const stop = asServerUser(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
        spawnSync(stop.command, stop.args, { cwd: dir, encoding: 'utf8' });
        if (server.exitCode === null && server.signalCode === null) {
          const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** One query on a fresh connection (for tests that check tables directly). */
export async function sqlRows<R extends Record<string, unknown> = Record<string, unknown>>(
  url: string,
  text: string,
  args: unknown[] = [],
): Promise<R[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, args)).rows;
  } finally {
    await client.end();
  }
}

export { plainCopyBaseline } from './copy-baseline.js';
