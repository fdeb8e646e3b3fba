import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT } from '../src/run.js';
import { api, runCliProcess, until } from './node-harness.js';
import { run } from './run-in-process.js';
import { freeBase, startUp, type UpNode, type UpProcess, upEvent } from './up-harness.js';

const heights = async (nodes: readonly UpNode[]) =>
  Promise.all(nodes.map(async (n) => (await api(n.api, '/v1/status')).body.height as number));

describe('pujiang up', () => {
  const started: UpProcess[] = [];
  after(async () => {
    // A failed test must not leave validators behind: SIGTERM makes up stop its nodes.
    for (const p of started) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  it('runs four validator processes, survives one killed, stops on SIGINT and resumes the same chain', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pujiang-up-')), 'net');
    const base = await freeBase(4);
    // The test watches heights go by while idle: a block every block interval.
    const first = startUp(
      '--nodes',
      '4',
      '--home',
      dir,
      '--base-port',
      String(base),
      '--empty-block-interval-ms',
      '0',
    );
    started.push(first);
    const up = await upEvent(first);
    assert.equal(up.network, join(dir, 'network.json'));
    assert.deepEqual(
      up.nodes.map((n) => [n.name, n.api, n.p2p]),
      [0, 1, 2, 3].map((i) => [
        `node${i}`,
        `http://127.0.0.1:${base + 2 * i}`,
        `127.0.0.1:${base + 2 * i + 1}`,
      ]),
    );
    const networkText = readFileSync(join(dir, 'network.json'), 'utf8');
    const network = JSON.parse(networkText);
    assert.equal(network.chainId, up.chainId);
    assert.equal(network.suite, 'ed25519');
    assert.deepEqual(
      network.nodes.map((n: UpNode) => n.api),
      up.nodes.map((n) => n.api),
    );
    assert.match(first.stderr(), /^\[node2\] /m);

    for (const n of up.nodes) assert.equal((await api(n.api, '/v1/status')).body.chainId, up.chainId);
    const started1 = await heights(up.nodes);
    assert.ok(
      started1.every((h) => h >= 1),
      String(started1),
    );
    await until(async () => ((await heights(up.nodes)).every((h, i) => h > started1[i]!) ? true : undefined));

    // One of four down leaves 30 of 40 power: the others keep deciding and up keeps running.
    process.kill(up.nodes[3]!.pid, 'SIGKILL');
    await until(() =>
      /node3 exited unexpectedly \(signal SIGKILL\)/.test(first.stderr()) ? true : undefined,
    );
    const three = up.nodes.slice(0, 3);
    const afterKill = await heights(three);
    await until(async () => ((await heights(three)).every((h, i) => h > afterKill[i]!) ? true : undefined));
    const beforeStop = await heights(three);

    first.child.kill('SIGINT');
    assert.equal(await first.exited, EXIT.ok, first.stderr());
    assert.deepEqual(first.events.at(-1), { event: 'down' });

    // Same directory, no options: the same chain resumes, keys untouched, no height goes back.
    const second = startUp('--home', dir);
    started.push(second);
    const again = await upEvent(second);
    assert.equal(again.chainId, up.chainId);
    assert.equal(readFileSync(join(dir, 'network.json'), 'utf8'), networkText);
    assert.match(second.stderr(), /resuming chain/);
    const resumed = await heights(again.nodes);
    for (const [i, h] of resumed.slice(0, 3).entries())
      assert.ok(h >= beforeStop[i]!, `node${i}: ${h} < ${beforeStop[i]}`);
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, EXIT.ok, second.stderr());
    assert.deepEqual(second.events.at(-1), { event: 'down' });

    const mismatch = runCliProcess('up', '--nodes', '5', '--home', dir, '--base-port', String(base));
    assert.equal(mismatch.status, EXIT.badInput);
    assert.match(mismatch.stderr, /^error LOCALNET_MISMATCH: /m);
    assert.equal(mismatch.stdout, '');
  });

  it('stops its nodes and exits 1 with a typed error when the network is not up in time', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pujiang-up-')), 'net');
    const r = runCliProcess(
      'up',
      '--nodes',
      '1',
      '--home',
      dir,
      '--base-port',
      String(await freeBase(1)),
      '--timeout-ms',
      '1',
    );
    assert.equal(r.status, EXIT.invalid, r.stderr);
    assert.match(r.stderr, /^error CLI_UP_TIMEOUT: /m);
    assert.equal(r.stdout, '');
  });

  it('refuses bad options with a usage error', async () => {
    for (const argv of [
      ['up'],
      ['up', '--home', 'x', '--nodes', '0'],
      ['up', '--home', 'x', '--nodes', 'four'],
      ['up', '--home', 'x', '--base-port', '70000'],
      ['up', '--home', 'x', '--suite', 'rsa'],
      ['up', '--home', 'x', '--verbose'],
      ['up', '--home', join(tmpdir(), 'pujiang-up-never'), '--nodes', '4', '--base-port', '65530'],
    ]) {
      const r = await run(...argv);
      assert.equal(r.code, EXIT.badInput, `${argv.join(' ')}: ${r.out}`);
      assert.match(r.err, /^error [A-Z_]+: /, argv.join(' '));
    }
  });
});
