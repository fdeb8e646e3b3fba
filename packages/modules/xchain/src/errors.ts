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
} as const;

export type XchainErrorCode = keyof typeof XCHAIN_ERRORS;

export function xchainError(
  code: XchainErrorCode,
  message: string = XCHAIN_ERRORS[code],
  details: Record<string, unknown> = {},
): PujiangError {
  return moduleError(code, message, details);
}
