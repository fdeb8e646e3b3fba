import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from './network-harness.js';
import { api, type NodeProcess, runCliProcess, startNodeProcess, until } from './node-harness.js';

/**
 * The README's three-machine setup, on loopback: three operators each run `pujiang init`,
 * one builds the genesis from the others' node keys with `pujiang genesis add-validator`,
 * everyone takes that genesis, and the nodes decide blocks together. A full node joins with
 * `init --genesis` and the validators admit its key.
 */
describe('three operators set up a chain with init, genesis add-validator and a peer list', () => {
  const running: NodeProcess[] = [];
  after(async () => {
    for (const node of running) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
  });

  it('the chain decides blocks, a bad key is refused, and a full node follows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-three-'));
    const ports = await Promise.all([0, 1, 2].map(() => freePort()));
    const p2p = ports.map((p) => `127.0.0.1:${p}`);
    const fullHome = join(dir, 'full');
    const homes = ['a', 'b', 'c'].map((name) => join(dir, name));
    const inits = homes.map((home, i) => {
      const r = runCliProcess(
        'init',
        '--home',
        home,
        '--suite',
        'sm2',
        '--org',
        `op${i}`,
        '--api-port',
        '0',
        '--empty-block-interval-ms',
        '0',
        '--p2p-listen',
        p2p[i]!,
        '--peers',
        p2p.filter((_, j) => j !== i).join(','),
      );
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as {
        nodePublicKey: string;
        genesis: string;
        validator: boolean;
        caCertificate: string;
        nodeCertificate: string;
        operatorCertificate: string;
      };
    });
    assert.ok(inits.every((i) => i.validator && i.nodePublicKey.startsWith('sm2:')));
    const genesis = inits[0]!.genesis;
    // A validator without its organization's certificate is refused while the genesis is built.
    const uncertified = runCliProcess(
      'genesis',
      'add-validator',
      '--genesis',
      genesis,
      '--public-key',
      inits[1]!.nodePublicKey,
    );
    assert.equal(uncertified.status, 2);
    assert.match(uncertified.stderr, /GENESIS_INVALID/);
    for (const i of [1, 2]) {
      // Each operator's organization joins with its CA, its admin and its certified node.
      const org = runCliProcess('genesis', 'add-org', '--genesis', genesis, '--ca', inits[i]!.caCertificate);
      assert.equal(org.status, 0, org.stderr);
      const admin = runCliProcess(
        'genesis',
        'add-identity',
        '--genesis',
        genesis,
        '--cert',
        inits[i]!.operatorCertificate,
      );
      assert.equal(admin.status, 0, admin.stderr);
      const r = runCliProcess(
        'genesis',
        'add-validator',
        '--genesis',
        genesis,
        '--public-key',
        inits[i]!.nodePublicKey,
        '--name',
        `op${i}`,
        '--cert',
        inits[i]!.nodeCertificate,
      );
      assert.equal(r.status, 0, r.stderr);
    }
    const bad = runCliProcess('genesis', 'add-validator', '--genesis', genesis, '--public-key', 'sm2:00');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /GENESIS_INVALID/);
    assert.equal(JSON.parse(readFileSync(genesis, 'utf8')).validators.length, 3);
    for (const i of [1, 2]) copyFileSync(genesis, inits[i]!.genesis);

    const full = runCliProcess(
      'init',
      '--home',
      fullHome,
      '--genesis',
      genesis,
      '--api-port',
      '0',
      '--peers',
      p2p.join(','),
    );
    assert.equal(full.status, 0, full.stderr);
    const fullKey = JSON.parse(full.stdout) as { nodePublicKey: string; validator: boolean };
    assert.equal(fullKey.validator, false);
    for (const home of homes) {
      const configPath = join(home, 'config.json');
      const config = JSON.parse(readFileSync(configPath, 'utf8'));
      config.p2p.admit = [fullKey.nodePublicKey];
      config.blockIntervalMs = 20;
      writeFileSync(configPath, JSON.stringify(config));
    }

    for (const home of homes) running.push(await startNodeProcess(home));
    const heights = async (nodes: NodeProcess[]) =>
      Promise.all(nodes.map(async (n) => (await api(n.api, '/v1/status')).body.height as number));
    await until(async () => ((await heights(running)).every((h) => h >= 3) ? true : undefined));
    const fullNode = await startNodeProcess(fullHome);
    running.push(fullNode);
    const tip = Math.max(...(await heights(running.slice(0, 3))));
    await until(async () => ((await heights([fullNode]))[0]! >= tip ? true : undefined));
    const status = (await api(fullNode.api, '/v1/status')).body;
    assert.equal(status.validator, false);
    assert.equal(status.chainHash, 'sm3');
    const hashes = new Set(
      await Promise.all(running.map(async (n) => (await api(n.api, `/v1/blocks/${tip}`)).body.hash)),
    );
    assert.equal(hashes.size, 1);
    for (const node of running.splice(0)) {
      node.child.kill('SIGTERM');
      assert.equal(await node.exited, 0);
    }
  });
});
