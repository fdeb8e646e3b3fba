import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenBucket } from '@pujiang/p2p';
import {
  type Block,
  decodeWire,
  encodeBlock,
  encodeCertificate,
  type Genesis,
  type WireMessage,
} from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { type RunningNode, startNode } from '../src/index.js';
import { BlockSync } from '../src/network/block-sync.js';
import type { PeerOffence } from '../src/network/peer-offence.js';
import { TxGossip } from '../src/network/tx-gossip.js';
import { testHome, until } from './helpers.js';

const sent = () => {
  const out: { peer: string; message: WireMessage }[] = [];
  return {
    out,
    send: (peer: string, payload: Uint8Array) => out.push({ peer, message: decodeWire(payload) }),
  };
};

describe('transaction gossip (announce hashes, pull bodies)', () => {
  const h = (n: number) => n.toString(16).padStart(64, '0');
  const bytes = (n: number) => Uint8Array.from(Buffer.from(h(n), 'hex'));

  function gossip(held: Map<string, Uint8Array>, admit: (wire: Uint8Array) => Promise<string>) {
    const wire = sent();
    const reports: [string, PeerOffence][] = [];
    const g = new TxGossip(
      {
        peers: () => ['a', 'b', 'c'],
        send: wire.send,
        report: (peer, offence) => reports.push([peer, offence]),
        has: (hash) => held.has(hash),
        body: (hash) => held.get(hash),
        admit,
      },
      { flushMs: 1 },
    );
    return { g, out: wire.out, reports };
  }

  it('batches announcements into one message per peer, never back to where a transaction came from', async () => {
    const { g, out } = gossip(new Map(), async () => '');
    g.announce(h(1));
    g.announce(h(2), 'b');
    g.announce(h(3));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(out.length, 3);
    const byPeer = new Map(out.map((o) => [o.peer, o.message]));
    assert.deepEqual(
      (byPeer.get('a') as Extract<WireMessage, { type: 'txAnnounce' }>).value.map(bytesToHex),
      [h(1), h(2), h(3)],
    );
    assert.deepEqual(
      (byPeer.get('b') as Extract<WireMessage, { type: 'txAnnounce' }>).value.map(bytesToHex),
      [h(1), h(3)],
    );
    g.stop();
  });

  it('pulls only what it lacks, once, and serves what it holds', () => {
    const held = new Map([[h(1), Uint8Array.of(1, 1)]]);
    const { g, out } = gossip(held, async () => '');
    g.onAnnounce('a', [bytes(1), bytes(2), bytes(3)]);
    g.onAnnounce('b', [bytes(2), bytes(3), bytes(4)]); // 2 and 3 are already being pulled from a
    assert.deepEqual(
      out.map((o) => [o.peer, o.message.type, (o.message.value as Uint8Array[]).map(bytesToHex)]),
      [
        ['a', 'txRequest', [h(2), h(3)]],
        ['b', 'txRequest', [h(4)]],
      ],
    );
    out.length = 0;
    g.onRequest('c', [bytes(1), bytes(9)]);
    assert.deepEqual(out, [{ peer: 'c', message: { type: 'txs', value: [Uint8Array.of(1, 1)] } }]);
    g.stop();
  });

  it('announces admitted bodies on, and counts forged ones (not stale ones) against the sender', async () => {
    const { g, out, reports } = gossip(new Map(), async (wire) => {
      if (wire[0] === 1) return h(7);
      if (wire[0] === 2) throw new PujiangError('TX_BAD_SIGNATURE', 'forged');
      throw new PujiangError('TX_NONCE_TOO_LOW', 'stale');
    });
    g.onTxs('a', [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    await until(() => (out.length === 2 ? true : undefined));
    assert.deepEqual(out.map((o) => o.peer).sort(), ['b', 'c']);
    assert.deepEqual(reports, [['a', 'invalid-tx']]);
    g.stop();
  });
});

describe('block sync', () => {
  let source: RunningNode;
  let genesis: Genesis;
  const blocks: { block: Block; certificate: Uint8Array }[] = [];
  before(async () => {
    const t = testHome();
    genesis = t.genesis;
    source = await startNode({ home: t.home, apiPort: 0 });
    await until(() => (source.node.chain.height >= 6n ? true : undefined));
    for (let i = 1n; i <= 6n; i++)
      blocks.push({
        block: source.node.chain.block(i)!,
        certificate: encodeCertificate(source.node.chain.certificate(i)!),
      });
  });
  after(() => source.stop());

  function follower() {
    const wire = sent();
    const reports: [string, PeerOffence][] = [];
    const applied: bigint[] = [];
    const caught: number[] = [];
    let height = 0n;
    const sync = new BlockSync(
      {
        genesis,
        validatorsAt: () => genesis.validators,
        height: () => height,
        send: wire.send,
        report: (peer, offence) => reports.push([peer, offence]),
        problem: () => undefined,
        apply: async (block) => {
          applied.push(block.header.height);
          height = block.header.height;
        },
        caughtUp: (c) => caught.push(c.height),
      },
      { blocksPerRequest: 2, requestsPerPeer: 1, window: 4 },
    );
    return { sync, out: wire.out, reports, applied, caught };
  }

  it('spreads range requests over the peers that have the heights, within its window', () => {
    const { sync, out } = follower();
    sync.onStatus('a', 6n);
    sync.onStatus('b', 3n);
    const asked = out.map((o) => {
      const r = (o.message as Extract<WireMessage, { type: 'blockRequest' }>).value;
      return [o.peer, Number(r.from), r.count];
    });
    // a takes 1-2 (its one request), b takes 3 (all it has), the rest waits for a free peer.
    assert.deepEqual(asked, [
      ['a', 1, 2],
      ['b', 3, 1],
    ]);
    assert.equal(sync.syncing, true);
  });

  it('commits in height order whatever order blocks arrive in, then tells consensus once', async () => {
    const { sync, applied, caught } = follower();
    sync.onStatus('a', 6n);
    const [b1, b2, b3] = blocks;
    sync.onDecided('a', encodeBlock(b3!.block), b3!.certificate);
    sync.onDecided('a', encodeBlock(b2!.block), b2!.certificate);
    assert.deepEqual(applied, []);
    sync.onDecided('a', encodeBlock(b1!.block), b1!.certificate);
    await until(() => (applied.length === 3 ? true : undefined));
    assert.deepEqual(applied, [1n, 2n, 3n]);
    assert.deepEqual(caught, [3]);
  });

  it('refuses a block under another block certificate, and undecodable answers, as the sender offences', () => {
    const { sync, applied, reports } = follower();
    sync.onStatus('a', 6n);
    sync.onDecided('a', encodeBlock(blocks[0]!.block), blocks[1]!.certificate);
    sync.onDecided('b', Uint8Array.of(1, 2, 3), blocks[0]!.certificate);
    assert.deepEqual(applied, []);
    assert.deepEqual(reports, [
      ['a', 'invalid-block'],
      ['b', 'undecodable'],
    ]);
  });

  it('answers a range request from its store, bounded', () => {
    const read = (h: bigint) => (h <= 6n ? Uint8Array.of(Number(h)) : undefined);
    assert.deepEqual(BlockSync.answer(5n, 10, 6n, read), [Uint8Array.of(5), Uint8Array.of(6)]);
    assert.deepEqual(BlockSync.answer(0n, 2, 6n, read), [Uint8Array.of(1)]);
    assert.equal(BlockSync.answer(1n, 1000, 6n, read, 3).length, 3);
  });
});

describe('token bucket', () => {
  it('allows the burst, then the rate', async () => {
    const bucket = new TokenBucket(1000, 10);
    let taken = 0;
    while (bucket.take(1)) taken++;
    assert.equal(taken, 10);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(bucket.take(5));
  });
});
