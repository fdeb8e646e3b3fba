import { decode, encode } from '@pujiang/codec';
import { defineQuery, type MessageContext, moduleError, Schemas, Type } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import {
  type CreateStatusList,
  MAX_STATUS_LIST_BITS,
  MIN_STATUS_LIST_BITS,
  readStatusEntry,
  type SetStatus,
  STATUS_CHUNK_BYTES,
  STATUS_LIST_ID,
  StatusListRecord,
  statusChunkKey,
  statusListKey,
} from '../status-formats.js';
import { authorizeFor } from './operations.js';

const CHUNK_BITS = STATUS_CHUNK_BYTES * 8;

/** `did/createStatusList`: by whoever may act for the issuer DID; ids are first come, first served. */
export function createStatusList(ctx: MessageContext, m: CreateStatusList): void {
  if (!STATUS_LIST_ID.test(m.list))
    throw moduleError('DID_BAD_STATUS_LIST', 'a list id is 1-64 of [a-z0-9-]', { list: m.list });
  if (m.size < MIN_STATUS_LIST_BITS || m.size > MAX_STATUS_LIST_BITS || m.size % CHUNK_BITS !== 0)
    throw moduleError(
      'DID_BAD_STATUS_LIST',
      `a list has ${MIN_STATUS_LIST_BITS} to ${MAX_STATUS_LIST_BITS} bits, a multiple of ${CHUNK_BITS}`,
      {
        size: m.size,
      },
    );
  authorizeFor(ctx, m.issuer);
  if (ctx.get(statusListKey(m.list)) !== undefined)
    throw moduleError('DID_STATUS_LIST_EXISTS', `status list ${m.list} exists`, { list: m.list });
  ctx.set(
    statusListKey(m.list),
    encode(StatusListRecord, { issuer: m.issuer, purpose: m.purpose, size: m.size, height: ctx.height }),
  );
  ctx.emit('statusListCreated', { list: m.list, issuer: m.issuer, purpose: m.purpose });
}

/** `did/setStatus`: by whoever may act for the list's issuer; each chunk touched is written once. */
export function setStatus(ctx: MessageContext, m: SetStatus): void {
  const bytes = ctx.get(statusListKey(m.list));
  if (!bytes)
    throw moduleError('DID_STATUS_LIST_UNKNOWN', `there is no status list ${m.list}`, { list: m.list });
  if (m.updates.length === 0) throw moduleError('DID_BAD_STATUS_LIST', 'name at least one index');
  const record = decode(StatusListRecord, bytes);
  authorizeFor(ctx, record.issuer);
  // Bitstring Status List: a revocation cannot be undone (suspensions can).
  if (record.purpose === 'revocation' && m.updates.some((u) => !u.value))
    throw moduleError('DID_STATUS_IRREVERSIBLE', 'a revocation cannot be undone; suspend instead', {
      list: m.list,
    });
  const chunks = new Map<number, Uint8Array>();
  for (const { index, value } of m.updates) {
    if (index >= record.size)
      throw moduleError('DID_STATUS_RANGE', `index ${index} is past the list's ${record.size} bits`, {
        index,
        size: record.size,
      });
    const c = Math.floor(index / CHUNK_BITS);
    const chunk =
      chunks.get(c) ??
      new Uint8Array(ctx.get(statusChunkKey(m.list, c)) ?? new Uint8Array(STATUS_CHUNK_BYTES));
    chunks.set(c, chunk);
    const offset = index % CHUNK_BITS;
    const mask = 1 << (7 - (offset & 7));
    chunk[offset >> 3] = value ? chunk[offset >> 3]! | mask : chunk[offset >> 3]! & ~mask;
  }
  for (const [c, chunk] of chunks) ctx.set(statusChunkKey(m.list, c), chunk);
  ctx.emit('statusSet', { list: m.list, count: String(m.updates.length) });
}

const ListId = Type.String({ pattern: STATUS_LIST_ID.source });
const StatusEntrySchema = Type.Object({
  list: Type.String(),
  issuer: Type.String(),
  purpose: Type.Union([Type.Literal('revocation'), Type.Literal('suspension')]),
  size: Type.Integer(),
  index: Type.Integer(),
  value: Type.Boolean(),
});

/** `did/statusEntry?list=&index=`: one bit and its list (a proof covers the list record and one chunk). */
export const statusEntryQuery = defineQuery({
  summary:
    "One entry of a status list: the list's issuer, purpose and size, and the bit (false past the end)",
  params: Type.Object({ list: ListId, index: Schemas.integer(0, MAX_STATUS_LIST_BITS) }),
  result: Type.Object({ entry: Type.Union([StatusEntrySchema, Type.Null()]) }),
  invalidParams: 'DID_BAD_QUERY',
  run: (read, { list, index }) => ({ entry: readStatusEntry(read, list, index) ?? null }),
});

/** `did/statusList?list=`: the whole list, for serving it as a BitstringStatusListCredential. */
export const statusListQuery = defineQuery({
  summary: 'A status list: issuer, purpose, size and its bits (hex)',
  params: Type.Object({ list: ListId }),
  result: Type.Object({
    list: Type.Union([
      Type.Object({
        issuer: Type.String(),
        purpose: Type.String(),
        size: Type.Integer(),
        bits: Schemas.hex(),
      }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'DID_BAD_QUERY',
  run: (read, { list }) => {
    const bytes = read(statusListKey(list));
    if (!bytes) return { list: null };
    const record = decode(StatusListRecord, bytes);
    const bits = new Uint8Array(record.size / 8);
    for (let c = 0; c < record.size / CHUNK_BITS; c++) {
      const chunk = read(statusChunkKey(list, c));
      if (chunk) bits.set(chunk, c * STATUS_CHUNK_BYTES);
    }
    return {
      list: { issuer: record.issuer, purpose: record.purpose, size: record.size, bits: bytesToHex(bits) },
    };
  },
});
