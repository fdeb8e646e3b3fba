import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCsr, csrToPem, generateKeyPair } from '@pujiang/crypto';
import { readKeyFile } from '@pujiang/node';
import { keepCertificate, makeKey } from '../src/commands/onboard/credentials.js';
import { claimEnterpriseDir } from '../src/commands/onboard/dir.js';
import { slugOf } from '../src/commands/onboard/files.js';
import { Progress, readSummary } from '../src/commands/onboard/record.js';
import { checkUscc, generateUscc } from '../src/commands/uscc.js';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';

/** A PEM certificate's DER. */
const readCertificatePem = (path: string) =>
  Uint8Array.from(Buffer.from(readFileSync(path, 'utf8').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));

/**
 * What onboarding does without a chain: `cert request` and `cert issue --csr` between a member
 * and its CA (the older --key-file and --public-key forms unchanged), unified social credit
 * codes, directory names, and the refusals that come before any network is asked.
 */
describe('onboarding offline: certificate requests, credit codes, refusals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-onboard-offline-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = cliJson();
  const at = (name: string) => join(dir, name);

  it('cert request, then cert issue --csr: the key and name of the request, the CA’s organization and role', async () => {
    assert.equal(
      (await cli('org', 'init', '--dir', at('ca'), '--id', 'tax', '--suite', 'sm2')).code,
      EXIT.ok,
    );
    assert.equal((await cli('keys', 'generate', '--suite', 'sm2', '--out', at('k.json'))).code, EXIT.ok);
    const req = await cli(
      'cert',
      'request',
      '--key-file',
      at('k.json'),
      '--name',
      'Acme',
      '--org',
      'tax',
      '--role',
      'client',
      '--out',
      at('k.csr'),
    );
    assert.equal(req.code, EXIT.ok, req.err);
    assert.deepEqual(
      [req.json.commonName, req.json.org, req.json.role, req.json.suite],
      ['Acme', 'tax', 'client', 'sm2'],
    );
    assert.match(readFileSync(at('k.csr'), 'utf8'), /^-----BEGIN CERTIFICATE REQUEST-----/);
    const issued = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'client',
      '--csr',
      at('k.csr'),
      '--out',
      at('k.pem'),
    );
    assert.equal(issued.code, EXIT.ok, issued.err);
    assert.deepEqual([issued.json.commonName, issued.json.org, issued.json.role], ['Acme', 'tax', 'client']);
    assert.equal(issued.json.address, req.json.address);
    assert.equal(issued.json.publicKey, req.json.publicKey);
    // Another role than the request asks for, and an existing output file: refused.
    const role = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'admin',
      '--csr',
      at('k.csr'),
      '--out',
      at('k2.pem'),
    );
    assert.match(role.err, /^error CERT_REQUEST_WRONG_ROLE: /m);
    const again = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'client',
      '--csr',
      at('k.csr'),
      '--out',
      at('k.pem'),
    );
    assert.equal(again.code, EXIT.badInput);
    // Not a request at all; two key sources at once.
    writeFileSync(
      at('junk.csr'),
      '-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n',
    );
    const junk = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'client',
      '--csr',
      at('junk.csr'),
      '--out',
      at('j.pem'),
    );
    assert.match(junk.err, /^error CRYPTO_CSR_INVALID: /m);
    const both = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'client',
      '--csr',
      at('k.csr'),
      '--key-file',
      at('k.json'),
      '--out',
      at('b.pem'),
    );
    assert.match(both.err, /^error CLI_USAGE: give one of /m);
    // The older forms still work.
    const byKey = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'client',
      '--key-file',
      at('k.json'),
      '--out',
      at('kf.pem'),
    );
    assert.equal(byKey.code, EXIT.ok, byKey.err);
    const byPublic = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca'),
      '--role',
      'auditor',
      '--public-key',
      req.json.publicKey,
      '--out',
      at('pk.pem'),
    );
    assert.deepEqual([byPublic.code, byPublic.json.role], [EXIT.ok, 'auditor']);
  });

  it('unified social credit codes: real ones check, altered ones do not, generated ones are valid and distinct', () => {
    for (const code of ['91350100M000100Y43', '91330100799655058B', '9131000013221158XC'])
      assert.equal(checkUscc(code), code);
    for (const code of ['91330100799655058C', '9133010079965505', '91330100799655O58B', '91330100799655068B'])
      assert.throws(() => checkUscc(code), { code: 'ONBOARD_BAD_USCC' });
    const made = Array.from({ length: 200 }, () => generateUscc());
    for (const code of made) assert.equal(checkUscc(code), code);
    assert.ok(made.every((c) => c.startsWith('91310115')));
    assert.equal(new Set(made).size, made.length);
  });

  it('directory names from enterprise names, any script', () => {
    assert.equal(slugOf('Acme Trading Co.'), 'acme-trading-co');
    assert.equal(slugOf('上海浦江贸易有限公司'), '上海浦江贸易有限公司');
    assert.equal(slugOf('  --  '), 'enterprise');
  });

  it('refusals before any network: no network home, a request without a suite, finish without a request', async () => {
    const none = await cli(
      'onboard',
      '--name',
      'Acme',
      '--org',
      'org1',
      '--home',
      at('nowhere'),
      '--out',
      at('e1'),
    );
    assert.match(none.err, /^error ONBOARD_NO_NETWORK: /m);
    const noSuite = await cli(
      'onboard',
      'request',
      '--name',
      'Acme',
      '--org',
      'org1',
      '--home',
      at('nowhere'),
    );
    assert.match(noSuite.err, /^error ONBOARD_NO_NETWORK: /m);
    const finish = await cli(
      'onboard',
      'finish',
      '--dir',
      at('e1'),
      '--cert',
      at('k.pem'),
      '--genesis',
      'g.json',
    );
    assert.match(finish.err, /^error ONBOARD_NOT_REQUESTED: /m);
    const mixed = await cli(
      'onboard',
      'request',
      '--name',
      'Acme',
      '--org',
      'org1',
      '--suite',
      'sm2',
      '--uscc',
      'x',
    );
    assert.match(mixed.err, /^error CLI_USAGE: --uscc does not go with onboard request/m);
    const requested = await cli(
      'onboard',
      'request',
      '--name',
      'Acme',
      '--org',
      'org1',
      '--suite',
      'ed25519',
      '--out',
      at('e2'),
    );
    assert.equal(requested.code, EXIT.ok, requested.err);
    const twice = await cli(
      'onboard',
      'request',
      '--name',
      'Acme',
      '--org',
      'org1',
      '--suite',
      'ed25519',
      '--out',
      at('e2'),
    );
    assert.match(twice.err, /^error ONBOARD_EXISTS: /m);
  });
  it('names: --name and --org are checked before anything is written (length, control characters)', async () => {
    for (const name of ['Acme\u0007 Co', 'Acme \u202eoC', 'x'.repeat(65), '   ']) {
      const r = await cli(
        'onboard',
        'request',
        '--name',
        name,
        '--org',
        'org1',
        '--suite',
        'sm2',
        '--out',
        at('bad-name'),
      );
      assert.equal(r.code, EXIT.badInput, name);
      assert.match(r.err, /^error ONBOARD_BAD_NAME: /m, name);
      assert.equal(existsSync(at('bad-name')), false, 'nothing written');
    }
    // The one-command path refuses it before it looks for a network.
    const local = await cli('onboard', '--name', 'Acme\nCo', '--org', 'org1', '--home', at('nowhere'));
    assert.match(local.err, /^error ONBOARD_BAD_NAME: /m);
    const org = await cli(
      'onboard',
      'request',
      '--name',
      'Acme',
      '--org',
      'org\u00071',
      '--suite',
      'sm2',
      '--out',
      at('bad-org'),
    );
    assert.match(org.err, /^error ONBOARD_BAD_NAME: /m);
    assert.equal(existsSync(at('bad-org')), false);
    // 64 characters in any script are a name.
    const long = '浦'.repeat(64);
    const ok = await cli(
      'onboard',
      'request',
      '--name',
      long,
      '--org',
      'org1',
      '--suite',
      'sm2',
      '--out',
      at('long-name'),
    );
    assert.equal(ok.code, EXIT.ok, ok.err);
  });

  it('one directory, one run: a second claim is ONBOARD_BUSY, a key is created exclusively, an unfinished request resumes', async () => {
    const d = at('race');
    const first = claimEnterpriseDir(d, { name: 'Race Co', org: 'org1' }, ['started']);
    new Progress(d, { name: 'Race Co', org: 'org1', suite: 'ed25519' }).save({});
    assert.throws(() => claimEnterpriseDir(d, { name: 'Race Co', org: 'org1' }, ['started']), {
      code: 'ONBOARD_BUSY',
    });
    const key = makeKey(d, 'ed25519');
    assert.throws(() => makeKey(d, 'ed25519'), { code: 'ONBOARD_EXISTS' });
    assert.deepEqual(
      readKeyFile(join(d, 'key.json')).publicKey.bytes,
      key.publicKey.bytes,
      'the first key stays',
    );
    // The first run stops before its request (its lock released, as on an error).
    first.release();
    assert.equal(readSummary(d)?.status, 'started');
    // Another name is not this directory's onboarding.
    const other = await cli(
      'onboard',
      'request',
      '--name',
      'Other Co',
      '--org',
      'org1',
      '--suite',
      'ed25519',
      '--out',
      d,
    );
    assert.match(other.err, /^error ONBOARD_EXISTS: .*Race Co/m);
    // The same one is resumed: the key kept, the request made for it.
    const resumed = await cli(
      'onboard',
      'request',
      '--name',
      'Race Co',
      '--org',
      'org1',
      '--suite',
      'ed25519',
      '--out',
      d,
    );
    assert.equal(resumed.code, EXIT.ok, resumed.err);
    const lines = resumed.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.filter((l) => 'step' in l).map((l) => [l.step, l.skipped ?? null]),
      [
        ['key', 'key.json present'],
        ['request', null],
      ],
    );
    const shown = await cli('cert', 'show', '--csr', join(d, 'request.pem'));
    assert.equal(shown.json.publicKey, `ed25519:${Buffer.from(key.publicKey.bytes).toString('hex')}`);
    assert.deepEqual(readSummary(d)?.status, 'requested');
    assert.deepEqual(
      readSummary(d)?.steps.map((l) => l.step),
      ['request'],
    );
    assert.equal(existsSync(join(d, 'onboarding.lock')), false, 'the lock is released');
  });

  it('onboarding.json: a corrupt one is ONBOARD_BAD_SUMMARY; finish refuses a request not complete; a certificate for another key is ONBOARD_WRONG_KEY', async () => {
    const d = at('e2');
    const summary = readFileSync(join(d, 'onboarding.json'), 'utf8');
    writeFileSync(join(d, 'onboarding.json'), '{"status":');
    const corrupt = await cli('onboard', 'finish', '--dir', d, '--cert', at('k.pem'), '--genesis', 'g.json');
    assert.match(corrupt.err, /^error ONBOARD_BAD_SUMMARY: /m);
    writeFileSync(join(d, 'onboarding.json'), JSON.stringify({ ...JSON.parse(summary), status: 'started' }));
    const started = await cli('onboard', 'finish', '--dir', d, '--cert', at('k.pem'), '--genesis', 'g.json');
    assert.match(started.err, /^error ONBOARD_NOT_REQUESTED: .*status started/m);
    writeFileSync(join(d, 'onboarding.json'), summary);
    const other = readCertificatePem(at('k.pem')); // k.json's certificate, not e2's key
    assert.throws(() => keepCertificate(d, other, readKeyFile(join(d, 'key.json'))), {
      code: 'ONBOARD_WRONG_KEY',
    });
  });

  it('cert show --csr: what a request asks for before it is issued; an SM2 request with the empty user ID is issued, with a note; control characters in names are refused', async () => {
    const shown = await cli('cert', 'show', '--csr', at('k.csr'));
    assert.equal(shown.code, EXIT.ok, shown.err);
    assert.deepEqual(shown.json.subject, {
      commonName: 'Acme',
      organization: 'tax',
      organizationalUnit: 'client',
    });
    assert.deepEqual(
      [shown.json.suite, shown.json.chainHash, shown.json.selfSignature, shown.json.attributes],
      ['sm2', 'sm3', { verified: true, sm2UserId: '1234567812345678' }, []],
    );
    assert.match(shown.json.address, /^[0-9a-f]{42}$/);
    // OpenSSL 3 without -sigopt distid: the empty SM2 user ID.
    const fixture = new URL('../../../crypto/test/fixtures/sm2-empty-id.csr.pem', import.meta.url);
    writeFileSync(at('openssl.csr'), readFileSync(fixture, 'utf8'));
    const empty = await cli('cert', 'show', '--csr', at('openssl.csr'));
    assert.equal(empty.code, EXIT.ok, empty.err);
    assert.equal(empty.json.selfSignature.sm2UserId, '');
    assert.match(empty.err, /empty SM2 user ID/);
    assert.equal(
      (await cli('org', 'init', '--dir', at('ca1'), '--id', 'org1', '--suite', 'sm2')).code,
      EXIT.ok,
    );
    const issued = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca1'),
      '--role',
      'client',
      '--csr',
      at('openssl.csr'),
      '--out',
      at('openssl.pem'),
    );
    assert.equal(issued.code, EXIT.ok, issued.err);
    assert.deepEqual([issued.json.commonName, issued.json.requestSm2UserId], ['Acme Trading Co', '']);
    assert.match(issued.err, /^note: .*empty SM2 user ID/m);
    // A name with a bidirectional override: shown with the problem (exit 1), refused at issue.
    const key = generateKeyPair('sm2');
    const subject = {
      commonName: 'Acme \u202eoC gnidarT',
      organization: 'org1',
      organizationalUnit: 'client',
    };
    writeFileSync(at('bidi.csr'), csrToPem(createCsr(key, subject)));
    const bidi = await cli('cert', 'show', '--csr', at('bidi.csr'));
    assert.equal(bidi.code, EXIT.invalid);
    assert.deepEqual(
      bidi.json.nameProblems.map((p: { field: string }) => p.field),
      ['commonName'],
    );
    const refused = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca1'),
      '--role',
      'client',
      '--csr',
      at('bidi.csr'),
      '--out',
      at('bidi.pem'),
    );
    assert.equal(refused.code, EXIT.badInput);
    assert.match(refused.err, /^error CERT_REQUEST_BAD_NAME: /m);
    assert.equal(existsSync(at('bidi.pem')), false);
    // The admin's --name is held to the same rule.
    const named = await cli(
      'cert',
      'issue',
      '--org-dir',
      at('ca1'),
      '--role',
      'client',
      '--csr',
      at('openssl.csr'),
      '--name',
      'A\u0000',
      '--out',
      at('named.pem'),
    );
    assert.match(named.err, /^error CERT_REQUEST_BAD_NAME: /m);
    // A tampered request: shown as not verifying, exit 1.
    const der = Buffer.from(readFileSync(at('k.csr'), 'utf8').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.indexOf('Acme')] = 'B'.charCodeAt(0);
    writeFileSync(at('tampered.csr'), csrToPem(der));
    const tampered = await cli('cert', 'show', '--csr', at('tampered.csr'));
    assert.equal(tampered.code, EXIT.invalid);
    assert.equal(tampered.json.selfSignature.verified, false);
    assert.match(tampered.err, /^error CRYPTO_CSR_SIGNATURE: /m);
  });
});
