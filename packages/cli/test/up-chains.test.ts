import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { SECTORS_PARAM, SectorRegistry } from '@pujiang/module-xchain';
import { getLightClient, getSectors, listPendingPackets, sendTokens } from '@pujiang/module-xchain/client';
import { readKeyFile } from '@pujiang/node';
import { decodeCertificate, encodeCertificate } from '@pujiang/protocol';
import {
  finalizeProposal,
  PujiangClient,
  readHeaderSubmission,
  submitProposal,
  updateLightClient,
  voteOnProposal,
} from '@pujiang/sdk';
import { hexToBytes } from '@pujiang/types';
import { until } from './node-harness.js';
import { bash, readmeBlocks } from './readme-harness.js';
import { freeBase, startUp, type UpProcess, upEvent } from './up-harness.js';
import { forgeWithValidator } from './xchain-harness.js';

interface ChainsUp {
  main: string;
  chains: {
    name: string;
    chainId: string;
    operatorKey: string;
    operatorAddress: string;
    nodes: { api: string }[];
  }[];
  sectors: { name: string; clientOnMain: string; channels: { transfer: { main: string; sector: string } } }[];
  relayerMetrics: string;
}

/**
 * `pujiang up --chains`: a main chain (SM2, two validators of two organizations) with an SM2
 * and an Ed25519 sector chain and a relayer, as one command starts them. Tokens cross from
 * the main chain to a sector through the relayer; sectors checkpoint to the main chain; the
 * main chain's governance freezes a sector, and packets to it stop.
 */
