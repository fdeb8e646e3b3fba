import { decode, encode } from '@pujiang/codec';
import { defineQuery, type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, equalBytes, hexToBytes } from '@pujiang/types';
import {
  ASSET_ID,
  AssetRecord,
  assetKey,
  assetRecordToJson,
  type CreateAsset,
  EVENT_TYPE,
  eventKey,
  LineageEvent,
  type LineageJson,
  lineageEventHash,
  lineageEventToJson,
  NOTARY_LIMITS,
  type RecordEvent,
} from '../formats.js';
import { AssetQuery, LINEAGE_PAGE, LineageQuery } from '../schemas.js';
import { checkText } from './text.js';

/**
 * Data lineage: an asset's events form an append-only chain, each naming its actor, action,
 * input and output digests and the hash of the event before it. The owner may record any
 * event; parties the owner shared the asset with may record `accessed`, `transformed` and
 * custom events; `transferred` hands the asset (and these rights) to a new owner.
 */
const ASSET_TYPE = /^[A-Za-z0-9._:-]{1,64}$/;
const ZERO = new Uint8Array(32);
/** Event types only the owner may record. */
const OWNER_ONLY = new Set(['transferred', 'shared', 'unshared']);

function readAsset(ctx: MessageContext, asset: string): AssetRecord {
  const bytes = ctx.get(assetKey(asset));
  if (!bytes) throw moduleError('NOTARY_ASSET_UNKNOWN', `no asset ${asset}`, { asset });
  return decode(AssetRecord, bytes);
}

function append(ctx: MessageContext, record: AssetRecord, event: LineageEvent): AssetRecord {
  const hash = lineageEventHash(ctx.chainHash, event);
  ctx.set(eventKey(event.asset, event.seq), encode(LineageEvent, event));
  const next = { ...record, count: event.seq + 1, head: hash };
  ctx.set(assetKey(event.asset), encode(AssetRecord, next));
  ctx.emit('lineage', {
    asset: event.asset,
    seq: String(event.seq),
    eventType: event.eventType,
    actor: bytesToHex(event.actor),
    hash: bytesToHex(hash),
  });
  return next;
}

export function createAsset(ctx: MessageContext, m: CreateAsset): void {
  if (!ASSET_ID.test(m.asset))
    throw moduleError('NOTARY_BAD_ASSET', 'an asset id is 1-128 of A-Z a-z 0-9 . _ : / # @ -', {
      asset: m.asset,
    });
  if (!ASSET_TYPE.test(m.assetType))
    throw moduleError('NOTARY_BAD_ASSET', 'an asset type is 1-64 of A-Z a-z 0-9 . _ : -', {
      assetType: m.assetType,
    });
  checkText('action', m.action);
  if (ctx.get(assetKey(m.asset)) !== undefined)
    throw moduleError('NOTARY_ASSET_EXISTS', `asset ${m.asset} exists`, { asset: m.asset });
  const sender = hexToBytes(ctx.sender);
  const record: AssetRecord = {
    asset: m.asset,
    assetType: m.assetType,
    owner: sender,
    creator: sender,
    createdHeight: ctx.height,
    createdTime: ctx.time,
    participants: [],
    count: 0,
    head: ZERO,
  };
  ctx.emit('assetCreated', { asset: m.asset, assetType: m.assetType, owner: ctx.sender });
  append(ctx, record, {
    asset: m.asset,
    seq: 0,
    eventType: 'created',
    actor: sender,
    action: m.action,
    inputs: [],
    outputs: m.outputs,
    to: [],
    prev: ZERO,
    height: ctx.height,
    time: ctx.time,
  });
}

