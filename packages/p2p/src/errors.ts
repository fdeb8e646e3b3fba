import { PujiangError } from '@pujiang/types';

export type P2pErrorCode =
  | 'P2P_FRAME_TOO_LARGE'
  | 'P2P_HANDSHAKE_FAILED'
  | 'P2P_NOT_A_MEMBER'
  | 'P2P_WRONG_CHAIN'
  | 'P2P_DECRYPT_FAILED'
  /** A node's own key on the other side (it dialed itself, or a dial was reflected back). */
  | 'P2P_SELF_LINK'
  /** A dial was answered by another key than the one configured for that address. */
  | 'P2P_UNEXPECTED_PEER'
  /** Too many handshakes in progress, in all or from that address. */
  | 'P2P_BUSY'
  /** New connections from that address come faster than its allowance. */
  | 'P2P_RATE_LIMITED'
  /** A second link to a peer already linked: one of the two is closed, the same one on both sides. */
  | 'P2P_DUPLICATE_LINK'
  | 'P2P_CONNECTION_LOST'
  | 'P2P_PEER_TOO_SLOW';

export function p2pError(
  code: P2pErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<P2pErrorCode> {
  return new PujiangError<P2pErrorCode>(code, message, details);
}