describe('pujiang up --chains', () => {
  const started: UpProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-chains-'));
  after(async () => {
    for (const p of started) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a main chain, two sectors and a relayer; relays, checkpoints, and governance freezes a sector', async () => {
    const base = await freeBase(2, 200, 4);
    // Where the README's commands expect it, relative to the folder they run in.
    const home = join(dir, '.pujiang', 'chains');
    const up = startUp(
      '--chains',
      '--home',
      home,
      '--base-port',
      String(base),
      '--empty-block-interval-ms',
      '0',
    );
    started.push(up);
    const event = (await upEvent(up)) as unknown as ChainsUp;
    assert.deepEqual(
      event.chains.map((c) => c.name),
      ['main', 'customs', 'finance'],
    );
    await until(() => /^\[relayer\] \{"event":"started"/m.test(up.stderr()) || undefined);
    const [main, customs, finance] = event.chains.map((c) => ({
      ...c,
      client: new PujiangClient(c.nodes[0]!.api),
      key: readKeyFile(c.operatorKey),
    })) as [any, any, any];
    assert.equal(event.chains[0]!.nodes.length, 2);
    /** Both of the main chain's organizations approve; finalized once its time-lock passes. The height it executed at. */
    const passProposal = async (id: string): Promise<number> => {
      const second = readKeyFile(join(home, 'main', 'node1', 'keys', 'operator.json'));
      await voteOnProposal(main.client, { key: second, id, approve: true, wait: true });
      return until(async () => {
        const r = await finalizeProposal(main.client, {
          key: main.key,
          id,
          wait: true,
          throwOnFailure: false,
        });
        return r.result.receipt?.code === 'OK' ? r.result.height! : undefined;
      }, 60_000);
    };

    // The registry lists both sectors; their checkpoints move forward.
    const sectors = await getSectors(main.client);
    assert.deepEqual(
      sectors.map((s) => [s.name, s.chainId, s.frozen]),
      [
        ['customs', customs.chainId, false],
        ['finance', finance.chainId, false],
      ],
    );
    const checkpoint = Number(sectors[0]!.checkpointHeight);
    await until(
      async () =>
        Number((await getSectors(main.client))[0]!.checkpointHeight) > checkpoint ? true : undefined,
      60_000,
    );

    // Tokens from the main chain to customs, through the relayer process.
    const toCustoms = event.sectors.find((s) => s.name === 'customs')!.channels.transfer;
    await sendTokens(main.client, {
      key: main.key,
      wait: true,
      channelId: toCustoms.main,
      denom: 'native',
      amount: 250,
      receiver: customs.operatorAddress,
      timeoutTime: BigInt(Date.now() + 600_000),
    });
    const voucher = `transfer/${toCustoms.sector}/native`;
    await until(async () => {
      const r = await customs.client.query('bank', 'denomBalance', {
        address: customs.operatorAddress,
        denom: voucher,
      });
      return (r.result as { balance: string }).balance === '250' || undefined;
    }, 60_000);
    // The relayer counts a delivery once it has read its receipt, a moment after the voucher exists.
    await until(async () => {
      const metrics = await (await fetch(event.relayerMetrics)).text();
      return (
        /pujiang_relayer_messages_total\{path="main\/channel-0<->customs\/channel-0",kind="received"\} [1-9]/.test(
          metrics,
        ) || undefined
      );
    }, 30_000);

    // The README's commands, as written, against this layout (its ports are the test's).
    const lines = readmeBlocks()
      .filter((b) => b.section === 'Cross-chain and the layered multi-chain')[1]!
      .lines.filter((l) => l.startsWith('npx pujiang '));
    assert.ok(lines.length >= 5);
    for (const written of lines) {
      const line = written
        .replaceAll('http://127.0.0.1:26657', main.nodes[0]!.api)
        .replaceAll('http://127.0.0.1:26857', customs.nodes[0]!.api)
        .replaceAll('<customs address>', customs.operatorAddress)
        .replaceAll('<64 hex>', '5a'.repeat(32));
      const r = bash(dir, main.nodes[0]!.api, line);
      assert.equal(r.status, 0, `${line}\n${r.stdout}\n${r.stderr}`);
    }
    await until(async () => {
      const r = await customs.client.query('notary', 'anchor', { root: '5a'.repeat(32) });
      return (r.result as { anchor: unknown }).anchor !== null || undefined;
    }, 60_000);

    // A header signed by a minority of the main chain's validators (one of two) is refused.
    const full = await readHeaderSubmission(main.client, (await main.client.getStatus()).height);
    const certificate = decodeCertificate(full.certificate);
    const minority = {
      ...full,
      certificate: encodeCertificate({ ...certificate, precommits: certificate.precommits.slice(0, 1) }),
    };
    const update = await updateLightClient(customs.client, {
      key: customs.key,
      wait: true,
      throwOnFailure: false,
      clientId: 'main',
      header: minority,
    });
    assert.equal(update.result.receipt?.code, 'XCHAIN_BAD_CERTIFICATE');

    // Governance removes node1 from the main chain's validators; customs' client follows the
    // change by proof (the relayer's checkpoints), and a header node1 signs afterwards is refused.
    const [v0, v1] = (await main.client.getValidators()).validators;
    const removal = await submitProposal(main.client, {
      key: main.key,
      wait: true,
      title: 'remove node1',
      action: {
        type: 'setValidator',
        value: { suite: 'sm2', publicKey: hexToBytes(v1!.publicKey), power: 0n, name: v1!.name ?? 'node1' },
      },
    });
    const changedAt = await passProposal(
      removal.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!,
    );
    await until(async () => {
      const client = await getLightClient(customs.client, 'main');
      return Number(client?.latestHeight) > changedAt + 2 || undefined;
    }, 60_000);
    assert.deepEqual(
      (await main.client.getValidators()).validators.map((v: { publicKey: string }) => v.publicKey),
      [v0!.publicKey],
    );
    const node1Key = readKeyFile(join(home, 'main', 'node1', 'node_key.json'));
    const latest = await readHeaderSubmission(main.client, (await main.client.getStatus()).height);
    const byOld = forgeWithValidator(latest, node1Key, 'sm3', [
      { suite: 'sm2', publicKey: hexToBytes(v1!.publicKey), power: BigInt(v1!.power) },
    ]);
    const old = await updateLightClient(customs.client, {
      key: customs.key,
      wait: true,
      throwOnFailure: false,
      clientId: 'main',
      header: byOld,
    });
    assert.ok(
      ['XCHAIN_UNTRUSTED_VALIDATORS', 'XCHAIN_VALIDATORS_MISMATCH'].includes(old.result.receipt?.code ?? ''),
      old.result.receipt?.code,
    );

    // Governance on the main chain freezes finance: its client takes no header and no packet.
    const value = encode(
      SectorRegistry,
      sectors.map((s) => ({
        name: s.name,
        chainId: s.chainId,
        clientId: s.clientId,
        frozen: s.name === 'finance',
      })),
    );
    const proposed = await submitProposal(main.client, {
      key: main.key,
      wait: true,
      title: 'freeze finance',
      action: { type: 'setModuleParam', value: { module: 'xchain', name: SECTORS_PARAM, value } },
    });
    await passProposal(proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!);
    assert.equal((await getSectors(main.client)).find((s) => s.name === 'finance')?.frozen, true);
    const toFinance = event.sectors.find((s) => s.name === 'finance')!.channels.transfer;
    const refused = await sendTokens(main.client, {
      key: main.key,
      wait: true,
      throwOnFailure: false,
      channelId: toFinance.main,
      denom: 'native',
      amount: 5,
      receiver: finance.operatorAddress,
      timeoutTime: BigInt(Date.now() + 600_000),
    });
    assert.equal(refused.result.receipt?.code, 'XCHAIN_CLIENT_FROZEN');
    assert.deepEqual(await listPendingPackets(main.client, 'transfer', toFinance.main), []);

    up.child.kill('SIGTERM');
    assert.equal(await up.exited, 0);
    assert.ok(up.events.some((e) => e.event === 'down'));
  });
});
