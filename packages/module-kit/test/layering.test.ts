import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The layering of ARCHITECTURE.md, checked mechanically: packages depend only on packages
 * of lower layers, and a few folders may not import what they must stay independent of.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Each package's layer; a runtime dependency must point to a lower layer. */
const LAYERS: Record<string, number> = {
  '@pujiang/types': 0,
  '@pujiang/codec': 1,
  '@pujiang/crypto': 2,
  '@pujiang/state': 3,
  '@pujiang/consensus': 3,
  '@pujiang/p2p': 3,
  '@pujiang/storage': 4,
  '@pujiang/protocol': 4,
  '@pujiang/module-kit': 5,
  '@pujiang/verify': 5,
  '@pujiang/cli-kit': 5.2,
  // Cross-chain light clients read another chain's governance records (the validator set):
  // above the modules whose formats they read, below the module list.
  '@pujiang/module-xchain': 5.6,
  // Private data collections read governance's read mandates; the privacy module's commands
  // drive collections too: each above what it reads.
  '@pujiang/module-collections': 5.6,
  '@pujiang/module-confidential': 5.5,
  '@pujiang/module-privacy': 5.7,
  // Documents verify their credentials with the did module and their files' anchors with
  // the notary's formats: above both.
  '@pujiang/module-docs': 5.6,
  '@pujiang/module-data': 5.6,
  // Trade finance composes the services below it: receivables over bank and notary, letters
  // of credit over bank, notary, credentials and documents.
  '@pujiang/module-scf': 5.6,
  '@pujiang/module-lc': 5.7,
  // Settlement pays through the bank and reads governance (and, later, cross-chain and documents).
  '@pujiang/module-settle': 5.6,
  '@pujiang/module-evm': 5.5,
  '@pujiang/node': 6,
  '@pujiang/sdk': 7,
  // Applications over the SDK: the console (in the browser), the indexer and the monitor.
  '@pujiang/console': 7.5,
  '@pujiang/indexer': 7.5,
  '@pujiang/monitor': 7.5,
  '@pujiang/cli': 8,
  '@pujiang/bench': 9,
};

/** Libraries only a validator needs: module packages may name them only as optional peers. */
const SERVER_ONLY = /^(lmdb|@ethereumjs\/.*|snarkjs|circom2|pg|sodium-native)$/;

interface Manifest {
  name: string;
  dir: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

function manifests(): Manifest[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs = root.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(ROOT, pattern.slice(0, -2)))
          .map((d) => join(pattern.slice(0, -2), d))
          .filter((d) => existsSync(join(ROOT, d, 'package.json')))
      : [pattern],
  );
  return dirs.map((dir) => {
    const m = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    return {
      name: m.name,
      dir,
      dependencies: m.dependencies ?? {},
      devDependencies: m.devDependencies ?? {},
    };
  });
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

const layerOf = (name: string): number => {
  if (LAYERS[name] !== undefined) return LAYERS[name]!;
  if (name.startsWith('@pujiang/module-')) return 5.5;
  if (name === '@pujiang/modules') return 5.8;
  return LAYERS[name] ?? Number.NaN;
};

describe('layering', () => {
  const all = manifests();

  it('every package has a layer, and its runtime dependencies point to lower layers', () => {
    for (const m of all) {
      assert.ok(!Number.isNaN(layerOf(m.name)), `${m.name} has no layer in this test's table`);
      for (const dep of Object.keys(m.dependencies).filter((d) => d.startsWith('@pujiang/')))
        assert.ok(
          layerOf(dep) < layerOf(m.name),
          `${m.name} (layer ${layerOf(m.name)}) depends on ${dep} (layer ${layerOf(dep)})`,
        );
    }
  });

  it('source imports of other packages are declared dependencies (tests: dev dependencies)', () => {
    const missing = new Set<string>();
    for (const m of all) {
      for (const [folder, allowed] of [
        ['src', m.dependencies],
        ['test', { ...m.dependencies, ...m.devDependencies }],
      ] as const) {
        for (const file of sourceFiles(join(ROOT, m.dir, folder))) {
          for (const spec of importsOf(file).filter((s) => s.startsWith('@pujiang/'))) {
            const pkg = spec.split('/').slice(0, 2).join('/');
            if (pkg === m.name) continue;
            if (!(pkg in allowed))
              missing.add(`${m.name} ${folder} imports ${pkg} (${relative(ROOT, file)})`);
          }
        }
      }
    }
    assert.deepEqual([...missing], []);
  });

  it("the node's core folders import no module package; crypto and consensus import no node; verify has no HTTP client", () => {
    const rules: [string, RegExp][] = [
      ['packages/node/src/chain', /^@pujiang\/(module-(?!kit(\/|$))|modules$)/],
      ['packages/node/src/execution', /^@pujiang\/(module-(?!kit(\/|$))|modules$)/],
      ['packages/node/src/mempool', /^@pujiang\/(module-(?!kit(\/|$))|modules$)/],
      ['packages/node/src/network', /^@pujiang\/(module-(?!kit(\/|$))|modules$)/],
      ['packages/node/src/api', /^@pujiang\/(module-(?!kit(\/|$))|modules$)/],
      ['packages/crypto/src', /^@pujiang\/(node|storage|p2p|protocol|sdk)/],
      ['packages/consensus/src', /^@pujiang\/(node|storage|p2p|protocol|sdk)/],
      ['packages/verify/src', /^(node:https?|node:net|ws|undici|@pujiang\/(sdk|client|node))$/],
      ['packages/module-kit/src', /^@pujiang\/(node|sdk|storage|p2p)/],
      ['packages/cli-kit/src', /^@pujiang\/(node|sdk|cli|storage|p2p)$/],
    ];
    for (const [folder, banned] of rules)
      for (const file of sourceFiles(join(ROOT, folder)))
        for (const spec of importsOf(file))
          assert.ok(!banned.test(spec), `${relative(ROOT, file)} imports ${spec}, which its layer forbids`);
  });

  it('module packages keep server-only libraries out of what a client installs', () => {
    for (const m of all.filter(
      (x) => x.name.startsWith('@pujiang/module-') && x.name !== '@pujiang/module-kit',
    ))
      for (const dep of Object.keys(m.dependencies))
        assert.ok(
          !SERVER_ONLY.test(dep),
          `${m.name} depends on ${dep}: name it as an optional peer dependency`,
        );
  });

  it('the rules catch a violation (the checker is not vacuous)', () => {
    assert.ok(/^@pujiang\/(module-|modules$)/.test('@pujiang/module-bank'));
    assert.ok(importsOf(fileURLToPath(import.meta.url)).includes('node:test'));
    assert.ok(all.length >= 12);
  });
});
