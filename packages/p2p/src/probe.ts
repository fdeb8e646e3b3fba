import { connect } from 'node:net';
import { encodeFrame, FrameDecoder } from './framing.js';
import { InitiatorHandshake, responderFrameKind } from './handshake.js';

/** What a responder gave a caller who holds no member key. */
export type ProbeOutcome =
  /** A frame signed with the responder's node key: work done for an outsider. */
  | 'signed'
  /** A challenge: the caller must sign it with a member key before anything else (no DH, nothing signed). */
  | 'challenge'
  /** The connection closed, or was refused, before anything was signed. */
  | 'refused';

/**
 * Opens one connection to a peer listener as an outsider would: a well-formed Hello for
 * `chainId` from a fresh ephemeral key and no member key, and reports what came back. For
 * tests and the flood bench: a hardened responder answers with a challenge or a close, never a
 * signature. Resolves within `timeoutMs` (default 5 s; silence counts as refused).
 */
export function probeResponder(
  host: string,
  port: number,
  o: { chainId: string; genesisHash?: Uint8Array; timeoutMs?: number },
): Promise<ProbeOutcome> {
  const hello = InitiatorHandshake.outsiderHello(o.chainId, o.genesisHash);
  return new Promise((resolve) => {
    const socket = connect({ host, port, noDelay: true });
    const decoder = new FrameDecoder(64 * 1024);
    let settled = false;
    const done = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('refused'), o.timeoutMs ?? 5_000);
    socket.on('connect', () => socket.write(encodeFrame(hello)));
    socket.on('data', (chunk: Buffer) => {
      try {
        const frame = decoder.push(chunk)[0];
        if (frame !== undefined) done(responderFrameKind(frame));
      } catch {
        done('refused');
      }
    });
    socket.on('error', () => done('refused'));
    socket.on('close', () => done('refused'));
  });
}
