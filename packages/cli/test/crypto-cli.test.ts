import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SUITE_IDS } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { EXIT } from '../src/run.js';
import { run } from './run-in-process.js';

const SM2 = {
  publicKey:
    '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  message: bytesToHex(utf8ToBytes('message digest')),
  rs: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
  der: '3046022100f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3022100b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};

describe('pujiang crypto', () => {
  it('verify: the SM2 standard signature is valid as r||s and as DER (exit 0)', async () => {
    for (const sig of [SM2.rs, SM2.der]) {
      const r = await run(
        'crypto',
        'verify',
        '--suite',
        'sm2',
        '--pub',
        SM2.publicKey,
        '--msg',
        SM2.message,
        '--sig',
        sig,
      );
      assert.equal(r.code, EXIT.ok, r.err);
      assert.equal(r.out, 'valid');
    }
  });

  it('verify: a wrong message or user ID is invalid (exit 1)', async () => {
    const r = await run(
      'crypto',
      'verify',
      '--suite',
      'sm2',
      '--pub',
      SM2.publicKey,
      '--msg',
      '00',
      '--sig',
      SM2.rs,
    );
    assert.equal(r.code, EXIT.invalid);
    const id = await run(
      'crypto',
      'verify',
      '--suite',
      'sm2',
      '--pub',
      SM2.publicKey,
      '--msg',
      SM2.message,
      '--sig',
      SM2.rs,
      '--id',
      'bob',
    );
    assert.equal(id.code, EXIT.invalid);
  });

  it('bad input exits 2 with a typed message', async () => {
    const cases: [string[], string][] = [
      [
        ['crypto', 'verify', '--suite', 'rsa', '--pub', '00', '--msg', '00', '--sig', '00'],
        'CRYPTO_UNKNOWN_SUITE',
      ],
      [['crypto', 'verify', '--suite', 'sm2', '--pub', 'xyz', '--msg', '00', '--sig', '00'], 'CLI_USAGE'],
      [['crypto', 'verify', '--suite', 'sm2', '--pub', SM2.publicKey, '--msg', '00'], 'CLI_MISSING_OPTION'],
      [
        ['crypto', 'verify', '--suite', 'sm2', '--pub', '04', '--msg', '00', '--sig', SM2.rs],
        'CRYPTO_INVALID_PUBLIC_KEY',
      ],
      [
        ['crypto', 'verify', '--suite', 'sm2', '--pub', SM2.publicKey, '--msg', '00', '--sig', '3000'],
        'CRYPTO_INVALID_SIGNATURE_ENCODING',
      ],
      [['crypto', 'hash', '--alg', 'md5', '--hex', '00'], 'CRYPTO_UNKNOWN_HASH'],
      [['crypto', 'sign', '--suite', 'ed25519', '--key', '00', '--msg', '00'], 'CRYPTO_INVALID_SECRET_KEY'],
      [['crypto', 'keygen', '--suite', 'ed25519', '--bogus'], 'CLI_USAGE'],
      [['crypto', 'frobnicate'], 'CLI_USAGE'],
      [
        ['crypto', 'verify', '--suite', 'sm2', '--pub', SM2.publicKey, '--msg', '00', '--sig', '00'],
        'CLI_USAGE',
      ],
      [
        ['crypto', 'verify', '--suite', 'sm2', '--pub', SM2.publicKey, '--msg', '00', '--sig', ''],
        'CLI_USAGE',
      ],
      [
        ['crypto', 'verify', '--suite', 'sm2', '--pub', SM2.publicKey, '--msg', '00', '--sig', `${SM2.rs}00`],
        'CLI_USAGE',
      ],
      [
        ['crypto', 'sign', '--suite', 'ed25519', '--key', '00'.repeat(32), '--msg', '00', '--der'],
        'CLI_USAGE',
      ],
      [
        ['crypto', 'sign', '--suite', 'ed25519', '--key', '00'.repeat(32), '--msg', '00', '--id', 'x'],
        'CLI_USAGE',
      ],
      [
        ['crypto', 'sign', '--suite', 'sm2', '--key', '00'.repeat(32), '--msg', '00', '--context', '00'],
        'CLI_USAGE',
      ],
      [['crypto', 'hash', '--alg', 'sm3', '--alg', 'sha256', '--hex', '00'], 'CLI_USAGE'],
      [['nonsense'], 'CLI_UNKNOWN_COMMAND'],
    ];
    for (const [argv, code] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, EXIT.badInput, argv.join(' '));
      assert.match(r.err, new RegExp(`^error ${code}:`), argv.join(' '));
    }
  });

  it('keygen, sign and verify agree for every suite', async () => {
    for (const suite of SUITE_IDS) {
      const keys = JSON.parse((await run('crypto', 'keygen', '--suite', suite)).out) as {
        secretKey: string;
        publicKey: string;
      };
      const sig = (await run('crypto', 'sign', '--suite', suite, '--key', keys.secretKey, '--msg', 'cafe'))
        .out;
      const ok = await run(
        'crypto',
        'verify',
        '--suite',
        suite,
        '--pub',
        keys.publicKey,
        '--msg',
        'cafe',
        '--sig',
        sig,
      );
      assert.equal(ok.code, EXIT.ok, `${suite}: ${ok.err}`);
      const bad = await run(
        'crypto',
        'verify',
        '--suite',
        suite,
        '--pub',
        keys.publicKey,
        '--msg',
        'cafd',
        '--sig',
        sig,
      );
      assert.equal(bad.code, EXIT.invalid, suite);
    }
  });

  it('sign --der gives DER for SM2, and an empty message is allowed', async () => {
    const d = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
    const r = await run('crypto', 'sign', '--suite', 'sm2', '--key', d, '--msg', '', '--der');
    assert.equal(r.code, EXIT.ok, r.err);
    assert.equal(hexToBytes(r.out)[0], 0x30);
    const v = await run(
      'crypto',
      'verify',
      '--suite',
      'sm2',
      '--pub',
      SM2.publicKey,
      '--msg',
      '',
      '--sig',
      r.out,
    );
    assert.equal(v.code, EXIT.ok);
  });

  it('--context reaches ML-DSA: a signature made with one context fails under another', async () => {
    const keys = JSON.parse((await run('crypto', 'keygen', '--suite', 'ml-dsa-44')).out) as {
      secretKey: string;
      publicKey: string;
    };
    const sig = (
      await run(
        'crypto',
        'sign',
        '--suite',
        'ml-dsa-44',
        '--key',
        keys.secretKey,
        '--msg',
        'cafe',
        '--context',
        '0102',
      )
    ).out;
    const args = [
      'crypto',
      'verify',
      '--suite',
      'ml-dsa-44',
      '--pub',
      keys.publicKey,
      '--msg',
      'cafe',
      '--sig',
      sig,
    ];
    assert.equal((await run(...args, '--context', '0102')).code, EXIT.ok);
    assert.equal((await run(...args)).code, EXIT.invalid);
  });

  it('hash: SM3 and SHA-256 of "abc"', async () => {
    assert.equal(
      (await run('crypto', 'hash', '--alg', 'sm3', '--hex', '616263')).out,
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    assert.equal(
      (await run('crypto', 'hash', '--alg', 'sha256', '--hex', '616263')).out,
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('the pujiang binary', () => {
  const bin = fileURLToPath(new URL('../src/main.js', import.meta.url));
  it('exits with the documented codes as a real process', () => {
    const args = ['crypto', 'verify', '--suite', 'sm2', '--pub', SM2.publicKey, '--msg', SM2.message];
    assert.equal(spawnSync(process.execPath, [bin, ...args, '--sig', SM2.rs]).status, 0);
    assert.equal(spawnSync(process.execPath, [bin, ...args, '--sig', SM2.rs.replace(/^f5/, 'f6')]).status, 1);
    assert.equal(spawnSync(process.execPath, [bin, ...args, '--sig', 'nothex']).status, 2);
  });
  it('selftest passes', () => {
    assert.match(
      execFileSync(process.execPath, [bin, 'selftest'], { encoding: 'utf8' }),
      /\d+ passed, 0 failed/,
    );
  });
});
