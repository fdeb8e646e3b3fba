import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { homePaths, initLocalNetwork, readKeyFile } from '@pujiang/node';
import { PujiangClient, requestSigner, signatureHeaders } from '@pujiang/sdk';
import { cliJson } from './cli-json.js';
import { filesUnder } from './disk-scan.js';
import { FAST_CONFIG, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';
import { freeBase } from './up-harness.js';

/**
 * Private data collections on three real validators of three organizations: a collection of
 * org0 and org1; its value reaches their nodes and never org2's (its disk scanned), is never
 * on any disk in the clear, is read only by signed readers the collection or a governance
 * mandate admits, and is purged (per-entry keys destroyed) at retention or by its writer,
 * while the on-chain hash still proves it.
 */
describe('privacy: private data collections across three organizations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-collections-'));
  const secret = `letter of credit LC-${Math.random().toString(36).slice(2)} amount 1,250,000.00 CNY`;
  let homes: string[] = [];
  let apis: string[] = [];
  let nodes: NodeProcess[] = [];
  let operators: string[] = [];
  let regulator: string;
  let clerk1: string;
  let salt: string;
  let expiresAt: number;

  const cli = cliJson();
  const read = async (node: number, keyFile: string | undefined, entry = 'lc-1') => {
    const url = `${apis[node]}/v1/modules/collections/data?collection=trade&key=${entry}`;
    const headers = keyFile
      ? await signatureHeaders(
          requestSigner(readKeyFile(keyFile), async () => 'sm3'),
          'GET',
          url,
          undefined,
        )
      : {};
    const res = await fetch(url, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };
  const height = async () => (await new PujiangClient(apis[0]!).getStatus()).height;
  /** Files holding the text in the clear, as UTF-8, base64 or hex (how a store might keep it). */
  const onDisk = (home: string, text: string) => {
    const forms = [
      Buffer.from(text),
      Buffer.from(Buffer.from(text).toString('base64').slice(0, 40)),
      Buffer.from(Buffer.from(text).toString('hex')),
    ];
    return filesUnder(home).filter((f) => {
      const data = readFileSync(f);
      return forms.some((form) => data.includes(form));
    });
  };

  before(async () => {
    const base = await freeBase(3);
    const network = initLocalNetwork({
      dir,
      nodes: 3,
      basePort: base,
      suite: 'sm2',
      emptyBlockIntervalMs: 0,
    });
    homes = network.nodes.map((n) => n.home);
    for (const home of homes) {
      const path = join(home, 'config.json');
      writeFileSync(
        path,
        JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), timeouts: FAST_CONFIG.timeouts }),
      );
    }
    nodes = await Promise.all(homes.map((home) => startNodeProcess(home)));
    apis = nodes.map((n) => n.api);
    operators = homes.map((home) => homePaths(home).operatorKey);
    await until(async () => {
      const peers = await Promise.all(
        apis.map(async (api) => (await new PujiangClient(api).getStatus()).peers),
      );
      return peers.every((p) => p === 2);
    });
    regulator = await registerClient(homes[2]!, apis[2]!, dir, 'sm2', 'regulator2', 'regulator');
    clerk1 = await registerClient(homes[1]!, apis[1]!, dir, 'sm2', 'clerk1', 'client');
  });
  after(async () => {
    for (const node of nodes)
      if (node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
    rmSync(dir, { recursive: true, force: true });
  });

  it("reaches org0's and org1's nodes only; signed members read it, others get 401 or 403", async () => {
    const defined = await cli(
      'privacy',
      'collection',
      'define',
      'trade',
      '--org',
      'org0',
      '--org',
      'org1',
      '--role',
      'admin',
      '--retention',
      '40',
      '--key',
      operators[0]!,
      '--node',
      apis[0]!,
    );
    assert.equal(defined.code, 0, defined.err);
    // A node of another organization takes no writes for the collection.
    const elsewhere = await cli(
      'privacy',
      'collection',
      'put',
      'trade',
      'lc-0',
      '--value',
      'x',
      '--key',
      operators[2]!,
      '--node',
      apis[2]!,
    );
    assert.notEqual(elsewhere.code, 0);
    assert.match(elsewhere.err, /COLLECTIONS_NODE_NOT_MEMBER/);
    const saltFile = join(dir, 'lc-1.salt.json');
    const put = await cli(
      'privacy',
      'collection',
      'put',
      'trade',
      'lc-1',
      '--value',
      secret,
      '--key',
      operators[0]!,
      '--node',
      apis[0]!,
      '--salt-out',
      saltFile,
    );
    assert.equal(put.code, 0, put.err);
    assert.equal(put.json.sentTo, 1);
    salt = JSON.parse(readFileSync(saltFile, 'utf8')).salt;
    expiresAt = Number(
      (await cli('privacy', 'collection', 'show', 'trade', 'lc-1', '--node', apis[0]!)).json.entry.expiresAt,
    );

    const own = await read(0, operators[0]);
    assert.equal(own.status, 200);
    assert.equal(Buffer.from(own.body.value, 'base64').toString(), secret);
    const partner = await until(async () => {
      const r = await read(1, operators[1]);
      return r.status === 200 ? r : undefined;
    });
    assert.equal(Buffer.from(partner.body.value, 'base64').toString(), secret);
    const viaCli = await cli(
      'privacy',
      'collection',
      'get',
      'trade',
      'lc-1',
      '--node',
      apis[1]!,
      '--sign-as',
      operators[1]!,
    );
    assert.equal(viaCli.json.value, secret);

    assert.deepEqual(
      [(await read(0, undefined)).status, (await read(0, undefined)).body.error.code],
      [401, 'COLLECTIONS_UNAUTHENTICATED'],
    );
    const outsider = await read(0, operators[2]);
    assert.deepEqual([outsider.status, outsider.body.error.code], [403, 'COLLECTIONS_FORBIDDEN']);
    // org1 is a member organization, but the collection admits its admins only.
    const clerk = await read(1, clerk1);
    assert.deepEqual([clerk.status, clerk.body.error.code], [403, 'COLLECTIONS_FORBIDDEN']);
    // An entry is its writer's: another member organization cannot overwrite it.
    const overwrite = await cli(
      'privacy',
      'collection',
      'put',
      'trade',
      'lc-1',
      '--value',
      'forged',
      '--key',
      operators[1]!,
      '--node',
      apis[1]!,
    );
    assert.notEqual(overwrite.code, 0);
    assert.match(overwrite.out + overwrite.err, /COLLECTIONS_EXISTS/);
    const regulatorEarly = await read(0, regulator);
    assert.equal(regulatorEarly.status, 403);
  });

  it("a regulator reads under the mandate governance grants, and org2's node never held the bytes", async () => {
    const proposed = await cli(
      'gov',
      'propose',
      'set-read-permission',
      '--org',
      'org2',
      '--role',
      'regulator',
      '--resource',
      'collections/trade',
      '--key',
      operators[0]!,
      '--node',
      apis[0]!,
    );
    assert.equal(proposed.code, 0, proposed.err);
    const id = proposed.json.proposal;
    assert.equal((await cli('gov', 'vote', id, 'yes', '--key', operators[1]!, '--node', apis[1]!)).code, 0);
    let done = await cli('gov', 'finalize', id, '--key', operators[0]!, '--node', apis[0]!);
    for (let i = 0; done.code !== 0 && i < 300; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = await cli('gov', 'finalize', id, '--key', operators[0]!, '--node', apis[0]!);
    }
    assert.equal(done.json.proposalStatus, 'executed', done.err);
    const mandated = await read(0, regulator);
    assert.equal(mandated.status, 200);
    assert.equal(Buffer.from(mandated.body.value, 'base64').toString(), secret);
    const atOrg2 = await read(2, regulator);
    assert.deepEqual([atOrg2.status, atOrg2.body.error.code], [403, 'COLLECTIONS_NODE_NOT_MEMBER']);
    // No disk holds the value in the clear; org0's and org1's hold its ciphertext and key, org2's nothing.
    for (const home of homes) assert.deepEqual(onDisk(home, secret), []);
    const stored = (home: string) =>
      filesUnder(join(home, 'data')).filter((f) => f.includes(join('collections', 'trade')));
    assert.ok(stored(homes[0]!).some((f) => f.endsWith('key.bin')));
    assert.ok(stored(homes[1]!).some((f) => f.endsWith('data.bin')));
    assert.deepEqual(stored(homes[2]!), []);
  });

  it('purges at retention (keys destroyed) and on the writer’s request; the hash still proves the value', async () => {
    const second = await cli(
      'privacy',
      'collection',
      'put',
      'trade',
      'lc-2',
      '--value',
      `${secret} (amended)`,
      '--key',
      operators[0]!,
      '--node',
      apis[0]!,
    );
    assert.equal(second.code, 0, second.err);
    await until(async () => ((await read(1, operators[1], 'lc-2')).status === 200 ? true : undefined));
    const purged = await cli(
      'privacy',
      'collection',
      'purge',
      'trade',
      'lc-2',
      '--key',
      operators[0]!,
      '--node',
      apis[0]!,
    );
    assert.equal(purged.code, 0, purged.err);
    for (const node of [0, 1]) {
      const gone = await until(async () => {
        const r = await read(node, operators[node]!, 'lc-2');
        return r.status === 410 ? r : undefined;
      });
      assert.equal(gone.body.error.code, 'COLLECTIONS_PURGED');
    }

    await until(async () => (await height()) > expiresAt, 60_000);
    for (const node of [0, 1]) {
      const expired = await until(async () => {
        const r = await read(node, operators[node]!);
        return r.status === 410 ? r : undefined;
      });
      assert.equal(expired.body.entry.hash.length, 64);
    }
    for (const home of homes) {
      const left = filesUnder(join(home, 'data')).filter((f) => f.includes(join('collections', 'trade')));
      assert.deepEqual(left, [], `${home} still holds ${left.join(', ')}`);
      assert.deepEqual(onDisk(home, secret), []);
    }
    const proof = await cli(
      'privacy',
      'collection',
      'verify',
      'trade',
      'lc-1',
      '--value',
      secret,
      '--salt',
      salt,
      '--node',
      apis[1]!,
    );
    assert.equal(proof.code, 0, proof.err);
    assert.equal(proof.json.valid, true);
    const forged = await cli(
      'privacy',
      'collection',
      'verify',
      'trade',
      'lc-1',
      '--value',
      `${secret}0`,
      '--salt',
      salt,
      '--node',
      apis[1]!,
    );
    assert.equal(forged.json.valid, false);
    assert.ok(!existsSync(join(homes[2]!, 'data', 'modules', 'collections', 'trade')));
  });
});
