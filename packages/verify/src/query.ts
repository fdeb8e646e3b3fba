import type { ProvenQueryResponse } from '@pujiang/protocol';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { objectParameter, VerificationError } from './errors.js';
import { type CertifiedHeader, certifiedHeaderArgument } from './header.js';
import { verifyStateRead } from './state.js';

export interface VerifiedQuery {
  readonly height: number;
  /** The server's answer. Only the reads are proven: check the result against them (see `verifyBalanceQuery`). */
  readonly result: unknown;
  /** Every proven read, by key (hex): the value, or undefined for a proven absence. */
  readonly reads: ReadonlyMap<string, Uint8Array | undefined>;
}

export interface VerifyProvenQueryOptions {
  /** Keys the query must have read; a missing one fails `missing-read`. */
  requiredKeys?: readonly Uint8Array[];
}

/**
 * Checks a proven query against the certified header of its height: it names that
 * header's state root and every read is proven under it. The result itself is the
 * module's function of the reads; only a caller who knows that function can check it
 * (bank's `verifyBalanceQuery` does for `bank/balance`).
 */
export function verifyProvenQuery(
  response: ProvenQueryResponse,
  header: CertifiedHeader,
  options: VerifyProvenQueryOptions = {},
): VerifiedQuery {
  objectParameter(response, 'response');
  certifiedHeaderArgument(header);
  objectParameter(options, 'options');
  if (response.height !== header.height)
    throw new VerificationError(
      'header-height',
      `the query ran at height ${response.height}, not ${header.height}`,
      {
        expected: header.height,
        actual: response.height,
      },
    );
  const root = bytesToHex(header.header.stateRoot);
  if (String(response.stateRoot).toLowerCase() !== root)
    throw new VerificationError(
      'state-root',
      'the query names another state root than the certified header',
      {
        certified: root,
        claimed: response.stateRoot,
      },
    );
  if (!Array.isArray(response.reads))
    throw new VerificationError('state-proof', 'the query carries no reads', {});
  const reads = new Map<string, Uint8Array | undefined>();
  for (const read of response.reads) {
    if (typeof read !== 'object' || read === null)
      throw new VerificationError('state-proof', 'a read is not an object', {});
    const { key, value } = verifyStateRead(read, header);
    reads.set(bytesToHex(key), value);
  }
  for (const key of options.requiredKeys ?? []) {
    if (!(key instanceof Uint8Array)) throw invalidArgument('requiredKeys must be bytes', 'requiredKeys');
    if (!reads.has(bytesToHex(key)))
      throw new VerificationError('missing-read', 'the query did not prove a key its answer depends on', {
        key: bytesToHex(key),
      });
  }
  return { height: response.height, result: response.result, reads };
}
