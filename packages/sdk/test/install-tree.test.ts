import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** What only a validator needs: an application that installs the SDK must never pull these in. */
const SERVER_ONLY = [
  'lmdb',
  'snarkjs',
  'pg',
  '@ethereumjs/evm',
  '@ethereumjs/vm',
  'solc',
  '@pujiang/node',
  '@pujiang/storage',
];

/** The package.json of `name` as Node would resolve it from `from` (walking up node_modules folders). */
function manifestOf(name: string, from: string): { path: string; json: Record<string, unknown> } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const path = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(path)) return { path, json: JSON.parse(readFileSync(path, 'utf8')) };
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every package an install of `name` brings (its dependencies and optional dependencies, transitively). */
function installTree(name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (pkg: string, from: string) => {
    const manifest = manifestOf(pkg, from);
    if (!manifest || seen.has(`${pkg}\u0000${manifest.path}`)) return;
    seen.add(`${pkg}\u0000${manifest.path}`);
    const deps = {
      ...(manifest.json.dependencies as Record<string, string> | undefined),
      ...(manifest.json.optionalDependencies as Record<string, string> | undefined),
    };
    for (const dep of Object.keys(deps)) visit(dep, dirname(manifest.path));
  };
  visit(name, ROOT);
  return new Set([...seen].map((entry) => entry.slice(0, entry.indexOf('\u0000'))));
}

describe('what installing the SDK brings', () => {
  it('no server-only library (LMDB, the EVM, snarkjs, PostgreSQL, the node) is in its install tree', () => {
    const tree = installTree('@pujiang/sdk');
    assert.ok(tree.has('@pujiang/module-did'), 'the walk reaches the module packages');
    for (const pkg of SERVER_ONLY) assert.ok(!tree.has(pkg), `${pkg} is installed with the SDK`);
  });
});
