import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { generateKeyPair, type KeyPair } from '@pujiang/crypto';
import { dialPeer, type PeerLinkOptions } from '@pujiang/p2p';
import { firstProblem, PeersSchema } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { genesisHash, PeerNetwork, peerId, type RunningNode, startNode } from '../src/index.js';
import { getJson, testHome, until } from './helpers.js';
import { equalValidatorsGenesis } from './memory-bus.js';

const keys = [generateKeyPair('ed25519'), generateKeyPair('ed25519')];
const genesis = equalValidatorsGenesis('peer-watch', keys);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A dial by a key that believes everyone is a member (an outsider trying its luck). */
const dialAs = (key: KeyPair, port: number) => {
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
 * What the peer network remembers for `GET /v1/peers`: a linked peer with its endpoint and
 * score, a flooding peer banned with its reason, drops and until when, and an outsider's
 * refused handshake counted against its key.
 */
describe('peer network snapshot (GET /v1/peers)', () => {
  const networks: PeerNetwork[] = [];
  let running: RunningNode | undefined;
  let home: string | undefined;
  after(async () => {
    for (const n of networks) await n.stop();
    await running?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('names a linked peer, a banned flooder with its reason and drops, and an outsider refused by key', async () => {
    const port = await freePort();
    const a = new PeerNetwork({
      genesis,
      nodeKey: keys[0]!,
      listen: { host: '127.0.0.1', port },
      peers: [],
      maxMessagesPerSecond: 20,
      banMs: 60_000,
    });
    const b = new PeerNetwork({
      genesis,
      nodeKey: keys[1]!,
      peers: [{ host: '127.0.0.1', port, key: keys[0]!.publicKey }],
    });
    networks.push(a, b);
    a.onMessage(() => {});
    await a.start();
    await b.start();
    await until(() => (a.peers().length === 1 ? true : undefined), 10_000);
    const linked = a.snapshot();
    assert.equal(linked.nodeKey, peerId(keys[0]!.publicKey));
    assert.equal(linked.peers.length, 1);
    const peer = linked.peers[0]!;
    assert.equal(peer.key, peerId(keys[1]!.publicKey));
    assert.match(peer.endpoint ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(peer.initiator, false);
    assert.equal(peer.score, 0);
    assert.deepEqual(linked.banned, []);

    const outsider = generateKeyPair('ed25519');
    await assert.rejects(dialAs(outsider, port));
    await until(() => (a.snapshot().totals.membershipRefusals >= 1 ? true : undefined), 10_000);
    // Refused before it proved a key: counted against its address, never the key it claimed.
    const refused = a.snapshot().failedChecks.find((c) => c.check === 'membership');
    assert.equal(refused?.source, '127.0.0.1');
    assert.equal(refused?.where, 'handshake');
    assert.ok((refused?.count ?? 0) >= 1);
    assert.ok(!a.snapshot().failedChecks.some((c) => c.source === peerId(outsider.publicKey)));

    // An outsider claiming validator B's key without its secret fails the handshake signature:
    // the failure is the outsider's address's, and nothing is held against B.
    const framer = { suite: outsider.suite, publicKey: keys[1]!.publicKey, secretKey: outsider.secretKey };
    await assert.rejects(dialAs(framer, port));
    await until(() => (a.snapshot().totals.signatureFailures >= 1 ? true : undefined), 10_000);
    const forged = a.snapshot().failedChecks.filter((c) => c.check === 'signature');
    assert.deepEqual(
      forged.map((c) => [c.source, c.where]),
      [['127.0.0.1', 'handshake']],
    );
    assert.ok(!a.snapshot().failedChecks.some((c) => c.source === peerId(keys[1]!.publicKey)));

    // Far past the burst (4 s of 20 messages): the bucket runs dry and the peer is banned.
    for (let i = 0; i < 200; i++) b.broadcast(new Uint8Array([i & 0xff]));
    await until(() => (a.snapshot().banned.length === 1 ? true : undefined), 10_000);
    const banned = a.snapshot().banned[0]!;
    assert.equal(banned.key, peerId(keys[1]!.publicKey));
    assert.equal(banned.reason, 'flood');
    assert.ok(banned.until - banned.since === 60_000);
    assert.ok(banned.score >= 100);
    const totals = a.snapshot().totals;
    assert.equal(totals.bans, 1);
    assert.ok(totals.drops >= 1);
    // B redials and is refused while banned: another membership refusal of its address.
    const before = a.snapshot().totals.membershipRefusals;
    await until(() => (a.snapshot().totals.membershipRefusals > before ? true : undefined), 15_000);
    assert.equal(a.peers().length, 0);
  });

  it('the route answers in the contract shape, with no peers on a lone validator', async () => {
    const setup = testHome('ed25519');
    home = setup.home;
    running = await startNode({ home: setup.home });
    const { status, body } = await getJson(`${running.apiUrl}/v1/peers`);
    assert.equal(status, 200);
    assert.equal(firstProblem(PeersSchema, body), undefined, JSON.stringify(body));
    assert.equal(body.nodeKey, peerId(running.node.publicKey));
    assert.deepEqual(body.peers, []);
    assert.deepEqual(body.banned, []);
    assert.deepEqual(body.totals, { bans: 0, drops: 0, signatureFailures: 0, membershipRefusals: 0 });
  });
});
