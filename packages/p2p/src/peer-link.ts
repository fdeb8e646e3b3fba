import { EventEmitter } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { PublicKey } from '@pujiang/crypto';
import { equalBytes, isPujiangError, type PujiangError } from '@pujiang/types';
import { Admission, type AdmissionLimits } from './admission.js';
import { p2pError } from './errors.js';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.js';
import {
  ACCEPT,
  HANDSHAKE_MAX_FRAME,
  type HandshakeOptions,
  InitiatorHandshake,
  ResponderHandshake,
} from './handshake.js';
import type { Session } from './session.js';
import { Tarpit } from './tarpit.js';

export interface PeerLinkOptions extends HandshakeOptions, AdmissionLimits {
  /** Time allowed for the whole handshake (default 5 s). */
  readonly handshakeTimeoutMs?: number;
  /** Time a caller has, from connecting, to prove its key (Auth) before the listener drops it (default 2 s). */
  readonly authTimeoutMs?: number;
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
  private ended = false;

  /** Whether the link has closed (either side, or an error). */
  get closed(): boolean {
    return this.ended;
  }

  /** The other end as host:port (undefined once the socket has no address). */
  get remote(): string | undefined {
    const { remoteAddress, remotePort } = this.socket;
    return remoteAddress === undefined ? undefined : `${remoteAddress}:${remotePort}`;
  }

  constructor(
    private readonly socket: Socket,
    private readonly session: Session,
    readonly peer: PublicKey,
    /** Whether this side dialed (for choosing between two links to one peer). */
    readonly initiator: boolean,
    private readonly decoder: FrameDecoder,
    private readonly maxQueuedBytes: number,
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
        this.receive(new Uint8Array(0)); // frames that came with the last handshake message
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
    if (this.ended) return false;
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
    if (this.ended) return;
    this.ended = true;
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
      if (this.ended) return;
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

/** One handshake step: what to write back (already framed), and the link once established. */
interface StepResult {
  readonly send?: Uint8Array;
  readonly done?: { session: Session; peer: PublicKey };
}

/**
 * Reads handshake frames (at most 16 KiB each) from a fresh socket, one step at a time (a
 * step may wait on a worker), until a step says the link is established.
 */
function runHandshake(
  socket: Socket,
  o: PeerLinkOptions,
  initiator: boolean,
  first: Uint8Array | undefined,
  step: (frame: Uint8Array) => StepResult | Promise<StepResult>,
): Promise<PeerLink> {
  const decoder = new FrameDecoder(HANDSHAKE_MAX_FRAME);
  return new Promise((resolve, reject) => {
    let finished = false;
    let busy = false;
    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      cleanup();
      socket.destroy();
      reject(isPujiangError(error) ? error : p2pError('P2P_HANDSHAKE_FAILED', String(error)));
    };
    const timer = setTimeout(
      () => fail(p2pError('P2P_HANDSHAKE_FAILED', 'the handshake timed out')),
      o.handshakeTimeoutMs ?? 5_000,
    );
    const pump = async () => {
      if (busy || finished) return;
      busy = true;
      try {
        for (let frame = decoder.next(); frame !== undefined && !finished; frame = decoder.next()) {
          const result = await step(frame);
          if (finished) return;
          if (result.send) socket.write(result.send);
          if (result.done) {
            finished = true;
            cleanup();
            decoder.maxFrame = o.maxFrame ?? DEFAULT_MAX_FRAME;
            resolve(
              new PeerLink(
                socket,
                result.done.session,
                result.done.peer,
                initiator,
                decoder,
                o.maxQueuedBytes ?? 64 << 20,
              ),
            );
            return;
          }
        }
      } catch (error) {
        fail(error);
      } finally {
        busy = false;
      }
      if (!finished && decoder.pending > 0) void pump(); // bytes that came while a step waited
    };
    const onData = (chunk: Buffer) => {
      decoder.append(chunk);
      // While a step waits (on the worker pool), a peer may not pile up more than a handshake needs.
      if (decoder.pending > 2 * HANDSHAKE_MAX_FRAME)
        return fail(p2pError('P2P_FRAME_TOO_LARGE', 'more handshake bytes than a handshake takes'));
      void pump();
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

/**
 * Dials a peer and runs the initiator's side of the handshake. With `expected`, an answer
 * from any other key is `P2P_UNEXPECTED_PEER`; an answer from this node's own key (a dial
 * that reached itself, or was reflected) is `P2P_SELF_LINK`.
 */
export function dialPeer(
  host: string,
  port: number,
  o: PeerLinkOptions,
  expected?: PublicKey,
): Promise<PeerLink> {
  const socket = connect({ host, port, noDelay: true });
  const handshake = new InitiatorHandshake(o, expected);
  let stage: 'challenge' | 'reply' | 'accept' = 'challenge';
  let established: { session: Session; peer: PublicKey } | undefined;
  return runHandshake(socket, o, true, handshake.hello(), async (frame) => {
    if (stage === 'challenge') {
      stage = 'reply';
      return { send: encodeFrame(await handshake.auth(frame)) };
    }
    if (stage === 'reply') {
      stage = 'accept';
      const { message, session, peer } = await handshake.confirm(frame);
      established = { session, peer };
      return { send: encodeFrame(message) };
    }
    // The responder's Accept: it admitted us, and it derived the same keys.
    if (!equalBytes(established!.session.open(frame), ACCEPT))
      throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer did not accept the link');
    return { done: established! };
  });
}

/**
 * Accepts member peers: each connection, once admitted (handshakes in progress and new
 * connections per address are capped), runs the responder's side, then becomes a `PeerLink`.
 */
/** `refused` carries the remote address: a connection refused before it proved a key is known by it only. */
export class PeerListener extends EventEmitter<{ link: [PeerLink]; refused: [PujiangError, string] }> {
  readonly server: Server;
  private readonly admission: Admission;
  private readonly tarpit = new Tarpit();

  constructor(private readonly o: PeerLinkOptions) {
    super();
    this.admission = new Admission(o);
    // Sockets are not read until admitted: a refused one costs no read and no buffer.
    this.server = createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
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
    const release = this.admission.admit(socket.remoteAddress ?? '');
    if (typeof release !== 'function') {
      this.tarpit.hold(socket);
      this.emit('refused', release, socket.remoteAddress ?? '');
      return;
    }
    socket.resume();
    const handshake = new ResponderHandshake(this.o);
    let stage: 'hello' | 'auth' | 'confirm' = 'hello';
    // A slot held by a caller who never proves a key is given back soon.
    const authDeadline = setTimeout(() => {
      if (stage !== 'confirm') socket.destroy();
    }, this.o.authTimeoutMs ?? 2_000);
    runHandshake(socket, this.o, false, undefined, async (frame) => {
      if (stage === 'hello') {
        stage = 'auth';
        return { send: encodeFrame(handshake.challenge(frame)) };
      }
      if (stage === 'auth') {
        stage = 'confirm';
        return { send: encodeFrame(await handshake.reply(frame)) };
      }
      const { message, session, peer } = handshake.accept(frame);
      return { send: encodeFrame(message), done: { session, peer } };
    }).then(
      (link) => {
        clearTimeout(authDeadline);
        release();
        this.emit('link', link);
      },
      (error: PujiangError) => {
        clearTimeout(authDeadline);
        release();
        this.emit('refused', error, socket.remoteAddress ?? '');
      },
    );
  }

  close(): Promise<void> {
    this.tarpit.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
