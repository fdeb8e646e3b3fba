import { bool, decode, type Infer, list, literals, string, struct, u32, u64 } from '@pujiang/codec';
import { moduleKey } from '@pujiang/protocol';
import { DID_LIMITS, DID_MODULE } from './formats.js';

/**
 * Bitstring Status Lists (W3C Bitstring Status List v1.0) kept in chain state: an issuer's
 * revocation or suspension list, its bits set by the issuer's transactions. Bit `i` is the
 * most significant bit of byte `i / 8` (the specification's order).
 */
export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];
/** The specification's minimum (16 KiB), so that one credential hides among many. */
export const MIN_STATUS_LIST_BITS = 131_072;
export const MAX_STATUS_LIST_BITS = 1_048_576;
/** Bits are stored in chunks of this many bytes, so setting one bit rewrites 1 KiB, not the list. */
export const STATUS_CHUNK_BYTES = 1024;
export const STATUS_LIST_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** `did/createStatusList`: a list of `size` bits (a multiple of 8,192) owned by DID `issuer`. */
export const CreateStatusList = struct('CreateStatusList', {
  list: string({ max: 64 }),
  issuer: string({ max: DID_LIMITS.did }),
  purpose: literals('StatusPurpose', STATUS_PURPOSES),
  size: u32,
});
export type CreateStatusList = Infer<typeof CreateStatusList>;

/** `did/setStatus`: sets or clears bits of a list (revokes, suspends, reinstates). */
export const SetStatus = struct('SetStatus', {
  list: string({ max: 64 }),
  updates: list(struct('StatusUpdate', { index: u32, value: bool }), { max: 256 }),
});
export type SetStatus = Infer<typeof SetStatus>;

/** At `slist/<list>`. */
export const StatusListRecord = struct('StatusListRecord', {
  issuer: string({ max: DID_LIMITS.did }),
  purpose: literals('StatusPurpose', STATUS_PURPOSES),
  size: u32,
  height: u64,
});
export type StatusListRecord = Infer<typeof StatusListRecord>;

export const statusListKey = (list: string) => `slist/${list}`;
export const statusChunkKey = (list: string, chunk: number) =>
  `sbits/${list}/${String(chunk).padStart(6, '0')}`;
export const statusListStateKey = (list: string) => moduleKey(DID_MODULE, statusListKey(list));
export const statusChunkStateKey = (list: string, chunk: number) =>
  moduleKey(DID_MODULE, statusChunkKey(list, chunk));

/** The bit at `index` of a chunk (absent chunk: all zero). */
export function bitOf(chunk: Uint8Array | undefined, index: number): boolean {
  const offset = index % (STATUS_CHUNK_BYTES * 8);
  return chunk !== undefined && ((chunk[offset >> 3]! >> (7 - (offset & 7))) & 1) === 1;
}

/** What a status entry reads: the list and one bit (a pure function of state, so clients rebuild it from proven reads). */
export interface StatusEntryState {
  readonly list: string;
  readonly issuer: string;
  readonly purpose: StatusPurpose;
  readonly size: number;
  readonly index: number;
  readonly value: boolean;
}

export function readStatusEntry(
  read: (key: string) => Uint8Array | undefined,
  list: string,
  index: number,
): StatusEntryState | undefined {
  const bytes = read(statusListKey(list));
  if (!bytes) return undefined;
  const record = decode(StatusListRecord, bytes);
  const inRange = index < record.size;
  const chunk = inRange
    ? read(statusChunkKey(list, Math.floor(index / (STATUS_CHUNK_BYTES * 8))))
    : undefined;
  return {
    list,
    issuer: record.issuer,
    purpose: record.purpose,
    size: record.size,
    index,
    value: inRange && bitOf(chunk, index),
  };
}
