import { encode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  type ChanCloseInit,
  ChannelEnd,
  type ChanOpenAck,
  type ChanOpenInit,
  type ChanOpenTry,
  type ChanStep,
  channelKey,
  channelOwnerKey,
  PORT_VERSIONS,
  type Port,
} from '../channel-formats.js';
import { xchainError } from '../errors.js';
import {
  allocateId,
  checkChannelId,
  expectChannelState,
  loadChannel,
  openConnection,
  saveChannel,
} from './ends.js';
import { verifyCounterparty } from './proofs.js';

/**
 * The channel handshake (ICS-4) on an OPEN connection: INIT, TRYOPEN, OPEN, OPEN, each
 * step proving the counterparty's end; and closing: the account that sent the INIT closes
 * a `call` channel on its side, and the other side closes on proof of that (a `transfer`
 * channel is never closed by an account). An application binds its port to one version, and
 * both ends run the same application.
 */

function checkPorts(port: Port, counterpartyPort: Port, version: string): void {
  if (port !== counterpartyPort)
    throw xchainError('XCHAIN_BAD_ID', 'both ends of a channel run the same application (port)', {
      port,
      counterpartyPort,
    });
  if (version !== PORT_VERSIONS[port])
    throw xchainError('XCHAIN_BAD_ID', `port ${port} speaks version ${PORT_VERSIONS[port]}`, { version });
}

export function chanOpenInit(ctx: MessageContext, m: ChanOpenInit): void {
  checkPorts(m.port, m.counterpartyPort, m.version);
  openConnection(ctx, m.connectionId);
  const id = allocateId(ctx, 'channel');
  saveChannel(ctx, id, { ...m, state: 'INIT', counterpartyChannelId: '' });
  ctx.set(channelOwnerKey(m.port, id), hexToBytes(ctx.sender));
  ctx.emit('channelOpened', { port: m.port, channel: id, state: 'INIT', connection: m.connectionId });
}

export function chanOpenTry(ctx: MessageContext, m: ChanOpenTry): void {
  checkPorts(m.port, m.counterpartyPort, m.version);
  checkChannelId(m.counterpartyChannelId);
  const connection = openConnection(ctx, m.connectionId);
  const expected: ChannelEnd = {
    state: 'INIT',
    ordering: m.ordering,
    port: m.counterpartyPort,
    connectionId: connection.counterpartyConnectionId,
    counterpartyPort: m.port,
    counterpartyChannelId: '',
    version: m.version,
  };
  verifyCounterparty(
    ctx,
    connection.clientId,
    m.proofHeight,
    m.proof,
    channelKey(m.counterpartyPort, m.counterpartyChannelId),
    encode(ChannelEnd, expected),
  );
  const id = allocateId(ctx, 'channel');
  // No owner on this end: whoever relays a TRY (anyone) gets no power over the channel.
  saveChannel(ctx, id, {
    state: 'TRYOPEN',
    ordering: m.ordering,
    port: m.port,
    connectionId: m.connectionId,
    counterpartyPort: m.counterpartyPort,
    counterpartyChannelId: m.counterpartyChannelId,
    version: m.version,
  });
  ctx.emit('channelOpened', { port: m.port, channel: id, state: 'TRYOPEN', connection: m.connectionId });
}

/** The counterparty's end as this chain expects it to read, given this end. */
function mirror(
  end: ChannelEnd,
  id: string,
  connectionCounterparty: string,
  state: ChannelEnd['state'],
): ChannelEnd {
  return {
    state,
    ordering: end.ordering,
    port: end.counterpartyPort,
    connectionId: connectionCounterparty,
    counterpartyPort: end.port,
    counterpartyChannelId: id,
    version: end.version,
  };
}

/**
 * Checks that the counterparty's end of this channel is `state` (proven under the header at
 * `m.proofHeight`), the counterparty channel being `counterpartyId` (default: the one recorded).
 */
function proveCounterpartyEnd(
  ctx: MessageContext,
  end: ChannelEnd,
  m: { channelId: string; proofHeight: bigint; proof: Uint8Array },
  state: ChannelEnd['state'],
  counterpartyId = end.counterpartyChannelId,
): void {
  const connection = openConnection(ctx, end.connectionId);
  verifyCounterparty(
    ctx,
    connection.clientId,
    m.proofHeight,
    m.proof,
    channelKey(end.counterpartyPort, counterpartyId),
    encode(ChannelEnd, mirror(end, m.channelId, connection.counterpartyConnectionId, state)),
  );
}

export function chanOpenAck(ctx: MessageContext, m: ChanOpenAck): void {
  const end = loadChannel(ctx, m.port, m.channelId);
  expectChannelState(end, m.channelId, 'INIT');
  checkChannelId(m.counterpartyChannelId);
  proveCounterpartyEnd(ctx, end, m, 'TRYOPEN', m.counterpartyChannelId);
  saveChannel(ctx, m.channelId, { ...end, state: 'OPEN', counterpartyChannelId: m.counterpartyChannelId });
  ctx.emit('channelOpened', {
    port: m.port,
    channel: m.channelId,
    state: 'OPEN',
    connection: end.connectionId,
  });
}

export function chanOpenConfirm(ctx: MessageContext, m: ChanStep): void {
  const end = loadChannel(ctx, m.port, m.channelId);
  expectChannelState(end, m.channelId, 'TRYOPEN');
  proveCounterpartyEnd(ctx, end, m, 'OPEN');
  saveChannel(ctx, m.channelId, { ...end, state: 'OPEN' });
  ctx.emit('channelOpened', {
    port: m.port,
    channel: m.channelId,
    state: 'OPEN',
    connection: end.connectionId,
  });
}

export function chanCloseInit(ctx: MessageContext, m: ChanCloseInit): void {
  const end = loadChannel(ctx, m.port, m.channelId);
  // As ICS-20: a transfer channel is never closed by an account (its escrow could never come home).
  if (m.port === 'transfer')
    throw xchainError('XCHAIN_NOT_CHANNEL_OWNER', 'transfer channels are not closed by accounts', {
      channel: m.channelId,
    });
  const owner = ctx.get(channelOwnerKey(m.port, m.channelId));
  if (!owner || bytesToHex(owner) !== ctx.sender)
    throw xchainError('XCHAIN_NOT_CHANNEL_OWNER', undefined, { channel: m.channelId });
  expectChannelState(end, m.channelId, 'OPEN');
  saveChannel(ctx, m.channelId, { ...end, state: 'CLOSED' });
  ctx.emit('channelClosed', { port: m.port, channel: m.channelId });
}

export function chanCloseConfirm(ctx: MessageContext, m: ChanStep): void {
  const end = loadChannel(ctx, m.port, m.channelId);
  expectChannelState(end, m.channelId, 'OPEN');
  proveCounterpartyEnd(ctx, end, m, 'CLOSED');
  saveChannel(ctx, m.channelId, { ...end, state: 'CLOSED' });
  ctx.emit('channelClosed', { port: m.port, channel: m.channelId });
}

/** Closes an ordered channel whose packet timed out (ICS-4: order can no longer be kept). */
export function closeOnTimeout(ctx: MessageContext, id: string, end: ChannelEnd): void {
  saveChannel(ctx, id, { ...end, state: 'CLOSED' });
  ctx.emit('channelClosed', { port: end.port, channel: id });
}
