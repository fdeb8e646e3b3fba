import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT } from '../src/run.js';
import { bash, readmeBlocks } from './readme-harness.js';
import { freeBase, startUp, type UpProcess, upEvent } from './up-harness.js';

/** Every JSON line a command printed on stdout. */
const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);

/** The README section's blocks, in order, their `npx pujiang` lines only. */
const sectionBlocks = () =>
  readmeBlocks()
    .filter((b) => b.section === 'Onboarding an enterprise')
    .map((b) => b.lines.filter((l) => l.startsWith('npx pujiang ')));

/**
 * `pujiang onboard` as a new user meets it: a local network of four SM2 validators made by
 * `pujiang up` in a folder (.pujiang/localnet, as `npm start` makes it), the README's lines
 * run there by bash as written. Two enterprises in one step (the second reuses the issuer the
 * first set up), each sending a transaction that commits, their licences issued by the
 * market-regulation issuer and verifying with its accreditation by the CN-31 root; a third by
 * the production path (request, cert show --csr, the CA's --csr, finish), a tampered request
 * refused, a home of the older layout upgraded, a finish that failed run again; a fourth
 * against --node and --genesis, then resumed with the local issuer.
 */
describe('pujiang onboard on a local network (README "Onboarding an enterprise")', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-onboard-'));
  const home = join(dir, '.pujiang', 'localnet');
  const genesis = join(home, 'node0', 'genesis.json');
  let up: UpProcess | undefined;
  let api0 = '';
  const sh = (line: string) => bash(dir, api0, line);
  /** Runs a line and requires exit 0. */
  const ok = (line: string) => {
    const r = sh(line);
    assert.equal(r.status, EXIT.ok, `${line}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const summaryOf = (enterprise: string) =>
    JSON.parse(readFileSync(join(dir, 'onboarded', enterprise, 'onboarding.json'), 'utf8'));

  before(async () => {
    const base = await freeBase(4);
    up = startUp('--nodes', '4', '--home', home, '--base-port', String(base), '--suite', 'sm2');
    api0 = (await upEvent(up)).nodes[0]!.api;
  });
  after(async () => {
    if (up && up.child.exitCode === null) {
      up.child.kill('SIGTERM');
      await up.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the README block as written: onboard (setting up the issuer once), verify, present, a transaction of its own', () => {
    const [block] = sectionBlocks();
    assert.equal(block?.length, 5);
    const [onboard, ...rest] = block!;
    const r = ok(onboard!);
    const lines = jsonLines(r.stdout);
    const steps = lines.filter((l) => 'step' in l);
    assert.deepEqual(
      steps.map((s) => s.step),
      ['issuer', 'key', 'request', 'certificate', 'register', 'did', 'licence', 'verify'],
    );
    for (const s of steps) assert.ok(Number.isInteger(s.ms) && s.ms >= 0, JSON.stringify(s));
    assert.equal(steps[0]!.oneTimeSetup, true);
    assert.equal(steps[1]!.suite, 'sm2', 'the chain suite');
    // Two DIDs: the CN-31 root (recognised by the vote) accredits the issuer, which alone signs licences.
    const { root, did: issuerDid } = steps[0]!;
    assert.match(root, /^did:pujiang:/);
    assert.match(issuerDid, /^did:pujiang:/);
    assert.notEqual(issuerDid, root);
    const summary = lines.at(-1)!;
    assert.equal(summary.event, 'onboarded');
    assert.equal(summary.status, 'onboarded');
    assert.deepEqual(summary.enterpriseTransaction.step, 'did');
    assert.ok(summary.licence.verified.includes('accreditation'));
    assert.deepEqual(summary.licence.accreditation, [root, issuerDid], 'root → issuer');
    const files = join(dir, 'onboarded', 'acme-trading-co');
    assert.equal(JSON.parse(readFileSync(join(files, 'licence.json'), 'utf8')).issuer, issuerDid);
    assert.deepEqual(summaryOf('acme-trading-co').did, summary.did);
    assert.match(r.stderr, /Next: verify the licence/);
    for (const f of ['key.json', 'request.pem', 'certificate.pem', 'did.json', 'licence.json'])
      assert.ok(existsSync(join(files, f)), f);
    assert.equal(existsSync(join(files, 'onboarding.lock')), false);
    assert.equal(statSync(join(files, 'key.json')).mode & 0o777, 0o600);
    assert.deepEqual(
      summaryOf('acme-trading-co').steps.map((l: { step: string }) => l.step),
      steps.map((s) => s.step),
    );
    const issuer = JSON.parse(readFileSync(join(home, 'market-regulator.json'), 'utf8'));
    assert.deepEqual(
      [issuer.status, issuer.root.did, issuer.issuer.did, issuer.jurisdiction],
      ['ready', root, issuerDid, 'CN-31'],
    );
    assert.equal(statSync(join(home, 'market-regulator-issuer.json')).mode & 0o777, 0o600);
    for (const written of rest) {
      const done = ok(written.replace('<did>', summary.did));
      if (written.includes(' doc verify ')) assert.match(done.stdout, /ok +accreditation/);
      if (written.includes(' verify-presentation ')) assert.equal(JSON.parse(done.stdout).verified, true);
      if (written.includes(' notary stamp ')) assert.equal(JSON.parse(done.stdout).receipt.code, 'OK');
    }
  });

  it('a second enterprise reuses the issuer; it updates its DID (committed), its licence verifies and is presented; a rerun is refused', () => {
    const r = ok('npx pujiang onboard --name "Pudong Fresh Foods" --org org2 --uscc 91330100799655058B');
    const lines = jsonLines(r.stdout);
    const issuer = lines.find((l) => l.step === 'issuer')!;
    assert.equal(issuer.oneTimeSetup, false);
    assert.equal(typeof issuer.ms, 'number');
    const summary = lines.at(-1)!;
    assert.equal(typeof summary.totalMs, 'number');
    assert.equal(summary.uscc, '91330100799655058B');
    assert.deepEqual(summary.licence.accreditation, [issuer.root, issuer.did]);
    // Its own transaction after onboarding: a service added to its DID document.
    const d = 'onboarded/pudong-fresh-foods';
    const document = JSON.parse(readFileSync(join(dir, d, 'did.json'), 'utf8'));
    document.service = [
      { id: `${summary.did}#shop`, type: 'LinkedDomains', serviceEndpoint: 'https://fresh.example' },
    ];
    writeFileSync(join(dir, d, 'did-edited.json'), JSON.stringify(document));
    const updated = ok(
      `npx pujiang did update ${summary.did} --document ${d}/did-edited.json --key ${d}/key.json`,
    );
    assert.equal(JSON.parse(updated.stdout).receipt.code, 'OK');
    // The commands the summary names, run as it prints them.
    for (const line of summary.next as string[]) {
      const done = ok(line);
      if (line.includes(' doc verify ')) assert.match(done.stdout, /ok +accreditation/);
    }
    const again = sh('npx pujiang onboard --name "Pudong Fresh Foods" --org org2');
    assert.equal(again.status, EXIT.badInput);
    assert.match(again.stderr, /^error ONBOARD_EXISTS: /m);
    const bad = sh('npx pujiang onboard --name "Another" --org org2 --uscc 91330100799655058C');
    assert.match(bad.stderr, /^error ONBOARD_BAD_USCC: /m);
  });

  it('production path as the README writes it: request, the CA signs with --csr (a tampered request refused), finish', () => {
    const [, block] = sectionBlocks();
    assert.equal(block?.length, 3);
    const [request, issue, finish] = block!;
    ok(request!);
    const pem = readFileSync(join(dir, 'onboarded/bund-logistics/request.pem'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.indexOf('Bund')] = 'P'.charCodeAt(0); // another name, same length: no longer what the key signed
    writeFileSync(
      join(dir, 'tampered.pem'),
      `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    const refused = sh(
      issue!.replace('onboarded/bund-logistics/request.pem', 'tampered.pem').replace('bund.pem', 'x.pem'),
    );
    assert.equal(refused.status, EXIT.badInput);
    assert.match(refused.stderr, /^error CRYPTO_CSR_SIGNATURE: /m);
    assert.equal(existsSync(join(dir, 'x.pem')), false);
    const wrongOrg = sh(issue!.replace('node2/org', 'node3/org').replace('bund.pem', 'y.pem'));
    assert.match(wrongOrg.stderr, /^error CERT_REQUEST_WRONG_ORG: /m);
    const shown = JSON.parse(ok('npx pujiang cert show --csr onboarded/bund-logistics/request.pem').stdout);
    assert.deepEqual(shown.subject, {
      commonName: 'Bund Logistics',
      organization: 'org2',
      organizationalUnit: 'client',
    });
    assert.equal(JSON.parse(ok(issue!).stdout).org, 'org2');
    // A home of the older layout, where the root issued licences itself (and no issuer key was
    // kept): not trusted, but upgraded; here by a finish that then fails on another key's
    // certificate (ONBOARD_WRONG_KEY), which leaves the request to finish with the right one.
    const recordFile = join(home, 'market-regulator.json');
    const current = JSON.parse(readFileSync(recordFile, 'utf8'));
    writeFileSync(
      recordFile,
      JSON.stringify({
        chainId: current.chainId,
        did: current.root.did,
        keyFile: current.root.keyFile,
        jurisdiction: 'CN-31',
        proposal: current.proposal,
        status: 'ready',
      }),
    );
    rmSync(join(home, 'market-regulator-issuer.json'));
    const wrong = sh(finish!.replace('bund.pem', 'onboarded/acme-trading-co/certificate.pem'));
    assert.equal(wrong.status, EXIT.invalid, wrong.stderr);
    assert.match(wrong.stderr, /^error ONBOARD_WRONG_KEY: /m);
    const upgraded = jsonLines(wrong.stdout).find((l) => l.step === 'issuer')!;
    assert.deepEqual(
      [upgraded.oneTimeSetup, upgraded.upgradedFrom, upgraded.root],
      [true, 'root-issued', current.root.did],
    );
    assert.notEqual(upgraded.did, current.issuer.did, 'a new issuer, with its own key');
    assert.equal(summaryOf('bund-logistics').status, 'requested');
    const done = jsonLines(ok(finish!).stdout);
    assert.deepEqual(
      done.filter((l) => 'step' in l).map((l) => l.step),
      ['issuer', 'certificate', 'register', 'did', 'licence', 'verify'],
    );
    assert.equal(done[0]!.oneTimeSetup, false);
    assert.equal(done.at(-1)!.event, 'onboarded');
    assert.deepEqual(done.at(-1)!.licence.accreditation, [current.root.did, upgraded.did]);
    ok(`npx pujiang doc verify onboarded/bund-logistics/licence.json --genesis ${genesis}`);
    const twice = sh(finish!);
    assert.match(twice.stderr, /^error ONBOARD_NOT_REQUESTED: /m);
  });

  it('production against a chain named by --node and --genesis: registration and DID, the licence left to the authority', () => {
    const d = 'onboarded/yangshan';
    ok(`npx pujiang onboard request --name "Yangshan Port Services" --org org3 --suite sm2 --out ${d}`);
    ok(
      `npx pujiang cert issue --org-dir ${home}/node3/org --role client --csr ${d}/request.pem --out ${d}/certificate.pem`,
    );
    const lines = jsonLines(
      ok(`npx pujiang onboard finish --dir ${d} --cert ${d}/certificate.pem --genesis ${genesis}`).stdout,
    );
    assert.deepEqual(
      lines.filter((l) => 'step' in l).map((l) => l.step),
      ['certificate', 'register', 'did'],
    );
    const summary = lines.at(-1)!;
    assert.equal(summary.licence, null);
    assert.match(summary.next[0], / doc issue --type BusinessLicence .* --subject did:pujiang:/);
    // A member now: its own transaction commits.
    ok(`npx pujiang notary stamp ${d}/did.json --key ${d}/key.json --out ${d}`);
    // As if a finish had stopped after the DID: run again, it skips what is done (the identity
    // registered for this key, did.json) and issues and verifies the licence.
    const record = JSON.parse(readFileSync(join(dir, d, 'onboarding.json'), 'utf8'));
    writeFileSync(join(dir, d, 'onboarding.json'), JSON.stringify({ ...record, status: 'in-progress' }));
    const resumed = jsonLines(
      ok(`npx pujiang onboard finish --dir ${d} --cert ${d}/certificate.pem --home ${home}`).stdout,
    );
    assert.deepEqual(
      resumed.filter((l) => 'step' in l).map((l) => [l.step, l.skipped ?? null]),
      [
        ['issuer', null],
        ['certificate', null],
        ['register', 'registered for this key'],
        ['did', 'did.json present'],
        ['licence', null],
        ['verify', null],
      ],
    );
    const finished = resumed.at(-1)!;
    assert.deepEqual([finished.status, finished.did], ['onboarded', summary.did]);
    assert.ok(finished.licence.verified.includes('accreditation'));
  });
});
