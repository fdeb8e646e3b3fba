import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT } from '../src/run.js';
import { run } from './run-in-process.js';

describe('pujiang init and keys', () => {
  it('init writes a government chain (sm2 keys, sm3 hash) with a unique chain id and refuses to overwrite it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pujiang-cli-'));
    const first = await run('init', '--home', home, '--suite', 'sm2');
    assert.equal(first.code, EXIT.ok, first.err);
    const summary = JSON.parse(first.out);
    const genesis = JSON.parse(readFileSync(join(home, 'genesis.json'), 'utf8'));
    assert.equal(genesis.chainHash, 'sm3');
    assert.deepEqual(genesis.acceptedSuites, ['sm2', 'sm2+ml-dsa-65']);
    assert.equal(genesis.validators[0].suite, 'sm2');
    assert.equal(genesis.modules.bank.minter, summary.operatorAddress);
    assert.equal(statSync(join(home, 'node_key.json')).mode & 0o777, 0o600);
    const other = JSON.parse((await run('init', '--home', mkdtempSync(join(tmpdir(), 'pujiang-cli-')))).out);
    assert.notEqual(other.chainId, summary.chainId);
    const again = await run('init', '--home', home);
    assert.equal(again.code, EXIT.badInput);
    assert.match(again.err, /^error HOME_EXISTS/);
  });

  it('keys generate and show agree on the address; bad input is a typed error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-keys-'));
    const file = join(dir, 'alice.json');
    const made = await run('keys', 'generate', '--suite', 'ed25519+ml-dsa-44', '--out', file);
    assert.equal(made.code, EXIT.ok, made.err);
    const shown = await run('keys', 'show', '--key', file);
    assert.equal(JSON.parse(shown.out).address, JSON.parse(made.out).address);
    const sm3 = await run('keys', 'show', '--key', file, '--chain-hash', 'sm3');
    assert.notEqual(JSON.parse(sm3.out).address, JSON.parse(made.out).address);
    for (const argv of [
      ['keys', 'generate', '--suite', 'rsa', '--out', file],
      ['keys', 'show', '--key', join(dir, 'missing.json')],
      ['keys', 'show', '--key', file, '--chain-hash', 'md5'],
      ['keys', 'rotate'],
      ['node', 'start'],
      ['send', '--key', file, '--to', 'xyz', '--amount', '-1'],
    ]) {
      const r = await run(...argv);
      assert.equal(r.code, EXIT.badInput, `${argv.join(' ')}: ${r.out}`);
      assert.match(r.err, /^error [A-Z_]+: /, argv.join(' '));
    }
  });
});
