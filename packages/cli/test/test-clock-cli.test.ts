import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { advanceNetworkClock, loadHome, readClockToken, startNode } from '@pujiang/node';
import { run } from './run-in-process.js';

const DAY = 24 * 3600 * 1000;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-clock-cli-'));
  dirs.push(dir);
  return dir;
};

describe('pujiang init --test-clock', () => {
  it('makes a test chain whose node takes the home clock_token on /v1/testing/clock', async () => {
    const home = fresh();
    const r = await run(
      'init',
      '--home',
      home,
      '--api-port',
      '0',
      '--empty-block-interval-ms',
      '0',
      '--test-clock',
    );
    assert.equal(r.code, 0, r.err);
    const loaded = loadHome(home);
    assert.deepEqual(loaded.genesis.testing, { clockControl: true });
    assert.equal(loaded.config.testing?.clockTokenSha256.length, 1);
    const running = await startNode({ home });
    try {
      const [answer] = await advanceNetworkClock([{ api: running.apiUrl, home }], 2 * DAY);
      assert.equal(answer!.offsetMs, 2 * DAY);
    } finally {
      await running.stop();
    }

    // Joining it with --test-clock: a token of the joining home's own.
    const joining = fresh();
    const joined = await run(
      'init',
      '--home',
      joining,
      '--genesis',
      join(home, 'genesis.json'),
      '--test-clock',
    );
    assert.equal(joined.code, 0, joined.err);
    assert.notEqual(readClockToken(joining), readClockToken(home));
  });

  it('refuses to join a chain whose genesis does not allow it, and goes with one network only', async () => {
    const plain = fresh();
    assert.equal((await run('init', '--home', plain)).code, 0);
    assert.equal(JSON.parse(readFileSync(join(plain, 'genesis.json'), 'utf8')).testing, undefined);
    const joining = fresh();
    const r = await run('init', '--home', joining, '--genesis', join(plain, 'genesis.json'), '--test-clock');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /NODE_CLOCK_CONTROL_REFUSED/);
    const chains = await run('up', '--chains', '--home', fresh(), '--test-clock');
    assert.equal(chains.code, 2, chains.err);
    assert.match(chains.err, /--test-clock/);
  });
});
