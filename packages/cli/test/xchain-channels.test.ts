import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import type { GovernanceAction } from '@pujiang/module-governance';
import {
  ChanCloseInit,
  ChanStep,
  channelKey,
  commitmentKey,
  RECOVER_PARAM,
  RecoverClient,
  RecvPacket,
  type Submission,
  UpdateClient,
} from '@pujiang/module-xchain';
import {
  getChannel,
  getLightClient,
  getPacket,
  listPendingPackets,
  sendRemoteCall,
  sendTokens,
} from '@pujiang/module-xchain/client';
import {
  type ChainSide,
  newRelayCounters,
  openChannel,
  packetFromJson,
  type RelayPath,
  readXchainProof,
  relayOnce,
  syncClient,
} from '@pujiang/module-xchain/relayer';
import { homePaths, readKeyFile } from '@pujiang/node';
import {
  applyLightClientRecovery,
  finalizeProposal,
  type PujiangClient,
  readHeaderSubmission,
  submitProposal,
  updateLightClient,
} from '@pujiang/sdk';
import { until } from './node-harness.js';
import { forgeWithValidator, relayUntilIdle, startTwoChains, type TwoChains } from './xchain-harness.js';

/**
 * Channels beyond the happy path, between an SM2 and an Ed25519 chain: an ordered channel of
 * generic calls (a remote export's answer in the acknowledgement, a non-remote export
 * refused, out-of-order delivery refused, a timeout that closes the channel), closing a
 * channel by handshake, a validator-set change followed by proof, and a frozen client that
 * stops packets until governance recovers it.
 */
