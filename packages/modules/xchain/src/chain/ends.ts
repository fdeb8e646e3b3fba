import { decode, encode } from '@pujiang/codec';
import type { ModuleContext } from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import {
  CHANNEL_ID,
  ChannelEnd,
  CONNECTION_ID,
  ConnectionEnd,
  channelKey,
  connectionKey,
  nextIdKey,
} from '../channel-formats.js';
import { xchainError } from '../errors.js';

/** Connection and channel ends in this chain's state, and the ids this chain hands out. */
type Read = Pick<ModuleContext, 'get'>;

export function allocateId(ctx: ModuleContext, kind: 'connection' | 'channel'): string {
  const n = decodeU64(ctx.get(nextIdKey(kind)));
  ctx.set(nextIdKey(kind), encodeU64(n + 1n));
  return `${kind}-${n}`;
}

export function checkConnectionId(id: string): void {
  if (!CONNECTION_ID.test(id))
    throw xchainError('XCHAIN_BAD_ID', `${id} is not a connection id`, { connection: id });
}

export function checkChannelId(id: string): void {
  if (!CHANNEL_ID.test(id)) throw xchainError('XCHAIN_BAD_ID', `${id} is not a channel id`, { channel: id });
}

export function loadConnection(ctx: Read, id: string): ConnectionEnd {
  checkConnectionId(id);
  const bytes = ctx.get(connectionKey(id));
  if (!bytes) throw xchainError('XCHAIN_CONNECTION_UNKNOWN', undefined, { connection: id });
  return decode(ConnectionEnd, bytes);
}

export function saveConnection(ctx: ModuleContext, id: string, end: ConnectionEnd): void {
  ctx.set(connectionKey(id), encode(ConnectionEnd, end));
}

export function loadChannel(ctx: Read, port: string, id: string): ChannelEnd {
  checkChannelId(id);
  const bytes = ctx.get(channelKey(port, id));
  if (!bytes) throw xchainError('XCHAIN_CHANNEL_UNKNOWN', undefined, { port, channel: id });
  return decode(ChannelEnd, bytes);
}

export function saveChannel(ctx: ModuleContext, id: string, end: ChannelEnd): void {
  ctx.set(channelKey(end.port, id), encode(ChannelEnd, end));
}

/** An OPEN connection (a channel step or a packet needs one). */
export function openConnection(ctx: Read, id: string): ConnectionEnd {
  const c = loadConnection(ctx, id);
  if (c.state !== 'OPEN')
    throw xchainError('XCHAIN_CONNECTION_STATE', `connection ${id} is ${c.state}, not OPEN`, {
      connection: id,
      state: c.state,
    });
  return c;
}

export function expectChannelState(end: ChannelEnd, id: string, state: ChannelEnd['state']): void {
  if (end.state === 'CLOSED' && state !== 'CLOSED')
    throw xchainError('XCHAIN_CHANNEL_CLOSED', undefined, { port: end.port, channel: id });
  if (end.state !== state)
    throw xchainError('XCHAIN_CHANNEL_STATE', `channel ${id} is ${end.state}, not ${state}`, {
      channel: id,
      state: end.state,
    });
}
