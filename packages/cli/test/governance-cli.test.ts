import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT } from '../src/run.js';
import {
  type InitOutput,
  initHome,
  type NodeProcess,
  runCliProcess,
  startNodeProcess,
  until,
} from './node-harness.js';
import { run } from './run-in-process.js';

/**
 * Membership and governance through the `pujiang` command on one real validator process:
 * an organization's CA and a member certificate, registration, refusals of non-members and
 * revoked members, a proposal from submission to execution, and typed bad input.
 */
describe('pujiang org, cert, register, revoke and gov on a running node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-gov-cli-'));
  const clientKey = join(dir, 'client.json');
  const clientCert = join(dir, 'client.pem');
  let init: InitOutput;
  let node: NodeProcess;
  let clientAddress: string;
  let serial: string;
  let orgDir: string;

  // Every command talks to this node, in this process (a few below run as real processes).
  const cli = async (...argv: string[]) => {
    const r = await run(...argv, '--node', node.api);
    return { ...r, json: r.out ? JSON.parse(r.out) : undefined };
  };
  const transferFromClient = () =>
    cli('send', '--key', clientKey, '--to', init.operatorAddress, '--amount', '1');

  before(async () => {
    init = initHome('ed25519');
    orgDir = join(init.home, 'org');
    node = await startNodeProcess(init.home);
  });
  after(async () => {
    node.child.kill('SIGTERM');
    await node.exited;
  });

  it('org init creates a CA; cert issue certifies a new key as a client of org0', async () => {
    const org = await run('org', 'init', '--dir', join(dir, 'org1'), '--id', 'org1', '--name', 'Org One');
    assert.equal(org.code, EXIT.ok, org.err);
    const made = JSON.parse(org.out);
    assert.equal(made.id, 'org1');
    assert.equal(made.caCertificate, join(dir, 'org1', 'ca.pem'));
    assert.match(made.fingerprint, /^[0-9a-f]{64}$/);
    const again = await run('org', 'init', '--dir', join(dir, 'org1'), '--id', 'org1');
    assert.equal(again.code, EXIT.badInput);
    assert.match(again.err, /^error ORG_EXISTS: /);

    assert.equal((await run('keys', 'generate', '--suite', 'ed25519', '--out', clientKey)).code, EXIT.ok);
    const issued = await run(
      'cert',
      'issue',
      '--org-dir',
      orgDir,
      '--role',
      'client',
      '--key-file',
      clientKey,
      '--name',
      'a client',
      '--out',
      clientCert,
    );
    assert.equal(issued.code, EXIT.ok, issued.err);
    const cert = JSON.parse(issued.out);
    assert.equal(cert.org, 'org0');
    assert.equal(cert.role, 'client');
    assert.match(cert.serial, /^[0-9a-f]+$/);
    clientAddress = cert.address;
    serial = cert.serial;
    const shown = JSON.parse((await run('keys', 'show', '--key', clientKey)).out);
    assert.equal(clientAddress, shown.address);
  });

  it('an unregistered key is refused (MEMBER_UNKNOWN, exit 1); registered, it is a client and transacts', async () => {
    // A real process: the exit code and the JSON on stdout as a script sees them.
    const refused = runCliProcess(
      'send',
      '--node',
      node.api,
      '--key',
      clientKey,
      '--to',
      init.operatorAddress,
      '--amount',
      '1',
    );
    assert.equal(refused.status, EXIT.invalid, refused.stderr);
    assert.equal(JSON.parse(refused.stdout).code, 'MEMBER_UNKNOWN');

    const registered = runCliProcess(
      'register',
      '--node',
      node.api,
      '--cert',
      clientCert,
      '--key',
      clientKey,
    );
    assert.equal(registered.status, EXIT.ok, registered.stderr);
    const out = JSON.parse(registered.stdout);
    assert.equal(out.receipt.code, 'OK');
    assert.deepEqual({ org: out.identity.org, role: out.identity.role }, { org: 'org0', role: 'client' });

    const identity = await cli('gov', 'identity', clientAddress);
    assert.equal(identity.code, EXIT.ok, identity.err);
    assert.equal(identity.json.result.registered, true);
    assert.equal(identity.json.result.role, 'client');
    assert.equal(identity.json.result.serial, serial);

    const funded = await cli('send', '--key', init.operatorKey, '--to', clientAddress, '--amount', '10');
    assert.equal(funded.code, EXIT.ok, funded.err);
    const paid = await transferFromClient();
    assert.equal(paid.code, EXIT.ok, paid.err);
    assert.equal(paid.json.receipt.code, 'OK');
  });

  it('proposals: set-config and add-org are queued at once (one organization), then finalized after the time-lock', async () => {
    const config = await cli('gov', 'config');
    assert.equal(config.json.result.timelock, 20);
    const setConfig = await cli('gov', 'propose', 'set-config', '--timelock', '0', '--key', init.operatorKey);
    assert.equal(setConfig.code, EXIT.ok, setConfig.err);
    assert.equal(setConfig.json.proposal, '1');
    assert.equal(setConfig.json.proposalStatus, 'queued');

    const addOrg = await cli(
      'gov',
      'propose',
      'add-org',
      '--ca',
      join(dir, 'org1', 'ca.pem'),
      '--name',
      'Org One',
      '--key',
      init.operatorKey,
    );
    assert.equal(addOrg.code, EXIT.ok, addOrg.err);
    assert.equal(addOrg.json.proposal, '2');
    assert.equal(addOrg.json.kind, 'addOrganization');
    assert.match(addOrg.json.hash, /^[0-9a-f]{64}$/);

    const shown = await cli('gov', 'show', '2');
    assert.equal(shown.code, EXIT.ok, shown.err);
    assert.equal(shown.json.status, 'queued');
    assert.equal(shown.json.effectiveStatus, 'queued');
    assert.equal(shown.json.action.id, 'org1');
    assert.deepEqual(
      shown.json.votes.map((v: { org: string }) => v.org),
      ['org0'],
    );
    const executableAt = Number(shown.json.executableAt);
    assert.equal(executableAt, Number(addOrg.json.height) + 20);

    // Finalize runs in a later block than the one the node last committed.
    await until(async () => {
      const status = await cli('status');
      return status.json.height + 1 >= executableAt || undefined;
    }, 20_000);
    for (const id of ['1', '2']) {
      const done = await cli('gov', 'finalize', id, '--key', init.operatorKey);
      assert.equal(done.code, EXIT.ok, `${done.err} ${done.out}`);
      assert.equal(done.json.proposalStatus, 'executed');
    }
    const members = await cli('gov', 'members');
    assert.deepEqual(members.json.result.map((o: { id: string; name: string }) => [o.id, o.name]).sort(), [
      ['org0', 'org0'],
      ['org1', 'Org One'],
    ]);
    assert.equal((await cli('gov', 'config')).json.result.timelock, 0);
    const listed = await cli('gov', 'list', '--limit', '5');
    assert.deepEqual(
      listed.json.proposals.map((p: { id: string; status: string }) => [p.id, p.status]),
      [
        ['2', 'executed'],
        ['1', 'executed'],
      ],
    );
    // Finalizing twice is a transaction the chain refuses in its block: exit 1 with the receipt's code.
    const twice = await cli('gov', 'finalize', '2', '--key', init.operatorKey);
    assert.equal(twice.code, EXIT.invalid);
    assert.equal(twice.json.receipt.code, 'GOV_NOT_READY');
  });

  it('the operator revokes the client certificate; its transfers are refused (MEMBER_REVOKED, exit 1)', async () => {
    const revoked = await cli('revoke', '--org', 'org0', '--serial', serial, '--key', init.operatorKey);
    assert.equal(revoked.code, EXIT.ok, revoked.err);
    assert.equal(revoked.json.receipt.code, 'OK');
    assert.equal(revoked.json.newlyRevoked, true);
    const crl = await cli('gov', 'crl', 'org0');
    assert.deepEqual(crl.json.result.revoked, [serial]);
    const refused = await transferFromClient();
    assert.equal(refused.code, EXIT.invalid, refused.err);
    assert.equal(refused.json.status, 'refused');
    assert.equal(refused.json.code, 'MEMBER_REVOKED');
  });

  it('bad input exits 2 with a typed code before anything is sent', async () => {
    const key = ['--key', init.operatorKey];
    const cases: [string[], string][] = [
      [['gov', 'propose', 'frobnicate', ...key], 'CLI_UNKNOWN_COMMAND'],
      [
        ['gov', 'propose', 'set-policy', '--resource', 'bank/transfer', '--policy', '{"rule": any', ...key],
        'CLI_USAGE',
      ],
      [
        [
          'gov',
          'propose',
          'set-policy',
          '--resource',
          'bank/transfer',
          '--policy',
          '{"rule":"most","roles":["client"]}',
          ...key,
        ],
        'CLI_USAGE',
      ],
      [['gov', 'propose', 'set-policy', '--resource', 'bank/transfer', ...key], 'CLI_USAGE'],
      // A within-organization rule: identities below its roles, and on a proposal kind.
      [
        [
          'gov',
          'propose',
          'set-policy',
          '--resource',
          'scf/finance/org0',
          '--policy',
          '{"rule":"any","roles":["client","admin"],"withinOrg":{"identities":1,"roles":["client","admin"]}}',
          ...key,
        ],
        'CLI_USAGE',
      ],
      [
        [
          'gov',
          'propose',
          'set-policy',
          '--resource',
          'governance/proposal/*',
          '--policy',
          '{"rule":"majority","roles":["admin"],"withinOrg":{"identities":2}}',
          ...key,
        ],
        'CLI_USAGE',
      ],
      [['gov', 'propose', 'set-config', ...key], 'CLI_USAGE'],
      [
        ['gov', 'propose', 'set-validator', '--public-key', 'ed25519:abcd', '--power', '1', ...key],
        'CLI_USAGE',
      ],
      [['gov', 'propose', 'remove-org', '--id', 'org1', '--bogus', 'x', ...key], 'CLI_USAGE'],
      [['gov', 'vote', '2', 'maybe', ...key], 'CLI_USAGE'],
      [['gov', 'vote', 'two', 'yes', ...key], 'CLI_USAGE'],
      [['gov', 'frob'], 'CLI_UNKNOWN_COMMAND'],
      [['gov', 'show', '99'], 'GOV_UNKNOWN_PROPOSAL'],
      [['revoke', '--org', 'org0', '--serial', 'xyz', ...key], 'CLI_USAGE'],
      [['register', '--cert', clientCert, ...key], 'CLI_USAGE'], // the certificate names another key
      [
        [
          'cert',
          'issue',
          '--org-dir',
          orgDir,
          '--role',
          'wizard',
          '--key-file',
          clientKey,
          '--out',
          join(dir, 'x.pem'),
        ],
        'CLI_USAGE',
      ],
      [
        [
          'cert',
          'issue',
          '--org-dir',
          join(dir, 'none'),
          '--role',
          'client',
          '--key-file',
          clientKey,
          '--out',
          join(dir, 'y.pem'),
        ],
        'ORG_MISSING',
      ],
      [['org', 'init', '--dir', join(dir, 'bad'), '--id', 'no spaces'], 'ORG_BAD_ID'],
    ];
    for (const [argv, code] of cases) {
      const r = argv[0] === 'cert' || argv[0] === 'org' ? await run(...argv) : await cli(...argv);
      assert.equal(r.code, EXIT.badInput, `${argv.join(' ')}: ${r.out} ${r.err}`);
      assert.match(r.err, new RegExp(`^error ${code}: `), argv.join(' '));
    }
    // The real binary too.
    const proc = runCliProcess('gov', 'propose', 'nonsense', '--node', node.api, ...key);
    assert.equal(proc.status, EXIT.badInput);
    assert.match(proc.stderr, /^error CLI_UNKNOWN_COMMAND: /);
  });

  it("pujiang bank (the bank module's commands): send in any denomination, balances, denominations, holds", async () => {
    const operator = ['--key', join(init.home, 'keys', 'operator.json')];
    const to = '01'.repeat(21);
    const sent = await cli('bank', 'send', '--to', to, '--amount', '5', ...operator);
    assert.equal(sent.code, EXIT.ok, sent.err);
    assert.equal(sent.json.receipt.code, 'OK');
    assert.deepEqual((await cli('bank', 'balance', to)).json, { address: to, denom: 'native', balance: '5' });
    assert.equal((await cli('bank', 'denom', 'cny')).json, null);
    assert.equal((await cli('bank', 'hold', 'notary', 'x')).json, null);
    const unknown = await cli('bank', 'send', '--to', to, '--amount', '5', '--denom', 'cny', ...operator);
    assert.equal(unknown.code, EXIT.invalid);
    assert.equal(unknown.json.receipt.code, 'BANK_UNKNOWN_DENOM');
    for (const argv of [
      ['bank', 'send', '--to', to, '--amount', '0', ...operator],
      ['bank', 'send', '--to', to, '--amount', '5', '--denom', 'Bad Denom', ...operator],
      ['bank', 'balance'],
      ['bank', 'nonsense'],
    ]) {
      const r = await cli(...argv);
      assert.equal(r.code, EXIT.badInput, `${argv.join(' ')}: ${r.out} ${r.err}`);
    }
    const help = await run('help');
    assert.match(help.out, /pujiang bank \.\.\./);
    assert.match(help.out, /pujiang gov \.\.\./);
  });
});

