import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EMPTY_BLOCK_INTERVAL_MS } from '@pujiang/node';
import { type NodeInFolder, nodeInFolder } from './node-harness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/pujiang.js');

/** The README's quick-start commands: the `sh` block of "## Quick start" that runs `npx pujiang`. */
function quickStartLines(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start\n'), readme.indexOf('\n## Running a node\n'));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('npx pujiang status'));
  assert.ok(block, 'the quick start has its npx pujiang block');
  return block.split('\n').filter((line) => line.startsWith('npx pujiang '));
}

/**
 * The README's quick-start commands, run as written by bash (with `npx pujiang` the repository's
 * command) in a folder whose `.pujiang/localnet/node0` is a live node's home, `$PUJIANG_NODE`
 * pointing at it: `<address>` is the address `keys show` printed, `<hash>` the transfer's.
 */
describe("the README's quick-start commands", () => {
  let ctx: NodeInFolder | undefined;
  after(() => ctx?.cleanup());

  it('run as written against a node, each exiting 0', async () => {
    // The pacing users get (an idle block every 30 s): a read right after a transaction must still prove it.
    ctx = await nodeInFolder('pujiang-readme-cli-', 'ed25519', DEFAULT_EMPTY_BLOCK_INTERVAL_MS);
    const { dir, init, node } = ctx;
    const api = node.api;
    mkdirSync(join(dir, '.pujiang/localnet'), { recursive: true });
    symlinkSync(init.home, join(dir, '.pujiang/localnet/node0'));
    const values: Record<string, string> = {};
    const lines = quickStartLines();
    assert.ok(lines.length >= 6, lines.join('\n'));
    for (const written of lines) {
      const line = written.replace(/<(address|hash)>/g, (_, name: string) => {
        assert.ok(values[name], `${name} is needed before it is known: ${written}`);
        return values[name]!;
      });
      const r = spawnSync('bash', ['-c', `npx() { shift; "${process.execPath}" "${BIN}" "$@"; }\n${line}`], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PUJIANG_NODE: api },
        timeout: 60_000,
      });
      assert.equal(r.status, 0, `${line}\n${r.stdout}\n${r.stderr}`);
      if (written.includes('keys show')) values.address = JSON.parse(r.stdout).address;
      if (written.includes(' send ')) values.hash = JSON.parse(r.stdout).hash;
      if (written.startsWith('npx pujiang balance ')) {
        // Proven, and the transfer's amount: the command waits for a header that proves it.
        const proven = JSON.parse(r.stdout);
        assert.equal(proven.verified, true);
        assert.equal(String(proven.balance), written.match(/--amount (\d+)/)?.[1] ?? '100');
      }
    }
    assert.ok(values.address && values.hash);
  });
});
