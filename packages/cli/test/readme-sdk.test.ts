import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EMPTY_BLOCK_INTERVAL_MS } from '@pujiang/node';
import { type NodeInFolder, nodeInFolder, typeCheckNode16 } from './node-harness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The README's SDK program: the first `ts` block of its "## SDK" section. */
function readmeProgram(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## SDK\n'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'the SDK section has a ts block');
  return match[1]!;
}

/**
 * The README's SDK example, run as written against a live node, and type-checked under
 * strict TypeScript with node16 resolution. The program lives in a folder of its own whose
 * node_modules links this repository's packages, as an app next to a checkout would see them.
 */
describe("the README's SDK program", () => {
  let ctx: NodeInFolder | undefined;
  after(() => ctx?.cleanup());

  it('runs as written against a node: a proven balance right after the transfer, and a failure that throws', async () => {
    // The pacing users get (an idle block every 30 s): a read right after a transaction must still prove it.
    ctx = await nodeInFolder('pujiang-readme-', 'ed25519', DEFAULT_EMPTY_BLOCK_INTERVAL_MS);
    const { dir, init, node } = ctx;
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', '@pujiang'), join(dir, 'node_modules', '@pujiang'));
    symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const program = readmeProgram();
    writeFileSync(join(dir, 'example.mjs'), program);
    const run = spawnSync(process.execPath, ['example.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PUJIANG_HOME: init.home, PUJIANG_NODE: node.api },
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^alice holds 100, sent in block \d+ with receipt OK$/m);
    assert.match(run.stdout, /^refused in block \d+: BANK_INSUFFICIENT_FUNDS$/m);

    writeFileSync(join(dir, 'example.mts'), program);
    const checked = typeCheckNode16(dir, 'example.mts');
    assert.equal(checked.status, 0, checked.output);
  });
});
