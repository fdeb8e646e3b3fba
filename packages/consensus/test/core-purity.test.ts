import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** Biome bans the globals (Date, Math, timers, process...) in src/core; this bans the rest of I/O and async. */
const coreDir = new URL('../../src/core/', import.meta.url);

describe('the consensus core is pure', () => {
  const files = readdirSync(coreDir).filter((f) => f.endsWith('.ts'));
  it('has source files to check', () => assert.ok(files.length >= 4));
  for (const file of files) {
    it(`${file}: no async, no await, imports only from the core itself`, () => {
      const source = readFileSync(new URL(file, coreDir), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(source, /\basync\b/, 'async');
      assert.doesNotMatch(source, /\bawait\b/, 'await');
      for (const [, from] of source.matchAll(/from\s+'([^']+)'/g)) {
        assert.match(from!, /^\.\/[\w-]+\.js$/, `import from ${from}`);
      }
    });
  }
});