describe('pacing by governance on a running node', () => {
  let own: InitOutput | undefined;
  let node: NodeProcess | undefined;
  before(async () => {
    own = initHome('ed25519');
    node = await startNodeProcess(own.home);
  });
  after(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    if (own) rmSync(own.home, { recursive: true, force: true });
  });

  it('gov propose set-pacing changes how often a running idle chain makes a block', async () => {
    const cli = async (...argv: string[]) => {
      const r = await run(...argv, '--node', node!.api);
      return { ...r, json: r.out ? JSON.parse(r.out) : undefined };
    };
    const height = async () => (await cli('status')).json.height as number;
    const idleBlocks = async (ms: number) => {
      const before = await height();
      await new Promise((resolve) => setTimeout(resolve, ms));
      return (await height()) - before;
    };
    // The test chain makes a block every block interval (20 ms) while idle.
    assert.ok((await idleBlocks(1_500)) >= 10);
    const pace = async (ms: number) => {
      const proposed = await cli(
        'gov',
        'propose',
        'set-pacing',
        '--empty-block-interval-ms',
        String(ms),
        '--key',
        own!.operatorKey,
      );
      assert.equal(proposed.code, EXIT.ok, proposed.err);
      // One founding organization: approved at once; executable once the time-lock (20 blocks) is over.
      let done = await cli('gov', 'finalize', proposed.json.proposal, '--key', own!.operatorKey);
      for (let i = 0; done.code !== EXIT.ok && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        done = await cli('gov', 'finalize', proposed.json.proposal, '--key', own!.operatorKey);
      }
      assert.equal(done.code, EXIT.ok, `${done.err} ${done.out}`);
      assert.equal(done.json.proposalStatus, 'executed');
    };
    await pace(1_000);
    assert.equal((await cli('gov', 'config')).json.result.emptyBlockIntervalMs, 1_000);
    // The finalize's block and the one after it come at once; then one block a second.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const paced = await idleBlocks(3_500);
    assert.ok(paced >= 2 && paced <= 5, `${paced} blocks in 3.5 s`);
    await pace(0);
    assert.ok((await idleBlocks(1_500)) >= 10);
  });
});
