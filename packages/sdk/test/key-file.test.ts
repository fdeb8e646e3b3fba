import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  formatKeyFile,
  generateKeyPair,
  isPujiangError,
  loadKeyFile,
  parseKeyFile,
  SUITE_IDS,
  saveKeyFile,
} from '../src/index.js';

describe('key files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-keyfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('save and load every suite, owner-only, in the documented format', () => {
    for (const suite of SUITE_IDS) {
      const key = generateKeyPair(suite);
      const path = join(dir, `${suite}.json`);
      saveKeyFile(path, key);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const json = JSON.parse(readFileSync(path, 'utf8'));
      assert.deepEqual(Object.keys(json), ['suite', 'secretKey', 'publicKey']);
      assert.equal(json.suite, suite);
      const loaded = loadKeyFile(path);
      assert.deepEqual(loaded.publicKey.bytes, key.publicKey.bytes);
      assert.deepEqual(loaded.secretKey.bytes, key.secretKey.bytes);
      assert.equal(readFileSync(path, 'utf8'), formatKeyFile(key));
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
      'no temporary files left',
    );
  });

  it('never replaces a key file unless asked to', () => {
    const path = join(dir, 'keep.json');
    const first = generateKeyPair('ed25519');
    saveKeyFile(path, first);
    const second = generateKeyPair('ed25519');
    assert.throws(
      () => saveKeyFile(path, second),
      (e) => isPujiangError(e, 'KEYFILE_EXISTS'),
    );
    assert.deepEqual(loadKeyFile(path).publicKey.bytes, first.publicKey.bytes);
    saveKeyFile(path, second, { overwrite: true });
    assert.deepEqual(loadKeyFile(path).publicKey.bytes, second.publicKey.bytes);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
    );
  });

  it('names the field that is wrong', () => {
    const key = generateKeyPair('sm2');
    const good = JSON.parse(formatKeyFile(key)) as Record<string, unknown>;
    const cases: [string, unknown, string | undefined][] = [
      ['not JSON', '{', undefined],
      ['an array', [], undefined],
      ['no suite', { ...good, suite: undefined }, 'suite'],
      ['unknown suite', { ...good, suite: 'rsa' }, 'suite'],
      ['no secret key', { ...good, secretKey: undefined }, 'secretKey'],
      ['secret key not hex', { ...good, secretKey: 'xyz' }, 'secretKey'],
      ['secret key too short', { ...good, secretKey: 'abcd' }, 'secretKey'],
      [
        'someone else’s public key',
        { ...good, publicKey: JSON.parse(formatKeyFile(generateKeyPair('sm2'))).publicKey },
        'publicKey',
      ],
    ];
    for (const [what, content, field] of cases) {
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      const path = join(dir, 'bad.json');
      writeFileSync(path, text);
      assert.throws(
        () => loadKeyFile(path),
        (e) => isPujiangError(e, 'KEYFILE_INVALID') && e.details.field === field && e.details.path === path,
        what,
      );
      assert.throws(
        () => parseKeyFile(text),
        (e) => isPujiangError(e, 'KEYFILE_INVALID'),
        what,
      );
    }
    // Without the public key it still loads: it is derived.
    const path = join(dir, 'nopub.json');
    writeFileSync(path, JSON.stringify({ suite: 'sm2', secretKey: good.secretKey }));
    assert.deepEqual(loadKeyFile(path).publicKey.bytes, key.publicKey.bytes);
    assert.throws(
      () => loadKeyFile(join(dir, 'missing.json')),
      (e) => isPujiangError(e, 'KEYFILE_UNREADABLE'),
    );
  });
});
