import { EventEmitter } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { PublicKey } from '@pujiang/crypto';
import { equalBytes, isPujiangError, type PujiangError } from '@pujiang/types';
import { p2pError } from './errors.js';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.js';
import { ACCEPT, type HandshakeOptions, InitiatorHandshake, ResponderHandshake } from './handshake.js';
import type { Session } from './session.js';

export interface PeerLinkOptions extends HandshakeOptions {
  /** Time allowed for the whole handshake (default 5 s). */
  readonly handshakeTimeoutMs?: number;
  /** Largest frame accepted (default 20 MiB). */
  readonly maxFrame?: number;
  /** Bytes queued to the socket before the peer counts as too slow and the link closes (default 64 MiB). */
  readonly maxQueuedBytes?: number;
}

export interface PeerLinkEvents {
  message: [payload: Uint8Array];
  close: [reason: PujiangError | undefined];
}

/**
 * One authenticated, encrypted TCP link to a member peer. Created by `dialPeer` or a
 * `PeerListener` once the handshake succeeded; any protocol error closes it with a typed
 * reason (`close` event), never throws out of a socket callback.
 */
export class PeerLink extends EventEmitter<PeerLinkEvents> {
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly session: Session,
    readonly peer: PublicKey,
    private readonly decoder: FrameDecoder,
    private readonly maxQueuedBytes: number,
    buffered: readonly Uint8Array[],
  ) {
    super();
    // Nothing is read until someone listens for messages: frames that came with the last
    // handshake message, and any after them, would otherwise be emitted to nobody (the
    // owner attaches its listener a few promise turns after the link exists).
    socket.pause();
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event !== 'message' || this.listening) return;
      this.listening = true;
      queueMicrotask(() => {
        this.deliver(buffered);
        socket.on('data', (chunk: Buffer) => this.receive(chunk));
        socket.resume();
      });
    });
    socket.on('error', (error) =>
      this.close(p2pError('P2P_CONNECTION_LOST', `the connection failed: ${error.message}`)),
    );
    socket.on('close', () => this.close(undefined));
  }

  private listening = false;
  private corked = false;

  /** Seals and sends one message; false (and the link closes) if the peer is too far behind. */
  send(payload: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.socket.writableLength > this.maxQueuedBytes) {
      this.close(
        p2pError('P2P_PEER_TOO_SLOW', 'the peer reads too slowly', { queued: this.socket.writableLength }),
      );
      return false;
    }
    // Frames sent in one turn of the event loop leave in one write (one syscall, fewer packets).
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(encodeFrame(this.session.seal(payload)));
    return true;
  }

  close(reason?: PujiangError): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.emit('close', reason);
  }

  private receive(chunk: Uint8Array): void {
    try {
      this.deliver(this.decoder.push(chunk));
    } catch (error) {
      this.close(isPujiangError(error) ? error : p2pError('P2P_DECRYPT_FAILED', String(error)));
    }
  }

  private deliver(frames: readonly Uint8Array[]): void {
    for (const frame of frames) {
      if (this.closed) return;
      let payload: Uint8Array;
      try {
        payload = this.session.open(frame);
      } catch (error) {
        this.close(error as PujiangError);
        return;
      }
      this.emit('message', payload);
    }
  }
}

/** Reads handshake frames from a fresh socket; `steps` answers each and says when it is done. */
function runHandshake(
  socket: Socket,
  o: PeerLinkOptions,
  first: Uint8Array | undefined,
  step: (frame: Uint8Array) => {
    send?: Uint8Array;
    /** Bytes written as they are (a sealed frame). */
    sendRaw?: Uint8Array;
    done?: { session: Session; peer: PublicKey };
  },
): Promise<PeerLink> {
  const decoder = new FrameDecoder(o.maxFrame ?? DEFAULT_MAX_FRAME);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      cleanup();
      socket.destroy();
      reject(isPujiangError(error) ? error : p2pError('P2P_HANDSHAKE_FAILED', String(error)));
    };
    const timer = setTimeout(
      () => fail(p2pError('P2P_HANDSHAKE_FAILED', 'the handshake timed out')),
      o.handshakeTimeoutMs ?? 5_000,
    );
    const onData = (chunk: Buffer) => {
      try {
        const frames = decoder.push(chunk);
        while (frames.length > 0) {
          const result = step(frames.shift()!);
          if (result.send) socket.write(encodeFrame(result.send));
          if (result.sendRaw) socket.write(result.sendRaw);
          if (result.done) {
            cleanup();
            resolve(
              new PeerLink(
                socket,
                result.done.session,
                result.done.peer,
                decoder,
                o.maxQueuedBytes ?? 64 << 20,
                frames,
              ),
            );
            return;
          }
        }
      } catch (error) {
        fail(error);
      }
    };
    const onClose = () => fail(p2pError('P2P_HANDSHAKE_FAILED', 'the peer closed during the handshake'));
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onClose);
    if (first) socket.write(encodeFrame(first));
  });
}

/** Dials a peer and runs the initiator's side of the handshake. */
export function dialPeer(host: string, port: number, o: PeerLinkOptions): Promise<PeerLink> {
  const socket = connect({ host, port, noDelay: true });
  const handshake = new InitiatorHandshake(o);
  let established: { session: Session; peer: PublicKey } | undefined;
  return runHandshake(socket, o, handshake.hello(), (frame) => {
    if (!established) {
      const { message, session, peer } = handshake.finish(frame);
      established = { session, peer };
      return { send: message };
    }
    // The responder's Accept: it admitted us, and it derived the same keys.
    if (!equalBytes(established.session.open(frame), ACCEPT))
      throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer did not accept the link');
    return { done: established };
  });
}

/** Accepts member peers: each connection runs the responder's side, then becomes a `PeerLink`. */
export class PeerListener extends EventEmitter<{ link: [PeerLink]; refused: [PujiangError] }> {
  readonly server: Server;

  constructor(private readonly o: PeerLinkOptions) {
    super();
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  private accept(socket: Socket): void {
    const handshake = new ResponderHandshake(this.o);
    let replied = false;
    runHandshake(socket, this.o, undefined, (frame) => {
      if (!replied) {
        replied = true;
        return { send: handshake.reply(frame) };
      }
      const done = handshake.finish(frame);
      return { sendRaw: encodeFrame(done.session.seal(ACCEPT)), done };
    }).then(
      (link) => this.emit('link', link),
      (error: PujiangError) => this.emit('refused', error),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
