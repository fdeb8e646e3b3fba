import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode, encode } from '@pujiang/codec';
import {
  commitmentKey,
  type Packet,
  RecvPacket,
  receiptKey,
  TimeoutPacket,
  TransferData,
} from '@pujiang/module-xchain';
import { getEscrow, getPacket, listPendingPackets, sendTokens } from '@pujiang/module-xchain/client';
import {
  type ChainSide,
  newRelayCounters,
  openChannel,
  packetFromJson,
  type RelayPath,
  readXchainProof,
  syncClient,
} from '@pujiang/module-xchain/relayer';
import type { PujiangClient } from '@pujiang/sdk';
import { until } from './node-harness.js';
import { relayUntilIdle, startTwoChains, type TwoChains } from './xchain-harness.js';

/**
 * Packets between two node processes of different suites (SM2/SM3 and Ed25519/SHA-256),
 * through the relayer's rounds and through a relayer that lies: tokens go out and come back,
 * tampered, replayed and wrongly proven packets are refused, an undelivered packet times out
 * and refunds once though two relayers submit the timeout, and after every step the escrow
 * at the origin equals the vouchers outside plus what is in flight.
 */
describe('xchain packets between an SM2 chain and an Ed25519 chain', () => {
  let chains: TwoChains;
  let a: ChainSide;
  let b: ChainSide;
  let path: RelayPath;
  let addressA: string;
  let addressB: string;
  const counters = newRelayCounters();

  before(async () => {
    chains = await startTwoChains();
    ({ a, b } = chains);
    addressA = chains.homes[0].operatorAddress;
    addressB = chains.homes[1].operatorAddress;
    const channel = await openChannel(a, b, {
      port: 'transfer',
      ordering: 'UNORDERED',
      connection: chains.connection,
    });
    path = {
      a: { ...a, port: 'transfer', channel: channel.a },
      b: { ...b, port: 'transfer', channel: channel.b },
    };
  });
  after(() => chains.stop());

  const voucher = () => `transfer/${path.b.channel}/native`;
  const denomBalance = async (c: PujiangClient, address: string, denom: string) =>
    BigInt(
      ((await c.query('bank', 'denomBalance', { address, denom })).result as { balance: string }).balance,
    );
  const supply = async (c: PujiangClient, denom: string) =>
    BigInt(((await c.query('bank', 'denom', { denom })).result as { supply: string } | null)?.supply ?? '0');

  /**
   * The native token of `origin` (a or b) in packets neither received nor refunded, both ways:
   * going out as `native`, or coming home as the other chain's voucher of it.
   */
  async function inFlight(origin: 'a' | 'b'): Promise<bigint> {
    const other = origin === 'a' ? 'b' : 'a';
    let total = 0n;
    for (const [from, to] of [
      [origin, other],
      [other, origin],
    ] as const) {
      const [src, dst] = [path[from], path[to]];
      const denom = from === origin ? 'native' : `transfer/${src.channel}/native`;
      for (const seq of await listPendingPackets(src.chain, src.port, src.channel)) {
        const here = await getPacket(src.chain, src.port, src.channel, seq);
        const there = await getPacket(dst.chain, dst.port, dst.channel, seq);
        if (!here.packet) continue;
        const data = decode(TransferData, packetFromJson(here.packet).data);
        // Received with success: the destination minted or released it already.
        if (data.denom !== denom || there.acknowledgement?.ok) continue;
        total += BigInt(data.amount);
      }
    }
    return total;
  }

  /**
   * For each chain's native token: the escrow at its origin equals the vouchers on the other
   * chain plus what is in flight. Checked after every step.
   */
  async function assertConserved(): Promise<void> {
    for (const [origin, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const escrow = await getEscrow(path[origin].chain, path[origin].channel, 'native');
      const vouchers = await supply(
        path[other].chain as PujiangClient,
        `transfer/${path[other].channel}/native`,
      );
      assert.equal(
        escrow,
        vouchers + (await inFlight(origin)),
        `${origin}'s native: escrow = vouchers + in flight`,
      );
    }
  }

  it('sends tokens out as vouchers and brings part of them home, conserving supply', async () => {
    await assertConserved();
    const start = await denomBalance(a.chain as PujiangClient, addressA, 'native');
    const far = BigInt((await b.chain.getStatus()).height + 10_000);
    const sent = await sendTokens(a.chain, {
      key: a.key,
      wait: true,
      channelId: path.a.channel,
      denom: 'native',
      amount: 1000,
      receiver: addressB,
      timeoutHeight: far,
    });
    assert.equal(sent.result.receipt?.code, 'OK');
    await assertConserved();
    assert.equal(await getEscrow(a.chain, path.a.channel, 'native'), 1000n);
    await relayUntilIdle(path, counters, assertConserved);
    assert.equal(await denomBalance(b.chain as PujiangClient, addressB, voucher()), 1000n);

    const back = await sendTokens(b.chain, {
      key: b.key,
      wait: true,
      channelId: path.b.channel,
      denom: voucher(),
      amount: 400,
      receiver: addressA,
      timeoutHeight: BigInt((await a.chain.getStatus()).height + 10_000),
    });
    assert.equal(back.result.receipt?.code, 'OK');
    await assertConserved();
    await relayUntilIdle(path, counters, assertConserved);
    assert.equal(await denomBalance(b.chain as PujiangClient, addressB, voucher()), 600n);
    assert.equal(await getEscrow(a.chain, path.a.channel, 'native'), 600n);
    assert.equal(await denomBalance(a.chain as PujiangClient, addressA, 'native'), start - 600n);
    assert.ok(counters.received >= 2 && counters.acknowledged >= 2, JSON.stringify(counters));

    // And B's own token the other way: out to A as vouchers, part of it home again.
    const fromB = await sendTokens(b.chain, {
      key: b.key,
      wait: true,
      channelId: path.b.channel,
      denom: 'native',
      amount: 300,
      receiver: addressA,
      timeoutHeight: BigInt((await a.chain.getStatus()).height + 10_000),
    });
    assert.equal(fromB.result.receipt?.code, 'OK');
    await assertConserved();
    await relayUntilIdle(path, counters, assertConserved);
    const bVoucher = `transfer/${path.a.channel}/native`;
    assert.equal(await denomBalance(a.chain as PujiangClient, addressA, bVoucher), 300n);
    await sendTokens(a.chain, {
      key: a.key,
      wait: true,
      channelId: path.a.channel,
      denom: bVoucher,
      amount: 120,
      receiver: addressB,
      timeoutHeight: BigInt((await b.chain.getStatus()).height + 10_000),
    });
    await assertConserved();
    await relayUntilIdle(path, counters, assertConserved);
    assert.equal(await getEscrow(b.chain, path.b.channel, 'native'), 180n);
  });

  it('refuses a tampered packet, a proof under another root, and a replay', async () => {
    const far = BigInt((await b.chain.getStatus()).height + 10_000);
    const sent = await sendTokens(a.chain, {
      key: a.key,
      wait: true,
      channelId: path.a.channel,
      denom: 'native',
      amount: 5,
      receiver: addressB,
      timeoutHeight: far,
    });
    const sequence = (await listPendingPackets(a.chain, 'transfer', path.a.channel)).at(-1)!;
    const packet = packetFromJson((await getPacket(a.chain, 'transfer', path.a.channel, sequence)).packet!);
    const h = await syncClient(b, a.chain, sent.result.height! + 1);
    const proof = await readXchainProof(a.chain, commitmentKey('transfer', path.a.channel, sequence), h);
    const recv = (p: Packet, proofHeight: number, read: Uint8Array) =>
      b.chain.sendTransaction({
        key: b.key,
        wait: true,
        throwOnFailure: false,
        module: 'xchain',
        type: 'recvPacket',
        payload: encode(RecvPacket, { packet: p, proofHeight: BigInt(proofHeight), proof: read }),
      });
    // The relayer raises the amount: the commitment proven is not this packet's.
    const data = decode(TransferData, packet.data);
    const tampered = { ...packet, data: encode(TransferData, { ...data, amount: '5000000' }) };
    assert.equal((await recv(tampered, h, proof)).result.receipt?.code, 'XCHAIN_PACKET_MISMATCH');
    // A genuine proof, but offered under a later header the client holds, after A's state
    // changed (a transfer on A): another root.
    const moved = await (a.chain as PujiangClient).sendTransfer({
      key: a.key,
      to: addressB,
      amount: 1,
      wait: true,
    });
    const h2 = await syncClient(b, a.chain, moved.result.height! + 1);
    assert.notEqual(h2, h);
    assert.equal((await recv(packet, h2, proof)).result.receipt?.code, 'XCHAIN_BAD_PROOF');
    // Delivered once; the same delivery again is a replay.
    assert.equal((await recv(packet, h, proof)).result.receipt?.code, 'OK');
    assert.equal((await recv(packet, h, proof)).result.receipt?.code, 'XCHAIN_PACKET_REPLAYED');
    await assertConserved();
    await relayUntilIdle(path, counters, assertConserved);
  });

  it('times out an undelivered packet and refunds it once, though two relayers submit the timeout', async () => {
    const before = await denomBalance(a.chain as PujiangClient, addressA, 'native');
    const soon = BigInt((await b.chain.getStatus()).height + 3);
    await sendTokens(a.chain, {
      key: a.key,
      wait: true,
      channelId: path.a.channel,
      denom: 'native',
      amount: 77,
      receiver: addressB,
      timeoutHeight: soon,
    });
    assert.equal(await denomBalance(a.chain as PujiangClient, addressA, 'native'), before - 77n);
    await assertConserved();
    // No relayer runs until B passes the timeout height.
    await until(async () => ((await b.chain.getStatus()).height > Number(soon) ? true : undefined));
    const sequence = (await listPendingPackets(a.chain, 'transfer', path.a.channel)).at(-1)!;
    const packet = packetFromJson((await getPacket(a.chain, 'transfer', path.a.channel, sequence)).packet!);
    const h = await syncClient(a, b.chain, Number(soon));
    const absent = await readXchainProof(b.chain, receiptKey('transfer', path.b.channel, sequence), h);
    const timeout = {
      type: 'timeoutPacket',
      payload: encode(TimeoutPacket, { packet, proofHeight: BigInt(h), proof: absent }),
    };
    // Two relayers saw the same state and both submit the timeout.
    const first = await a.chain.sendTransaction({ key: a.key, module: 'xchain', ...timeout });
    const second = await a.chain.sendTransaction({
      key: a.key,
      module: 'xchain',
      ...timeout,
      nonce: first.nonce + 1n,
      wait: true,
      throwOnFailure: false,
    });
    const firstTx = await a.chain.waitForTx(first.hash, 30_000, { throwOnFailure: false });
    assert.equal(firstTx.receipt?.code, 'OK');
    assert.equal(second.result.receipt?.code, 'XCHAIN_PACKET_NOT_PENDING');
    assert.equal(await denomBalance(a.chain as PujiangClient, addressA, 'native'), before);
    await assertConserved();
    assert.deepEqual(await listPendingPackets(a.chain, 'transfer', path.a.channel), []);
  });
});
