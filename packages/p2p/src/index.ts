export type { P2pErrorCode } from './errors.js';
export { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.js';
export type { Established, HandshakeOptions } from './handshake.js';
export { InitiatorHandshake, P2P_VERSION, ResponderHandshake } from './handshake.js';
export type { PeerLinkEvents, PeerLinkOptions } from './peer-link.js';
export { dialPeer, PeerLink, PeerListener } from './peer-link.js';
export type { ProbeOutcome } from './probe.js';
export { probeResponder } from './probe.js';
export { Session } from './session.js';
