import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lockHome } from '../src/host/home-lock.js';

describe('the node home lock', () => {
  const home = mkdtempSync(join(tmpdir(), 'pujiang-lock-'));
  const lock = join(home, 'node.lock');
  after(() => rmSync(home, { recursive: true, force: true }));

  it('one holder at a time; released, it can be taken again', () => {
    const release = lockHome(home);
    assert.ok(existsSync(lock));
    release();
    assert.equal(existsSync(lock), false);
    lockHome(home)();
  });

  it("a live Node.js process's lock refuses, naming the file to remove if none runs", () => {
    // This test's parent (the test runner) is a live Node.js process other than this one.
    writeFileSync(lock, JSON.stringify({ pid: process.ppid }));
    assert.throws(
      () => lockHome(home),
      (e: { code?: string; message?: string }) => {
        assert.equal(e.code, 'NODE_HOME_LOCKED');
        assert.match(e.message ?? '', /remove .*node\.lock/);
        return true;
      },
    );
    rmSync(lock);
  });

  it('a dead holder, an unreadable lock or its own pid is taken over, leaving no stray files', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    for (const content of [
      JSON.stringify({ pid: Number(dead.stdout) }),
      '',
      'garbage',
      JSON.stringify({ pid: process.pid }),
    ]) {
      writeFileSync(lock, content);
      const release = lockHome(home);
      release();
    }
    assert.deepEqual(readdirSync(home), []);
  });
});
