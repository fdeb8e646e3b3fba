import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { headStateKey } from '@pujiang/module-did';
import { anchorKey } from '@pujiang/module-notary';
import { readKeyFile } from '@pujiang/node';
import { moduleKey } from '@pujiang/protocol';
import {
  createDid,
  createLightClient,
  didKeyOfChainKey,
  getLightClient,
  getLightClientConsensusState,
  getProvenState,
  notarize,
  PujiangClient,
  proveForeignState,
  readHeaderSubmission,
  singleKeyDocument,
  updateLightClient,
} from '@pujiang/sdk';
import { bytesToHex } from '@pujiang/types';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';

/**
 * The SDK's light-client calls as a relayer uses them, between two node processes of
 * different suites: read a header's submission from the followed chain, create and update a
 * client of it on the host, read the client back.
 */
describe('xchain light clients through the SDK, between two node processes', () => {
  const homes: InitOutput[] = [];
  const nodes: NodeProcess[] = [];
  after(async () => {
    for (const node of nodes) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    for (const h of homes) rmSync(h.home, { recursive: true, force: true });
  });

  it('creates a client of an SM2 chain on an Ed25519 chain and moves it forward', async () => {
    homes.push(initHome('ed25519'), initHome('sm2'));
    nodes.push(...(await Promise.all(homes.map((h) => startNodeProcess(h.home)))));
    const [host, followed] = nodes.map((n) => new PujiangClient(n.api)) as [PujiangClient, PujiangClient];
    const key = readKeyFile(homes[0]!.operatorKey);
    const height = async (c: PujiangClient) => (await c.getStatus()).height;
    await until(async () => ((await height(followed)) >= 3 ? true : undefined));

    const first = (await height(followed)) - 1;
    const created = await createLightClient(host, {
      key,
      wait: true,
      clientId: 'sector-sm2',
      chainId: homes[1]!.chainId,
      chainHash: 'sm3',
      trustingPeriodMs: 86_400_000,
      maxClockDriftMs: 10_000,
      trusted: await readHeaderSubmission(followed, first),
    });
    assert.equal(created.result.receipt?.code, 'OK');
    await until(async () => ((await height(followed)) > first + 4 ? true : undefined));
    const updated = await updateLightClient(host, {
      key,
      wait: true,
      clientId: 'sector-sm2',
      header: await readHeaderSubmission(followed, first + 4),
    });
    assert.equal(updated.result.receipt?.code, 'OK');
    const client = await getLightClient(host, 'sector-sm2');
    assert.equal(client?.latestHeight, String(first + 4));
    assert.equal(client?.chainId, homes[1]!.chainId);
    const consensus = await getLightClientConsensusState(host, 'sector-sm2', first + 4);
    assert.equal(consensus?.stateRoot, (await followed.getHeader(first + 4)).header.stateRoot);
    assert.equal(await getLightClient(host, 'nobody'), null);

    // A document notarized on the followed chain becomes a fact on the host.
    const followedKey = readKeyFile(homes[1]!.operatorKey);
    const stamped = await notarize(followed, {
      key: followedKey,
      wait: true,
      documents: [{ algorithm: 'sm3', digest: '11'.repeat(32) }],
    });
    assert.equal(stamped.sent.result.receipt?.code, 'OK');
    const anchoredAt = stamped.sent.result.height!;
    // Header H commits to the state after block H-1: the anchor is provable under anchoredAt + 1.
    await until(async () => ((await height(followed)) > anchoredAt + 1 ? true : undefined));
    const at = anchoredAt + 1;
    await updateLightClient(host, {
      key,
      wait: true,
      clientId: 'sector-sm2',
      header: await readHeaderSubmission(followed, at),
    });
    const stateKey = moduleKey('notary', anchorKey(bytesToHex(stamped.batch.root)));
    const proven = await proveForeignState(host, followed, {
      key,
      wait: true,
      clientId: 'sector-sm2',
      stateKey,
      height: at,
    });
    assert.equal(proven.result.receipt?.code, 'OK');
    const fact = await getProvenState(host, 'sector-sm2', stateKey);
    assert.equal(fact?.height, String(at));
    assert.equal(fact?.value, (await followed.getState(stateKey, at)).value);
    // Under a header the client does not hold: refused (it proves nothing here).
    const refused = await proveForeignState(host, followed, {
      key,
      wait: true,
      throwOnFailure: false,
      clientId: 'sector-sm2',
      stateKey,
      height: at - 1,
    });
    assert.equal(refused.result.receipt?.code, 'XCHAIN_HEADER_OLD');

    // A DID created on the followed chain is read on the host, proven: its head record.
    const { did, result } = await createDid(followed, {
      key: followedKey,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(followedKey.publicKey)!),
    });
    assert.equal(result.receipt?.code, 'OK');
    const didAt = result.height! + 1;
    await until(async () => ((await height(followed)) > didAt ? true : undefined));
    await updateLightClient(host, {
      key,
      wait: true,
      clientId: 'sector-sm2',
      header: await readHeaderSubmission(followed, didAt),
    });
    const didKey = headStateKey(did.split(':').at(-1)!);
    const didProven = await proveForeignState(host, followed, {
      key,
      wait: true,
      clientId: 'sector-sm2',
      stateKey: didKey,
      height: didAt,
    });
    assert.equal(didProven.result.receipt?.code, 'OK');
    const head = await getProvenState(host, 'sector-sm2', didKey);
    assert.equal(head?.value, (await followed.getState(didKey, didAt)).value);
    assert.notEqual(head?.value, null);
  });
});
