export type { AdmissionLimits } from './admission.js';
export { Admission } from './admission.js';
export type { P2pErrorCode } from './errors.js';
export { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.js';
export type { Established, HandshakeOptions } from './handshake.js';
export {
  ACCEPT,
  CONFIRM,
  HANDSHAKE_MAX_FRAME,
  InitiatorHandshake,
  P2P_VERSION,
  ResponderHandshake,
} from './handshake.js';
export type { PeerLinkEvents, PeerLinkOptions } from './peer-link.js';
export { dialPeer, PeerLink, PeerListener } from './peer-link.js';
export type { ProbeOutcome } from './probe.js';
export { probeResponder } from './probe.js';
export { DEFAULT_REKEY_BYTES, Session } from './session.js';
export { TokenBucket } from './token-bucket.js';
