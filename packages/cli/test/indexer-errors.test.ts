import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type TestPostgres } from '@pujiang/indexer/testing';
import {
  type CliProcess,
  initHome,
  MAIN,
  type NodeProcess,
  spawnCliUntil,
  startNodeProcess,
} from './node-harness.js';

/** `pujiang index` that must fail at once: exit 2 and the typed code on stderr. */
async function refused(args: string[], code: string): Promise<void> {
  const child = spawn(process.execPath, [MAIN, 'index', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(status, 2, `${args.join(' ')}: ${stderr}`);
  assert.match(stderr, new RegExp(`error ${code}: `), args.join(' '));
}

describe('pujiang index: bad input is a typed error, never a crash', () => {
  let pg: TestPostgres;
  const homes: string[] = [];
  const nodes: NodeProcess[] = [];
  const indexers: CliProcess<unknown>[] = [];
  let a: NodeProcess;
  let b: NodeProcess;
  let db: string;

  before(async () => {
    const server = startPostgres().then((s) => {
      pg = s;
    });
    const started = [0, 1].map(async () => {
      const init = initHome('ed25519');
      homes.push(init.home);
      const node = await startNodeProcess(init.home);
      nodes.push(node);
      return node;
    });
    // Every start settles before a failure is thrown, so that `after` stops what did start.
    await Promise.allSettled([server, ...started]);
    await server;
    [a, b] = await Promise.all(started);
    db = await pg.createDatabase('errors');
  });
  after(async () => {
    for (const p of [...indexers, ...nodes]) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    await pg?.stop();
  });

  it('refuses a wrong --pg or --node, and malformed options', async () => {
    await Promise.all([
      refused(['--pg', `postgres://postgres@127.0.0.1:1/nothing`, '--node', a.api], 'INDEX_PG_UNREACHABLE'),
      refused(['--pg', 'not a url', '--node', a.api], 'INDEX_PG_UNREACHABLE'),
      refused(['--pg', 'mysql://127.0.0.1/x', '--node', a.api], 'INDEX_PG_UNREACHABLE'),
      refused(['--pg', pg.urlOf('no_such_database'), '--node', a.api], 'INDEX_PG_UNREACHABLE'),
      refused(['--pg', db, '--node', 'http://127.0.0.1:1'], 'INDEX_NODE_UNREACHABLE'),
      refused(['--pg', db, '--node', 'ftp://somewhere'], 'INDEX_NODE_UNREACHABLE'),
      refused(['--node', a.api], 'CLI_MISSING_OPTION'),
      refused(['--pg', db, '--node', a.api, '--from', '0'], 'CLI_USAGE'),
      refused(['--pg', db, '--node', a.api, '--listen', 'nowhere'], 'CLI_USAGE'),
      refused(['--pg', db, '--node', a.api, '--bogus'], 'CLI_USAGE'),
    ]);
  });

  it('indexes a chain, stops on SIGTERM, then refuses another chain and a gapped --from, and resumes', async () => {
    const first = await spawnCliUntil<{ height: number }>(
      ['index', '--pg', db, '--node', a.api],
      '"caughtUp"',
    );
    indexers.push(first);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.ok(first.ready.height >= 1);

    // One after the other: each takes the database's writer lock while it checks (INDEX_LOCKED for
    // the second if they overlapped).
    await refused(['--pg', db, '--node', b.api], 'INDEX_CHAIN_MISMATCH');
    await refused(['--pg', db, '--node', a.api, '--from', '999999'], 'INDEX_FROM_GAP');

    const again = await spawnCliUntil<{ checkpoint: number }>(
      ['index', '--pg', db, '--node', a.api, '--from', '1'],
      '"started"',
    );
    indexers.push(again);
    assert.ok(again.ready.checkpoint >= first.ready.height, 'resumes after its checkpoint');
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });

  it('stops with a typed error, not a crash, when PostgreSQL goes away under it', async () => {
    const lost = await startPostgres();
    try {
      const url = await lost.createDatabase('lost');
      const p = await spawnCliUntil(
        ['index', '--pg', url, '--node', a.api, '--listen', '127.0.0.1:0'],
        '"caughtUp"',
      );
      indexers.push(p);
      await lost.stop();
      assert.equal(await p.exited, 2);
      assert.match(p.stderr(), /error INDEX_PG_FAILED: /);
    } finally {
      await lost.stop();
    }
  });
});