describe('xchain channels: calls, ordering, closing, validator changes, freezing', () => {
  let chains: TwoChains;
  let a: ChainSide & { chain: PujiangClient };
  let b: ChainSide & { chain: PujiangClient };
  before(async () => {
    chains = await startTwoChains();
    ({ a, b } = chains);
  });
  after(() => chains.stop());

  const xchainTx = (side: ChainSide, type: string, payload: Uint8Array) =>
    side.chain.sendTransaction({
      key: side.key,
      module: 'xchain',
      type,
      payload,
      wait: true,
      throwOnFailure: false,
    });
  const codeOf = async (p: ReturnType<typeof xchainTx>) => (await p).result.receipt?.code;
  const farOnB = async () => BigInt((await b.chain.getStatus()).height + 100_000);

  it('an ordered call channel: answers come back in acknowledgements, order is kept, a timeout closes it', async () => {
    const channel = await openChannel(a, b, {
      port: 'call',
      ordering: 'ORDERED',
      connection: chains.connection,
    });
    const path: RelayPath = {
      a: { ...a, port: 'call', channel: channel.a },
      b: { ...b, port: 'call', channel: channel.b },
    };
    const call = async (module: string, name: string, args: unknown, timeoutHeight?: bigint) =>
      sendRemoteCall(a.chain, {
        key: a.key,
        wait: true,
        channelId: channel.a,
        module,
        export: name,
        args,
        timeoutHeight: timeoutHeight ?? (await farOnB()),
      });
    const root = '22'.repeat(32);
    await call('notary', 'anchor', { root, docType: 'checkpoint' });
    await call('bank', 'mint', { to: chains.homes[0].operatorAddress, denom: 'x', amount: '1' });
    await relayUntilIdle(path);
    const answered = await getPacket(b.chain, 'call', channel.b, 1);
    assert.equal(answered.acknowledgement?.ok, true);
    const result = JSON.parse(Buffer.from(answered.acknowledgement!.result, 'hex').toString('utf8'));
    assert.equal(result.root, root);
    const anchor = (await b.chain.query('notary', 'anchor', { root })).result as {
      anchor: { owner: string };
    };
    assert.equal(anchor.anchor.owner, `${chains.homes[0].chainId}:${chains.homes[0].operatorAddress}`);
    // Only `remote` exports are reachable: bank's mint is not one.
    const refused = await getPacket(b.chain, 'call', channel.b, 2);
    assert.equal(refused.acknowledgement?.ok, false);
    assert.equal(refused.acknowledgement?.error, 'MODULE_CALL_NOT_GRANTED');

    // Out of order: sequence 4 before 3 is refused; in order, both go through.
    await call('notary', 'anchor', { root: '33'.repeat(32) });
    const fourth = await call('notary', 'anchor', { root: '44'.repeat(32) });
    const h = await syncClient(b, a.chain, fourth.result.height! + 1);
    const p4 = packetFromJson((await getPacket(a.chain, 'call', channel.a, 4)).packet!);
    const proof4 = await readXchainProof(a.chain, commitmentKey('call', channel.a, 4), h);
    assert.equal(
      await codeOf(
        xchainTx(b, 'recvPacket', encode(RecvPacket, { packet: p4, proofHeight: BigInt(h), proof: proof4 })),
      ),
      'XCHAIN_PACKET_OUT_OF_ORDER',
    );
    await relayUntilIdle(path);
    assert.equal((await getChannel(b.chain, 'call', channel.b))?.nextSequenceRecv, '5');

    // A packet left to time out: the ordered channel closes, and sends no more.
    const soon = BigInt((await b.chain.getStatus()).height + 2);
    await call('notary', 'anchor', { root: '55'.repeat(32) }, soon);
    await until(async () => ((await b.chain.getStatus()).height > Number(soon) ? true : undefined));
    await relayUntilIdle(path);
    assert.equal((await getChannel(a.chain, 'call', channel.a))?.state, 'CLOSED');
    const closed = await sendRemoteCall(a.chain, {
      key: a.key,
      wait: true,
      throwOnFailure: false,
      channelId: channel.a,
      module: 'notary',
      export: 'anchor',
      args: { root: '66'.repeat(32) },
      timeoutHeight: await farOnB(),
    });
    assert.equal(closed.result.receipt?.code, 'XCHAIN_CHANNEL_CLOSED');
  });

  it('closes a channel by handshake: the far end closes on proof and refuses packets sent before', async () => {
    const channel = await openChannel(a, b, {
      port: 'call',
      ordering: 'UNORDERED',
      connection: chains.connection,
    });
    const sent = await sendRemoteCall(a.chain, {
      key: a.key,
      wait: true,
      channelId: channel.a,
      module: 'notary',
      export: 'anchor',
      args: { root: '77'.repeat(32) },
      timeoutHeight: await farOnB(),
    });
    const close = (
      await xchainTx(a, 'chanCloseInit', encode(ChanCloseInit, { port: 'call', channelId: channel.a }))
    ).result;
    assert.equal(close.receipt?.code, 'OK');
    const h = await syncClient(b, a.chain, close.height! + 1);
    const proof = await readXchainProof(a.chain, channelKey('call', channel.a), h);
    assert.equal(
      await codeOf(
        xchainTx(
          b,
          'chanCloseConfirm',
          encode(ChanStep, { port: 'call', channelId: channel.b, proofHeight: BigInt(h), proof }),
        ),
      ),
      'OK',
    );
    assert.equal((await getChannel(b.chain, 'call', channel.b))?.state, 'CLOSED');
    const packet = packetFromJson((await getPacket(a.chain, 'call', channel.a, 1)).packet!);
    const commitment = await readXchainProof(a.chain, commitmentKey('call', channel.a, 1), h);
    assert.ok(sent.result.height! < h);
    assert.equal(
      await codeOf(
        xchainTx(b, 'recvPacket', encode(RecvPacket, { packet, proofHeight: BigInt(h), proof: commitment })),
      ),
      'XCHAIN_CHANNEL_CLOSED',
    );
  });

  it('a validator-set change on A is followed by proof; the old set offered after it is refused', async () => {
    const validators = (await a.chain.getValidators()).validators;
    const v = validators[0]!;
    const action: GovernanceAction = {
      type: 'setValidator',
      value: {
        suite: v.suite as 'sm2',
        publicKey: Buffer.from(v.publicKey, 'hex'),
        power: BigInt(v.power) + 5n,
        name: v.name ?? 'validator',
      },
    };
    const proposed = await submitProposal(a.chain, { key: a.key, wait: true, title: 'more power', action });
    const id = proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
    const changedAt = await finalize(a, id);
    // Header by header across the change: each set is the one proven under the header before.
    const start = Number((await getLightClient(b.chain, b.clientId))!.latestHeight);
    await until(async () => ((await a.chain.getStatus()).height > changedAt + 3 ? true : undefined));
    const update = (s: Submission) =>
      codeOf(xchainTx(b, 'updateClient', encode(UpdateClient, { clientId: b.clientId, header: s })));
    for (let h = start + 1; h <= changedAt + 3; h++)
      assert.equal(await update(await readHeaderSubmission(a.chain, h)), 'OK', `height ${h}`);
    const newPower = (await a.chain.getValidators(changedAt + 3)).validators[0]!.power;
    assert.equal(newPower, v.power + 5);
    await until(async () => ((await a.chain.getStatus()).height > changedAt + 4 ? true : undefined));
    const next = await readHeaderSubmission(a.chain, changedAt + 4);
    const withOldSet = {
      ...next,
      validators: next.validators.map((x) => ({ ...x, power: BigInt(v.power) })),
    };
    assert.equal(await update(withOldSet), 'XCHAIN_VALIDATORS_MISMATCH');
    assert.equal(await update(next), 'OK');
  });

  it("a forged header held by B's client is exposed by the relayer (two conflicting headers freeze it): packets stop until governance recovers it", async () => {
    const channel = await openChannel(a, b, {
      port: 'transfer',
      ordering: 'UNORDERED',
      connection: chains.connection,
    });
    const path: RelayPath = {
      a: { ...a, port: 'transfer', channel: channel.a },
      b: { ...b, port: 'transfer', channel: channel.b },
    };
    // A's validator signs a second header for a height B's client has not seen, and B's
    // client accepts it (certified by the key it trusts): it now holds a forged header.
    const h = (await syncClient(b, a.chain, (await a.chain.getStatus()).height)) + 1;
    await until(async () => ((await a.chain.getStatus()).height >= h ? true : undefined));
    const forged = forgeWithValidator(
      await readHeaderSubmission(a.chain, h),
      readKeyFile(homePaths(chains.homes[0].home).nodeKey),
    );
    const accepted = await updateLightClient(b.chain, {
      key: b.key,
      wait: true,
      clientId: b.clientId,
      header: forged,
    });
    assert.equal(accepted.result.receipt?.code, 'OK');
    await sendTransferAtoB(channel.a);
    // The relayer sees the fork (the held header is not A's) and sends the real one: two
    // certified headers of one height, and the client freezes. Packets stop.
    const counters = newRelayCounters();
    await relayOnce(path, counters);
    assert.equal(counters.forksExposed, 1, JSON.stringify(counters));
    assert.equal((await getLightClient(b.chain, b.clientId))?.frozenHeight, String(h));
    await relayOnce(path, counters);
    assert.ok((counters.refused.XCHAIN_CLIENT_FROZEN ?? 0) > 0, JSON.stringify(counters));
    assert.equal((await listPendingPackets(a.chain, 'transfer', channel.a)).length, 1);

    const trusted = await readHeaderSubmission(a.chain, (await a.chain.getStatus()).height);
    const action: GovernanceAction = {
      type: 'setModuleParam',
      value: {
        module: 'xchain',
        name: RECOVER_PARAM,
        value: encode(RecoverClient, { clientId: b.clientId, trusted }),
      },
    };
    const proposed = await submitProposal(b.chain, {
      key: b.key,
      wait: true,
      title: 'recover chain-a',
      action,
    });
    await finalize(b, proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!);
    await applyLightClientRecovery(b.chain, { key: b.key, wait: true, clientId: b.clientId });
    await relayUntilIdle(path);
    assert.equal((await getPacket(b.chain, 'transfer', channel.b, 1)).acknowledgement?.ok, true);
  });

  async function sendTransferAtoB(channelId: string) {
    return sendTokens(a.chain, {
      key: a.key,
      wait: true,
      channelId,
      denom: 'native',
      amount: 3,
      receiver: chains.homes[1].operatorAddress,
      timeoutHeight: await farOnB(),
    });
  }

  /** Finalizes a proposal of a one-organization chain once its time-lock passes; the height it executed at. */
  async function finalize(side: ChainSide & { chain: PujiangClient }, id: string): Promise<number> {
    for (let i = 0; i < 400; i++) {
      const r = await finalizeProposal(side.chain, { key: side.key, id, wait: true, throwOnFailure: false });
      if (r.result.receipt?.code === 'OK') return r.result.height!;
      assert.equal(r.result.receipt?.code, 'GOV_NOT_READY');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('the proposal never became ready');
  }
});
