import { type StateReadJson, type StateResponse, stateProofFromJson } from '@pujiang/protocol';
import { verifyStateProof } from '@pujiang/state';
import { bytesToHex, equalBytes, hexToBytes, invalidArgument } from '@pujiang/types';
import { objectParameter, parseFor, VerificationError } from './errors.js';
import { type CertifiedHeader, certifiedHeaderArgument } from './header.js';

export interface VerifiedStateRead {
  readonly key: Uint8Array;
  /** The proven value, or undefined when the key is proven absent. */
  readonly value: Uint8Array | undefined;
}

/**
 * Checks one state read against a certified header's `stateRoot` (the state after block
 * `height - 1`): the proof shows `key` holds `value`, or is absent when `value` is null.
 * With `key`, the read must be of that key. A `StateResponse`'s own height and root must
 * be the header's.
 */
export function verifyStateRead(
  read: StateReadJson | StateResponse,
  header: CertifiedHeader,
  key?: Uint8Array,
): VerifiedStateRead {
  objectParameter(read, 'read');
  certifiedHeaderArgument(header);
  if (key !== undefined && !(key instanceof Uint8Array)) throw invalidArgument('key must be bytes', 'key');
  if ('height' in read && read.height !== header.height)
    throw new VerificationError(
      'header-height',
      `the read is at height ${read.height}, not ${header.height}`,
      {
        expected: header.height,
        actual: read.height,
      },
    );
  const root = header.header.stateRoot;
  if ('stateRoot' in read && String(read.stateRoot).toLowerCase() !== bytesToHex(root))
    throw new VerificationError('state-root', 'the read names another state root than the certified header', {
      certified: bytesToHex(root),
      claimed: read.stateRoot,
    });
  const readKey = parseFor('state-proof', 'state key', () => hexToBytes(read.key));
  const value = parseFor('state-proof', 'state value', () =>
    read.value === null ? undefined : hexToBytes(read.value),
  );
  const proof = parseFor('state-proof', 'state proof', () => stateProofFromJson(read.proof));
  if (key !== undefined && !equalBytes(key, readKey))
    throw new VerificationError('state-key', 'the read is of another key', {
      expected: bytesToHex(key),
      actual: bytesToHex(readKey),
    });
  const verdict = verifyStateProof(header.chainHash, root, readKey, value, proof);
  if (!verdict.valid)
    throw new VerificationError('state-proof', verdict.reason, {
      key: bytesToHex(readKey),
      reason: verdict.reason,
    });
  return { key: readKey, value };
}
