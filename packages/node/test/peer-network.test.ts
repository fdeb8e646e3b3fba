import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { generateKeyPair, type KeyPair } from '@pujiang/crypto';
import { dialPeer, type PeerLink, type PeerLinkOptions } from '@pujiang/p2p';
import { hexToBytes } from '@pujiang/types';
import { genesisHash, PeerNetwork, type PeerNetworkOptions } from '../src/index.js';
import { equalValidatorsGenesis } from './memory-bus.js';

const keys = [generateKeyPair('ed25519'), generateKeyPair('ed25519'), generateKeyPair('ed25519')];
const genesis = equalValidatorsGenesis('peer-net', keys);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A member's own dial, as a misbehaving member would make it (no dedupe, no backoff). */
const memberDial = (key: KeyPair, port: number): Promise<PeerLink> => {
  const options: PeerLinkOptions = {
    chainId: genesis.chainId,
    genesisHash: hexToBytes(genesisHash(genesis)),
    nodeKey: key,
    isMember: () => true,
    aead: 'aes-256-gcm',
  };
  return dialPeer('127.0.0.1', port, options);
};

/**
 * The peer network's own rules over real loopback links: a node that is told to dial itself,
 * or an address where another member answers, refuses and says so; a member that opens many
 * links ends with one; two nodes dialing each other at once keep the same single link.
 */
describe('peer network: who answers a dial, and one link per peer', () => {
  const networks: PeerNetwork[] = [];
  const logs: string[] = [];
  const network = (
    o: Partial<PeerNetworkOptions> & { nodeKey: KeyPair; listen: { host: string; port: number } },
  ) => {
    const n = new PeerNetwork({ genesis, peers: [], log: (line) => logs.push(line), ...o });
    networks.push(n);
    return n;
  };
  after(async () => {
    for (const n of networks) await n.stop();
  });

  it('a node told to dial its own listener, or an address answered by another key, refuses and logs it', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const a = network({
      nodeKey: keys[0]!,
      listen: { host: '127.0.0.1', port: portA },
      // Its own address (with its key, and without), and B's address named with C's key.
      peers: [
        { host: '127.0.0.1', port: portA, key: keys[0]!.publicKey },
        { host: '127.0.0.1', port: portA },
        { host: '127.0.0.1', port: portB, key: keys[2]!.publicKey },
      ],
    });
    const b = network({ nodeKey: keys[1]!, listen: { host: '127.0.0.1', port: portB } });
    await b.start();
    await a.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.deepEqual(a.peers(), []);
    assert.deepEqual(b.peers(), []);
    assert.equal(a.linkCount(), 0);
    await a.stop();
    await b.stop();
    const summary = logs.join('\n');
    assert.match(summary, /P2P_SELF_LINK \(dial to 127\.0\.0\.1:\d+\)/);
    assert.match(summary, /P2P_UNEXPECTED_PEER \(dial to 127\.0\.0\.1:\d+\)/);
  });

  it('a member opening 100 links ends with one', async () => {
    const port = await freePort();
    const target = network({
      nodeKey: keys[0]!,
      listen: { host: '127.0.0.1', port },
      // Room for all 100 to handshake, so that it is the one-link rule that closes them.
      limits: { connectionsPerSecond: 1_000, connectionBurst: 1_000, maxHandshakesPerAddress: 100 },
    });
    const peerEvents = { connected: 0, gone: 0 };
    target.onPeer(
      () => peerEvents.connected++,
      () => peerEvents.gone++,
    );
    await target.start();
    const links = await Promise.allSettled(Array.from({ length: 100 }, () => memberDial(keys[1]!, port)));
    const opened = links.flatMap((l) => (l.status === 'fulfilled' ? [l.value] : []));
    assert.ok(opened.length >= 90, `${opened.length} handshakes completed`);
    for (const link of opened) link.on('message', () => {}); // reading, so a close is seen
    await until(() => target.linkCount() === 1 && opened.filter((l) => !l.closed).length === 1);
    assert.deepEqual(target.peers().length, 1);
    assert.equal(peerEvents.connected - peerEvents.gone, 1, JSON.stringify(peerEvents));
    for (const link of opened) link.close();
  });

  it('with the default limits, a burst of connections from one address is mostly refused before any handshake', async () => {
    const port = await freePort();
    const target = network({ nodeKey: keys[0]!, listen: { host: '127.0.0.1', port } });
    await target.start();
    const links = await Promise.allSettled(Array.from({ length: 100 }, () => memberDial(keys[2]!, port)));
    const opened = links.filter((l) => l.status === 'fulfilled').length;
    assert.ok(opened <= 10, `${opened} of 100 got through`);
    await until(() => target.linkCount() === 1);
    for (const l of links) if (l.status === 'fulfilled') l.value.close();
  });

  it('two nodes dialing each other at once keep one link, the same one on both sides', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const a = network({
      nodeKey: keys[0]!,
      listen: { host: '127.0.0.1', port: portA },
      peers: [{ host: '127.0.0.1', port: portB, key: keys[1]!.publicKey }],
    });
    const b = network({
      nodeKey: keys[1]!,
      listen: { host: '127.0.0.1', port: portB },
      peers: [{ host: '127.0.0.1', port: portA, key: keys[0]!.publicKey }],
    });
    // The node's view of who is connected follows the links: never left disconnected.
    const connected = { a: 0, b: 0 };
    a.onPeer(
      () => connected.a++,
      () => connected.a--,
    );
    b.onPeer(
      () => connected.b++,
      () => connected.b--,
    );
    await Promise.all([a.start(), b.start()]);
    await until(() => a.linkCount() === 1 && b.linkCount() === 1 && a.peers().length === 1);
    // Stable: no churn of closing and redialing.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(a.linkCount(), 1);
    assert.equal(b.linkCount(), 1);
    const got: string[] = [];
    b.onMessage((_peer, payload) => got.push(Buffer.from(payload).toString()));
    a.broadcast(new TextEncoder().encode('over the one link'));
    await until(() => got.length === 1);
    // Both ways: each side kept a link the other did not close, so it is the same connection.
    const back: string[] = [];
    a.onMessage((_peer, payload) => back.push(Buffer.from(payload).toString()));
    b.broadcast(new TextEncoder().encode('and back'));
    await until(() => back.length === 1);
    assert.deepEqual(connected, { a: 1, b: 1 });
  });
});