export function recordEvent(ctx: MessageContext, m: RecordEvent): void {
  const record = readAsset(ctx, m.asset);
  if (!EVENT_TYPE.test(m.eventType) || m.eventType === 'created')
    throw moduleError('NOTARY_BAD_EVENT', 'an event type is a lowercase word other than created', {
      eventType: m.eventType,
    });
  checkText('action', m.action);
  if (!equalBytes(m.prev, record.head))
    throw moduleError('NOTARY_STALE_HEAD', "prev is not the hash of the asset's last event", {
      asset: m.asset,
      head: bytesToHex(record.head),
      count: record.count,
    });
  const owner = bytesToHex(record.owner);
  const isOwner = ctx.sender === owner;
  const isParticipant = record.participants.some((p) => bytesToHex(p) === ctx.sender);
  if (!isOwner && (OWNER_ONLY.has(m.eventType) || !isParticipant))
    throw moduleError('NOTARY_NOT_AUTHORIZED', `${ctx.sender} may not record ${m.eventType} on ${m.asset}`, {
      asset: m.asset,
      owner,
      eventType: m.eventType,
    });
  const to = m.to[0];
  if (OWNER_ONLY.has(m.eventType) !== (to !== undefined))
    throw moduleError(
      'NOTARY_BAD_EVENT',
      'transferred, shared and unshared name a party (to); other events do not',
      {
        eventType: m.eventType,
      },
    );

  let updated = record;
  if (to !== undefined) {
    const party = bytesToHex(to);
    const others = record.participants.filter((p) => bytesToHex(p) !== party);
    if (m.eventType === 'transferred') {
      if (party === owner) throw moduleError('NOTARY_BAD_EVENT', 'the asset already belongs to that party');
      // The new owner decides whom to share with.
      updated = { ...record, owner: to, participants: [] };
      ctx.emit('assetTransferred', {
        asset: m.asset,
        from: owner,
        to: party,
        createdTime: String(record.createdTime),
      });
    } else if (m.eventType === 'shared') {
      if (party === owner || others.length !== record.participants.length)
        throw moduleError('NOTARY_BAD_EVENT', 'the asset is already shared with that party', { to: party });
      if (record.participants.length >= NOTARY_LIMITS.participants)
        throw moduleError(
          'NOTARY_TOO_MANY_PARTICIPANTS',
          `an asset is shared with at most ${NOTARY_LIMITS.participants} parties`,
        );
      updated = { ...record, participants: [...record.participants, to] };
    } else {
      if (others.length === record.participants.length)
        throw moduleError('NOTARY_BAD_EVENT', 'the asset is not shared with that party', { to: party });
      updated = { ...record, participants: others };
    }
  }
  append(ctx, updated, {
    asset: m.asset,
    seq: record.count,
    eventType: m.eventType,
    actor: hexToBytes(ctx.sender),
    action: m.action,
    inputs: m.inputs,
    outputs: m.outputs,
    to: m.to,
    prev: record.head,
    height: ctx.height,
    time: ctx.time,
  });
}

/** `notary/asset?asset=ID`: the asset's record, or null. */
export const assetQuery = defineQuery({
  ...AssetQuery,
  run: (read, { asset }) => {
    const bytes = read(assetKey(asset));
    return { asset: bytes ? assetRecordToJson(decode(AssetRecord, bytes)) : null };
  },
});

/**
 * `notary/lineage?asset=ID[&from=N][&limit=N]`: the asset and its events from `from` (all,
 * up to 1,000 per answer). Proven, every event and the asset record are read through the
 * state, so a client can check each against the header and the chain of hashes.
 */
export const lineageQuery = defineQuery({
  ...LineageQuery,
  run: (read, p) => lineage(read, p.asset, p.from ?? 0, p.limit ?? LINEAGE_PAGE),
});

function lineage(read: StateRead, asset: string, from: number, limit: number): LineageJson {
  const bytes = read(assetKey(asset));
  if (!bytes) return { asset: null, events: [] };
  const record = decode(AssetRecord, bytes);
  const events = [];
  for (let seq = from; seq < Math.min(record.count, from + limit); seq++) {
    const event = read(eventKey(asset, seq));
    if (!event) throw moduleError('NOTARY_CORRUPT', `event ${seq} of ${asset} is missing`, { asset, seq });
    events.push(lineageEventToJson(decode(LineageEvent, event)));
  }
  return { asset: assetRecordToJson(record), events };
}
