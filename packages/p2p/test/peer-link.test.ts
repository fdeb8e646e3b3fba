import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, type KeyPair, type PublicKey } from '@pujiang/crypto';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';
import {
  dialPeer,
  encodeFrame,
  FrameDecoder,
  InitiatorHandshake,
  type PeerLink,
  type PeerLinkOptions,
  PeerListener,
} from '../src/index.js';

const a = generateKeyPair('sm2');
const b = generateKeyPair('sm2');
const stranger = generateKeyPair('sm2');
const membership = new Set([a, b].map((k) => bytesToHex(k.publicKey.bytes)));
const isMember = (key: PublicKey) => key.suite === 'sm2' && membership.has(bytesToHex(key.bytes));
const options = (nodeKey: KeyPair, over: Partial<PeerLinkOptions> = {}): PeerLinkOptions => ({
  chainId: 'gov-chain',
  genesisHash: new Uint8Array(32).fill(9),
  nodeKey,
  isMember,
  aead: 'sm4-gcm',
  handshakeTimeoutMs: 2_000,
  ...over,
});

describe('peer links over TCP (loopback)', () => {
  const listener = new PeerListener(options(b));
  const links: PeerLink[] = [];
  const refused: string[] = [];
  let port: number;
  before(async () => {
    listener.on('link', (link) => links.push(link));
    listener.on('refused', (error) => refused.push(error.code));
    port = await listener.listen(0);
  });
  after(async () => {
    for (const link of links) link.close();
    await listener.close();
  });

  it('members connect and exchange messages both ways, in order', async () => {
    const link = await dialPeer('127.0.0.1', port, options(a));
    assert.deepEqual(link.peer, b.publicKey);
    await waitFor(() => links.length === 1);
    const server = links[0]!;
    assert.deepEqual(server.peer, a.publicKey);
    const got: string[] = [];
    server.on('message', (m) => {
      got.push(Buffer.from(m).toString());
      server.send(utf8ToBytes(`ack ${Buffer.from(m).toString()}`));
    });
    const acks: string[] = [];
    link.on('message', (m) => acks.push(Buffer.from(m).toString()));
    for (let i = 0; i < 100; i++) link.send(utf8ToBytes(`vote ${i}`));
    await waitFor(() => acks.length === 100);
    assert.deepEqual(
      got,
      Array.from({ length: 100 }, (_, i) => `vote ${i}`),
    );
    assert.equal(acks[99], 'ack vote 99');
    link.close();
  });

  it('a stranger is refused, and so are garbage and silence', async () => {
    await assert.rejects(dialPeer('127.0.0.1', port, options(stranger)), { code: 'P2P_HANDSHAKE_FAILED' });
    // The stranger was refused before the responder signed or computed anything: at Auth.
    await waitFor(() => refused.includes('P2P_NOT_A_MEMBER'));
    const garbage = connect({ host: '127.0.0.1', port });
    garbage.on('error', () => {});
    garbage.write(Buffer.from([0, 0, 0, 5, 1, 2, 3, 4, 5]));
    await waitFor(() => refused.filter((c) => c === 'P2P_HANDSHAKE_FAILED').length >= 1);
    const silent = connect({ host: '127.0.0.1', port });
    silent.on('error', () => {});
    await waitFor(() => refused.filter((c) => c === 'P2P_HANDSHAKE_FAILED').length >= 2, 5_000);
    garbage.destroy();
    silent.destroy();
  });

  it('a 20 MiB frame before authentication is refused at its length prefix', async () => {
    const before = refused.length;
    const big = connect({ host: '127.0.0.1', port });
    big.on('error', () => {});
    const closed = new Promise((resolve) => big.on('close', resolve));
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(20 * 1024 * 1024);
    big.write(Buffer.concat([prefix, Buffer.alloc(1024)]));
    await closed;
    await waitFor(() => refused.slice(before).includes('P2P_FRAME_TOO_LARGE'));
  });

  it('a node that dials its own listener is refused, and so is a dial answered by another key', async () => {
    await assert.rejects(dialPeer('127.0.0.1', port, options(b)), { code: 'P2P_SELF_LINK' });
    await assert.rejects(dialPeer('127.0.0.1', port, options(a), a.publicKey), {
      code: 'P2P_UNEXPECTED_PEER',
    });
    const link = await dialPeer('127.0.0.1', port, options(a), b.publicKey);
    assert.deepEqual(link.peer, b.publicKey);
    link.close();
  });
});

describe('a listener caps handshakes in progress and new connections per address', () => {
  it('past the caps, connections are refused unread (P2P_BUSY, P2P_RATE_LIMITED)', async () => {
    const listener = new PeerListener(
      options(b, { maxHandshakesPerAddress: 2, connectionsPerSecond: 1, connectionBurst: 4 }),
    );
    const refusals: string[] = [];
    listener.on('refused', (error) => refusals.push(error.code));
    const port = await listener.listen(0);
    const sockets = Array.from({ length: 6 }, () => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => {});
      return socket;
    });
    try {
      // Two may handshake; the next two wait for nothing (busy); the last two find the bucket empty.
      await waitFor(() => refusals.length >= 4);
      assert.equal(refusals.filter((c) => c === 'P2P_BUSY').length, 2);
      assert.equal(refusals.filter((c) => c === 'P2P_RATE_LIMITED').length, 2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await listener.close();
    }
  });

  it('bytes piled up while a step waits on the worker pool are refused past what a handshake takes', async () => {
    // A verifier that takes its time, as a busy pool does.
    const slow = new PeerListener(
      options(b, { verifier: () => new Promise((resolve) => setTimeout(() => resolve(true), 500)) }),
    );
    const refusals: string[] = [];
    slow.on('refused', (error) => refusals.push(error.code));
    const port = await slow.listen(0);
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const initiator = new InitiatorHandshake(options(a));
    const frames = new FrameDecoder(64 * 1024);
    socket.write(encodeFrame(initiator.hello()));
    socket.on('data', async (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        if (frame[0] !== 2) continue; // the challenge
        socket.write(encodeFrame(await initiator.auth(frame)));
        socket.write(Buffer.alloc(100 * 1024, 7)); // while the Auth is being verified
      }
    });
    try {
      await waitFor(() => refusals.includes('P2P_FRAME_TOO_LARGE'));
    } finally {
      socket.destroy();
      await slow.close();
    }
  });

  it('a caller that connects and never proves a key is dropped after the Auth deadline', async () => {
    const quick = new PeerListener(options(b, { authTimeoutMs: 300 }));
    const refusals: string[] = [];
    quick.on('refused', (error) => refusals.push(error.code));
    const port = await quick.listen(0);
    const silent = connect({ host: '127.0.0.1', port });
    silent.on('error', () => {});
    const closed = new Promise((resolve) => silent.on('close', resolve));
    const started = Date.now();
    await closed;
    assert.ok(Date.now() - started < 1_500, `dropped after ${Date.now() - started} ms`);
    await waitFor(() => refusals.length === 1);
    await quick.close();
  });
});

function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () =>
      condition() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(poll, 10);
    poll();
  });
}
