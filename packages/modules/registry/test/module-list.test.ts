import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHAIN_MODULES } from '../src/chain.js';
import * as clients from '../src/client.js';
import * as verifiers from '../src/verify.js';

const MODULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the module list', () => {
  it('is generated from modules.json: adding a module is its package and one line there', () => {
    const script = join(MODULES_DIR, '../../scripts/module-list.mjs');
    const checked = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
    const listed = JSON.parse(readFileSync(join(MODULES_DIR, 'registry/modules.json'), 'utf8'));
    assert.deepEqual(
      listed,
      CHAIN_MODULES.map((m) => m.name),
    );
  });

  it('lists every module package once, governance first, each named as its package says', () => {
    // A package under modules/ without a `./chain` entry is a module still being built (its libraries first).
    const packages = readdirSync(MODULES_DIR)
      .filter((dir) => dir !== 'registry')
      .map((dir) => JSON.parse(readFileSync(join(MODULES_DIR, dir, 'package.json'), 'utf8')))
      .filter((pkg) => pkg.exports?.['./chain'])
      .map((pkg) => pkg.name as string);
    assert.deepEqual(CHAIN_MODULES.map((m) => `@pujiang/module-${m.name}`).sort(), packages.sort());
    assert.equal(CHAIN_MODULES[0]!.name, 'governance');
  });

  it('re-exports every client call and verifier (no name lost to a clash between modules)', async () => {
    for (const [entry, names] of [
      ['client', Object.keys(clients)],
      ['verify', Object.keys(verifiers)],
    ] as const) {
      for (const dir of readdirSync(MODULES_DIR).filter((d) => d !== 'registry')) {
        const pkg = JSON.parse(readFileSync(join(MODULES_DIR, dir, 'package.json'), 'utf8'));
        if (!pkg.exports[`./${entry}`]) continue;
        const own = Object.keys(await import(`${pkg.name}/${entry}`));
        for (const name of own)
          assert.ok(names.includes(name), `${pkg.name}/${entry} ${name} is not re-exported`);
      }
    }
  });
});
