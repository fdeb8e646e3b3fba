import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { slugOf } from '../src/commands/onboard-steps.js';
import { checkUscc, generateUscc } from '../src/commands/uscc.js';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';

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
});
