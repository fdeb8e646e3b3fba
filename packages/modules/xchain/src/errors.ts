import { moduleError } from '@pujiang/module-kit';
import type { PujiangError } from '@pujiang/types';

/** Every way a light client refuses what a relayer brings it; one code per reason. */
export const XCHAIN_ERRORS = {
  XCHAIN_CLIENT_FROZEN:
    'the client saw two certified headers for one height and accepts nothing until recovered',
  XCHAIN_CLIENT_EXPIRED: 'the latest trusted header is older than the trusting period',
  XCHAIN_WRONG_CHAIN: 'the header is for another chain than the client follows',
  XCHAIN_HEADER_OLD: 'the header is below the latest trusted height, and not one the client holds',
  XCHAIN_HEADER_FUTURE: "the header's time is beyond this chain's time plus the allowed clock drift",
  XCHAIN_HEADER_NOT_NEWER: "the header's time is not after the trusted header's",
  XCHAIN_BAD_CERTIFICATE: 'the commit certificate does not verify against the validators offered with it',
  XCHAIN_VALIDATORS_MISMATCH: 'the validators offered are not the set the client proved for that height',
  XCHAIN_UNTRUSTED_VALIDATORS: 'the signers hold no more than a third of the power the client trusts',
  XCHAIN_BAD_PROOF: 'a state proof does not verify under the trusted header',
  XCHAIN_NOT_MISBEHAVIOUR: 'the two headers are not two certified headers of one height',
  XCHAIN_CLIENT_EXISTS: 'a client with that id exists',
  XCHAIN_CLIENT_UNKNOWN: 'there is no client with that id',
  XCHAIN_BAD_CLIENT_ID: 'a client id is 1-64 of [a-z0-9-]',
  XCHAIN_NO_RECOVERY: 'governance has no recovery for that client waiting to be applied',
  XCHAIN_CLIENT_MISMATCH: "the counterparty's client does not follow this chain, or is frozen",
  XCHAIN_BAD_ID: 'a connection, channel or port id is malformed',
  XCHAIN_CONNECTION_UNKNOWN: 'there is no connection with that id',
  XCHAIN_CONNECTION_STATE: 'the connection is not in the state this handshake step needs',
  XCHAIN_CHANNEL_UNKNOWN: 'there is no channel with that id on that port',
  XCHAIN_CHANNEL_STATE: 'the channel is not in the state this step needs',
  XCHAIN_CHANNEL_CLOSED: 'the channel is closed: it sends and receives no packets',
  XCHAIN_NOT_CHANNEL_OWNER:
    "only the account that sent a call channel's INIT may close it, and no account closes a transfer channel",
  XCHAIN_WRONG_COUNTERPARTY: "the packet's source or destination is not the channel's counterparty",
  XCHAIN_PACKET_REPLAYED: 'the packet was received (or acknowledged, or timed out) before',
  XCHAIN_PACKET_OUT_OF_ORDER: 'an ordered channel takes its packets in sequence, and this is not the next',
  XCHAIN_PACKET_TIMED_OUT: "the packet's timeout height or time has passed on this chain",
  XCHAIN_NO_TIMEOUT: 'a packet needs a timeout height or time',
  XCHAIN_TIMEOUT_NOT_REACHED: "the header proven under is not past the packet's timeout",
  XCHAIN_PACKET_NOT_PENDING:
    'this chain has no packet in flight with that sequence (acknowledged or timed out already)',
  XCHAIN_PACKET_MISMATCH: 'the packet differs from the one this chain committed to',
  XCHAIN_PACKET_RECEIVED: 'the proof shows the destination received the packet: it cannot time out',
  XCHAIN_BAD_TRANSFER: 'a transfer names a malformed amount, address or denomination',
  XCHAIN_BAD_SECTORS: 'the sector registry governance proposes is malformed',
  XCHAIN_BAD_HTLC: 'an HTLC names a malformed receiver, amount or denomination, or a time-lock in the past',
  XCHAIN_HTLC_UNKNOWN: 'there is no HTLC with that id',
  XCHAIN_HTLC_SETTLED: 'the HTLC was claimed or refunded already',
  XCHAIN_HTLC_WRONG_PREIMAGE: "the preimage is not 32 bytes that hash (SHA-256) to the HTLC's hash lock",
  XCHAIN_HTLC_EXPIRED: 'the time-lock has passed: only a refund to the sender remains',
  XCHAIN_HTLC_NOT_EXPIRED: 'the time-lock has not passed: the sender may not refund yet',
  XCHAIN_BAD_CALL: 'a call names a malformed module, export or arguments',
} as const;

export type XchainErrorCode = keyof typeof XCHAIN_ERRORS;

export function xchainError(
  code: XchainErrorCode,
  message: string = XCHAIN_ERRORS[code],
  details: Record<string, unknown> = {},
): PujiangError {
  return moduleError(code, message, details);
}
