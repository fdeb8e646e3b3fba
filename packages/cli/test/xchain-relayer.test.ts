import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { getEscrow, getPacket, listPendingPackets, sendTokens } from '@pujiang/module-xchain/client';
import { readKeyFile } from '@pujiang/node';
import { PujiangClient } from '@pujiang/sdk';
import {
  type InitOutput,
  initHome,
  MAIN,
  type NodeProcess,
  runCliProcess,
  startNodeProcess,
  until,
} from './node-harness.js';

/**
 * The cross-chain CLI and the relayer process, as an operator runs them between an SM2 and
 * an Ed25519 chain: clients, a connection and a channel opened with `pujiang xchain`, then
 * `pujiang relay` killed with -9 while packets are in flight and restarted, twice over, the
 * second time as two relayers racing. Every packet ends delivered or refunded, and the escrow
 * at the origin equals the vouchers outside plus what is in flight after every step.
 */
describe('pujiang xchain and pujiang relay between two chains', () => {
  const homes: InitOutput[] = [];
  const nodes: NodeProcess[] = [];
  const relayers: ChildProcess[] = [];
  after(async () => {
    for (const r of relayers) if (r.exitCode === null) r.kill('SIGKILL');
    for (const node of nodes) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    for (const h of homes) rmSync(h.home, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => {
    const r = runCliProcess(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return JSON.parse(r.stdout);
  };

  function startRelayer(config: string): Promise<{ child: ChildProcess; metrics: string }> {
    const child = spawn(process.execPath, [MAIN, 'relay', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    relayers.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += String(d);
        const line = out.split('\n').find((l) => l.includes('"started"'));
        if (line) resolve({ child, metrics: JSON.parse(line).metrics });
      });
      child.on('exit', (code) => reject(new Error(`relayer exited ${code}: ${out}`)));
    });
  }

  const kill9 = async (child: ChildProcess) => {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
  };

  const metric = async (url: string, name: string) => {
    const text = await (await fetch(url)).text();
    return [...text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce(
      (s, m) => s + Number(m[2]),
      0,
    );
  };

  it('opens a path with the CLI, and a relayer killed mid-flight and restarted delivers or refunds every packet', async () => {
    homes.push(initHome('sm2'), initHome('ed25519'));
    nodes.push(...(await Promise.all(homes.map((h) => startNodeProcess(h.home)))));
    const [A, B] = nodes.map((n) => n.api) as [string, string];
    const [keyA, keyB] = homes.map((h) => h.operatorKey) as [string, string];
    const [ca, cb] = [new PujiangClient(A), new PujiangClient(B)];
    await until(
      async () => ((await cb.getStatus()).height >= 2 && (await ca.getStatus()).height >= 2) || undefined,
    );

    cli('xchain', 'client', 'create', 'chain-b', '--followed', B, '--key', keyA, '--node', A);
    cli('xchain', 'client', 'create', 'chain-a', '--followed', A, '--key', keyB, '--node', B);
    assert.equal(cli('xchain', 'client', 'show', 'chain-b', '--node', A).client.chainId, homes[1]!.chainId);
    const sides = ['--a', A, '--a-key', keyA, '--b', B, '--b-key', keyB];
    const { connection } = cli(
      'xchain',
      'connection',
      'open',
      ...sides,
      '--a-client',
      'chain-b',
      '--b-client',
      'chain-a',
    );
    assert.equal(cli('xchain', 'connection', 'show', connection.a, '--node', A).connection.state, 'OPEN');
    const { channel } = cli(
      'xchain',
      'channel',
      'open',
      ...sides,
      '--a-connection',
      connection.a,
      '--b-connection',
      connection.b,
    );
    assert.equal(cli('xchain', 'channel', 'show', channel.b, '--node', B).channel.state, 'OPEN');

    // A second relayer of its own: a member key on each chain (certified by the chain's
    // organization, registered), so two relayers race on chain, not on one key's nonces.
    const [keyA2, keyB2] = homes.map((h, i) => {
      const key = join(h.home, 'relayer2.json');
      cli('keys', 'generate', '--suite', i === 0 ? 'sm2' : 'ed25519', '--out', key);
      cli(
        'cert',
        'issue',
        '--org-dir',
        join(h.home, 'org'),
        '--role',
        'client',
        '--key-file',
        key,
        '--out',
        `${key}.pem`,
      );
      cli('register', '--cert', `${key}.pem`, '--key', key, '--node', i === 0 ? A : B);
      return key;
    }) as [string, string];
    const relayConfig = (file: string, ka: string, kb: string) => {
      writeFileSync(
        file,
        JSON.stringify({
          chains: { a: { node: A, key: ka }, b: { node: B, key: kb } },
          paths: [
            {
              a: { chain: 'a', client: 'chain-b', port: 'transfer', channel: channel.a },
              b: { chain: 'b', client: 'chain-a', port: 'transfer', channel: channel.b },
            },
          ],
          intervalMs: 50,
          metrics: { host: '127.0.0.1', port: 0 },
        }),
      );
      return file;
    };
    const config = relayConfig(join(homes[0]!.home, 'relay.json'), keyA, keyB);
    const config2 = relayConfig(join(homes[0]!.home, 'relay2.json'), keyA2, keyB2);

    const voucher = `transfer/${channel.b}/native`;
    const escrow = () => getEscrow(ca, channel.a, 'native');
    const supply = async () =>
      BigInt(
        ((await cb.query('bank', 'denom', { denom: voucher })).result as { supply: string } | null)?.supply ??
          '0',
      );
    async function inFlight(): Promise<bigint> {
      let total = 0n;
      for (const seq of await listPendingPackets(ca, 'transfer', channel.a)) {
        const here = await getPacket(ca, 'transfer', channel.a, seq);
        const there = await getPacket(cb, 'transfer', channel.b, seq);
        if (here.packet && !there.acknowledgement?.ok) total += amounts.get(seq) ?? 0n;
      }
      return total;
    }
    const nativeBalance = async () =>
      BigInt(
        (
          (await ca.query('bank', 'balance', { address: homes[0]!.operatorAddress })).result as {
            balance: string;
          }
        ).balance,
      );
    const assertConserved = async () => assert.equal(await escrow(), (await supply()) + (await inFlight()));

    // 24 packets: 18 deliverable, 6 that time out on B before any relayer runs.
    const amounts = new Map<bigint, bigint>();
    const key = readKeyFile(keyA);
    const startBalance = await nativeBalance();
    const bHeight = (await cb.getStatus()).height;
    let nonce: bigint | undefined;
    for (let i = 1; i <= 24; i++) {
      const expires = i % 4 === 0;
      const sent = await sendTokens(ca, {
        key,
        channelId: channel.a,
        denom: 'native',
        amount: i,
        receiver: homes[1]!.operatorAddress,
        timeoutHeight: BigInt(expires ? bHeight + 3 : bHeight + 100_000),
        ...(nonce === undefined ? {} : { nonce }),
        wait: i === 24,
      });
      nonce = sent.nonce + 1n;
      amounts.set(BigInt(i), BigInt(i));
    }
    assert.equal((await listPendingPackets(ca, 'transfer', channel.a)).length, 24);
    await assertConserved();
    await until(async () => ((await cb.getStatus()).height > bHeight + 4 ? true : undefined));

    // Killed with -9 as soon as it has delivered something.
    const first = await startRelayer(config);
    await until(async () =>
      (await metric(first.metrics, 'pujiang_relayer_messages_total')) > 0 ? true : undefined,
    );
    await kill9(first.child);
    await assertConserved();
    const left = (await listPendingPackets(ca, 'transfer', channel.a)).length;
    assert.ok(left > 0, 'the relayer was killed before it finished');

    // Restarted, beside a second relayer with keys of its own: they race on the same path from chain state alone.
    const [second, third] = await Promise.all([startRelayer(config), startRelayer(config2)]);
    await until(
      async () => ((await listPendingPackets(ca, 'transfer', channel.a)).length === 0 ? true : undefined),
      120_000,
    );
    await assertConserved();
    const delivered = [...amounts.entries()].filter(([s]) => s % 4n !== 0n).reduce((t, [, a]) => t + a, 0n);
    assert.equal(await supply(), delivered);
    assert.equal(await escrow(), delivered);
    assert.equal(
      BigInt(
        (
          (await cb.query('bank', 'denomBalance', { address: homes[1]!.operatorAddress, denom: voucher }))
            .result as { balance: string }
        ).balance,
      ),
      delivered,
    );
    // Refunds happened exactly once: A is down by the delivered amounts only (fees are not charged).
    assert.equal(await nativeBalance(), startBalance - delivered);
    const timedOut =
      (await metric(second.metrics, 'pujiang_relayer_messages_total\\{[^}]*kind="timedOut"')) +
      (await metric(third.metrics, 'pujiang_relayer_messages_total\\{[^}]*kind="timedOut"'));
    assert.ok(timedOut <= 6);
    const packets = cli('xchain', 'packets', channel.a, '--node', A);
    assert.deepEqual(packets.inFlight, []);
    await Promise.all([kill9(second.child), kill9(third.child)]);
  });
});
