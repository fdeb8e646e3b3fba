import { PujiangError } from '@pujiang/types';

export type P2pErrorCode =
  | 'P2P_FRAME_TOO_LARGE'
  | 'P2P_HANDSHAKE_FAILED'
  | 'P2P_NOT_A_MEMBER'
  | 'P2P_WRONG_CHAIN'
  | 'P2P_DECRYPT_FAILED'
  | 'P2P_SESSION_EXHAUSTED'
  | 'P2P_CONNECTION_LOST'
  | 'P2P_PEER_TOO_SLOW';

export function p2pError(
  code: P2pErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<P2pErrorCode> {
  return new PujiangError<P2pErrorCode>(code, message, details);
}
