import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EMPTY_BLOCK_INTERVAL_MS } from '@pujiang/node';
import { type NodeInFolder, nodeInFolder, typeCheckNode16 } from './node-harness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = join(ROOT, 'packages/cli/test/fixtures/outside-app.mts');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The workspace packages `name` needs, itself included (from their package.json files). */
function closure(name: string): string[] {
  const manifests = new Map<string, Manifest>();
  const dirs = [...readdirSync(join(ROOT, 'packages')).map((d) => join('packages', d))];
  dirs.push(...readdirSync(join(ROOT, 'packages/modules')).map((d) => join('packages/modules', d)));
  for (const dir of dirs) {
    try {
      const m = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;
      manifests.set(m.name, m);
    } catch {
      // not a package
    }
  }
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const dep of Object.keys(manifests.get(n)?.dependencies ?? {}))
      if (dep.startsWith('@pujiang/')) visit(dep);
  };
  visit(name);
  return [...seen];
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 300_000 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * The SDK as an application outside this repository gets it: the SDK and the workspace
 * packages it needs are packed (`npm pack`, what a release publishes), installed from the
 * tarballs into an empty folder, and a program there sends, waits, throws on a failed
 * transfer, subscribes, and proves a balance right after a transfer, against a live node;
 * the same program type-checks under strict TypeScript with node16 resolution.
 */
describe('an application outside the repository, on the packed SDK', () => {
  let ctx: NodeInFolder | undefined;
  after(() => ctx?.cleanup());

  it('installs from the tarballs, runs against a node, and type-checks', async () => {
    // The pacing users get (an idle block every 30 s): a read right after a transaction must still prove it.
    ctx = await nodeInFolder('pujiang-outside-', 'ed25519', DEFAULT_EMPTY_BLOCK_INTERVAL_MS);
    const { dir, init, node } = ctx;
    const packs = join(dir, 'packs');
    const app = join(dir, 'app');
    mkdirSync(packs);
    mkdirSync(app);
    const packages = closure('@pujiang/sdk');
    assert.ok(packages.includes('@pujiang/types') && packages.length > 5, packages.join(' '));
    // Built already (npm test builds first): pack without running prepack's build again.
    run(
      'npm',
      [
        'pack',
        '--ignore-scripts',
        '--silent',
        '--pack-destination',
        packs,
        ...packages.flatMap((p) => ['-w', p]),
      ],
      ROOT,
    );
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    assert.equal(tarballs.length, packages.length);
    for (const tarball of tarballs) {
      const listing = run('tar', ['tzf', tarball], dir);
      assert.match(
        listing,
        /^package\/dist\/src\/index\.js$|^package\/dist\/src\/[a-z-]+\.js$/m,
        `${tarball} has no dist`,
      );
      assert.doesNotMatch(listing, /^package\/(dist\/test|test)\//m, `${tarball} ships tests`);
      // The sources ship, so the source maps in dist/src resolve.
      if (/\.js\.map$/m.test(listing))
        assert.match(listing, /^package\/src\/.*\.ts$/m, `${tarball} has maps but no sources`);
    }
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'outside-app', private: true, type: 'module' }),
    );
    const typesNode = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest)
      .devDependencies!['@types/node']!;
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, `@types/node@${typesNode}`],
      app,
    );

    copyFileSync(FIXTURE, join(app, 'app.mjs'));
    const out = run(process.execPath, ['app.mjs'], app, {
      ...process.env,
      PUJIANG_HOME: init.home,
      PUJIANG_NODE: node.api,
    });
    const result = JSON.parse(out.trim().split('\n').at(-1)!);
    assert.equal(result.balance, '250');
    assert.ok(result.provenAt > result.committedAt, 'proven under the header after the transfer');
    assert.equal(result.failure, 'BANK_INSUFFICIENT_FUNDS');
    assert.equal(result.argument, 'hash');
    assert.ok(result.transferEvents >= 1, 'the subscription saw the transfer');

    copyFileSync(FIXTURE, join(app, 'app.mts'));
    const checked = typeCheckNode16(app, 'app.mts');
    assert.equal(checked.status, 0, checked.output);
  });
});
