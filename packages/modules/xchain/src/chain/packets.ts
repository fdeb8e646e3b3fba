import { decode, encode } from '@pujiang/codec';
import { hash } from '@pujiang/crypto';
import type { MessageContext } from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import { equalBytes } from '@pujiang/types';
import {
  Acknowledgement,
  type AcknowledgePacket,
  ackCommitmentKey,
  ackDataKey,
  type ChannelEnd,
  commitmentKey,
  nextAckKey,
  nextRecvKey,
  nextSendKey,
  Packet,
  type Port,
  type RecvPacket,
  receiptKey,
  sentPacketKey,
  type TimeoutPacket,
} from '../channel-formats.js';
import { xchainError } from '../errors.js';
import { closeOnTimeout } from './channels.js';
import { expectChannelState, loadChannel, openConnection } from './ends.js';
import { provenCounterpartyValue, usableClient } from './proofs.js';

/**
 * Packets (ICS-4): the sender commits to a packet in its state; the receiver checks the
 * commitment by proof under a header its client accepted, writes a receipt and an
 * acknowledgement; the sender checks the acknowledgement by proof and forgets the packet, or,
 * past the timeout, proves the receipt absent and refunds. Each step happens once: a second
 * relayer's copy finds the receipt, or the commitment gone, and is refused.
 */
export interface PacketApp {
  /** What the destination's application does with a packet; a typed error becomes an error acknowledgement. */
  onRecv(ctx: MessageContext, packet: Packet, remoteChainId: string): Uint8Array;
  onAck(ctx: MessageContext, packet: Packet, ack: Acknowledgement): void;
  onTimeout(ctx: MessageContext, packet: Packet): void;
}

/** Gas the destination's application may use on one packet (a remote call's export included). */
export const RECV_APP_GAS = 2_000_000;

/** Sequences start at 1; an absent counter is 1. */
const counter = (ctx: MessageContext, key: string) => decodeU64(ctx.get(key)) || 1n;
const commitmentOf = (algorithm: Parameters<typeof hash>[0], packet: Packet) =>
  hash(algorithm, encode(Packet, packet));

/** Sends a packet on an OPEN channel: stores its commitment and the packet; returns it. */
export function sendPacket(
  ctx: MessageContext,
  port: Port,
  channelId: string,
  data: Uint8Array,
  timeoutHeight: bigint,
  timeoutTime: bigint,
): Packet {
  const end = loadChannel(ctx, port, channelId);
  expectChannelState(end, channelId, 'OPEN');
  if (timeoutHeight === 0n && timeoutTime === 0n) throw xchainError('XCHAIN_NO_TIMEOUT');
  const connection = openConnection(ctx, end.connectionId);
  // A packet already past its timeout on the destination, as the client last saw it, could
  // never be received: refuse it here rather than escrow for nothing.
  const { latest } = usableClient(ctx, connection.clientId);
  if (
    (timeoutHeight > 0n && BigInt(latest.height) >= timeoutHeight) ||
    (timeoutTime > 0n && latest.time >= timeoutTime)
  )
    throw xchainError('XCHAIN_PACKET_TIMED_OUT', 'the destination is already past the timeout', {
      destinationHeight: latest.height,
      destinationTime: String(latest.time),
    });
  const sequence = counter(ctx, nextSendKey(port, channelId));
  ctx.set(nextSendKey(port, channelId), encodeU64(sequence + 1n));
  const packet: Packet = {
    sequence,
    sourcePort: port,
    sourceChannel: channelId,
    destPort: end.counterpartyPort,
    destChannel: end.counterpartyChannelId,
    data,
    timeoutHeight,
    timeoutTime,
  };
  ctx.set(commitmentKey(port, channelId, sequence), commitmentOf(ctx.chainHash, packet));
  ctx.set(sentPacketKey(port, channelId, sequence), encode(Packet, packet));
  ctx.emit('packetSent', {
    port,
    channel: channelId,
    sequence: String(sequence),
    destPort: packet.destPort,
    destChannel: packet.destChannel,
    timeoutHeight: String(timeoutHeight),
    timeoutTime: String(timeoutTime),
  });
  return packet;
}

export function recvPacket(ctx: MessageContext, m: RecvPacket, app: PacketApp): void {
  const p = m.packet;
  const end = loadChannel(ctx, p.destPort, p.destChannel);
  expectChannelState(end, p.destChannel, 'OPEN');
  if (end.counterpartyPort !== p.sourcePort || end.counterpartyChannelId !== p.sourceChannel)
    throw xchainError('XCHAIN_WRONG_COUNTERPARTY', undefined, {
      port: p.sourcePort,
      channel: p.sourceChannel,
    });
  const connection = openConnection(ctx, end.connectionId);
  if (
    (p.timeoutHeight > 0n && ctx.height >= p.timeoutHeight) ||
    (p.timeoutTime > 0n && ctx.time >= p.timeoutTime)
  )
    throw xchainError('XCHAIN_PACKET_TIMED_OUT', undefined, { sequence: String(p.sequence) });
  if (end.ordering === 'UNORDERED') {
    if (ctx.get(receiptKey(p.destPort, p.destChannel, p.sequence)))
      throw xchainError('XCHAIN_PACKET_REPLAYED', undefined, { sequence: String(p.sequence) });
  } else checkNext(ctx, nextRecvKey(p.destPort, p.destChannel), p.sequence);
  const { value, client } = provenCounterpartyValue(
    ctx,
    connection.clientId,
    m.proofHeight,
    m.proof,
    commitmentKey(p.sourcePort, p.sourceChannel, p.sequence),
  );
  if (value === undefined)
    throw xchainError('XCHAIN_BAD_PROOF', 'the source has no such packet in flight', {
      sequence: String(p.sequence),
    });
  if (!equalBytes(value, commitmentOf(client.chainHash, p)))
    throw xchainError('XCHAIN_PACKET_MISMATCH', undefined, { sequence: String(p.sequence) });
  if (end.ordering === 'UNORDERED')
    ctx.set(receiptKey(p.destPort, p.destChannel, p.sequence), Uint8Array.of(1));
  // The application's work is capped, so a call packet cannot spend the relayer's whole budget.
  const outcome = ctx.attempt(() => app.onRecv(ctx, p, client.chainId), RECV_APP_GAS);
  const ack: Acknowledgement = outcome.ok
    ? { ok: true, result: outcome.value, error: '' }
    : { ok: false, result: new Uint8Array(), error: outcome.error.code };
  const ackBytes = encode(Acknowledgement, ack);
  ctx.set(ackCommitmentKey(p.destPort, p.destChannel, p.sequence), hash(ctx.chainHash, ackBytes));
  ctx.set(ackDataKey(p.destPort, p.destChannel, p.sequence), ackBytes);
  ctx.emit('packetReceived', {
    port: p.destPort,
    channel: p.destChannel,
    sequence: String(p.sequence),
    ok: String(ack.ok),
    error: ack.error,
  });
}

/** Ordered channels: the sequence must be the next one (an earlier one is a replay). */
function checkNext(ctx: MessageContext, key: string, sequence: bigint): void {
  const next = counter(ctx, key);
  if (sequence < next) throw xchainError('XCHAIN_PACKET_REPLAYED', undefined, { sequence: String(sequence) });
  if (sequence > next)
    throw xchainError('XCHAIN_PACKET_OUT_OF_ORDER', undefined, {
      sequence: String(sequence),
      next: String(next),
    });
  ctx.set(key, encodeU64(next + 1n));
}

/** The source end of a packet in flight, the packet checked against its commitment. */
function inFlight(ctx: MessageContext, p: Packet): ChannelEnd {
  const end = loadChannel(ctx, p.sourcePort, p.sourceChannel);
  if (end.counterpartyPort !== p.destPort || end.counterpartyChannelId !== p.destChannel)
    throw xchainError('XCHAIN_WRONG_COUNTERPARTY', undefined, { port: p.destPort, channel: p.destChannel });
  const committed = ctx.get(commitmentKey(p.sourcePort, p.sourceChannel, p.sequence));
  if (!committed) throw xchainError('XCHAIN_PACKET_NOT_PENDING', undefined, { sequence: String(p.sequence) });
  if (!equalBytes(committed, commitmentOf(ctx.chainHash, p)))
    throw xchainError('XCHAIN_PACKET_MISMATCH', undefined, { sequence: String(p.sequence) });
  return end;
}

function forget(ctx: MessageContext, p: Packet): void {
  ctx.set(commitmentKey(p.sourcePort, p.sourceChannel, p.sequence), undefined);
  ctx.set(sentPacketKey(p.sourcePort, p.sourceChannel, p.sequence), undefined);
}

export function acknowledgePacket(ctx: MessageContext, m: AcknowledgePacket, app: PacketApp): void {
  const p = m.packet;
  const end = inFlight(ctx, p);
  const connection = openConnection(ctx, end.connectionId);
  const { value, client } = provenCounterpartyValue(
    ctx,
    connection.clientId,
    m.proofHeight,
    m.proof,
    ackCommitmentKey(p.destPort, p.destChannel, p.sequence),
  );
  if (value === undefined || !equalBytes(value, hash(client.chainHash, m.acknowledgement)))
    throw xchainError('XCHAIN_BAD_PROOF', 'the acknowledgement is not the one the destination wrote', {
      sequence: String(p.sequence),
    });
  let ack: Acknowledgement;
  try {
    ack = decode(Acknowledgement, m.acknowledgement);
  } catch {
    throw xchainError('XCHAIN_BAD_PROOF', 'the acknowledgement does not decode');
  }
  if (end.ordering === 'ORDERED') checkNext(ctx, nextAckKey(p.sourcePort, p.sourceChannel), p.sequence);
  forget(ctx, p);
  app.onAck(ctx, p, ack);
  ctx.emit('packetAcknowledged', {
    port: p.sourcePort,
    channel: p.sourceChannel,
    sequence: String(p.sequence),
    ok: String(ack.ok),
    error: ack.error,
  });
}

export function timeoutPacket(ctx: MessageContext, m: TimeoutPacket, app: PacketApp): void {
  const p = m.packet;
  const end = inFlight(ctx, p);
  const connection = openConnection(ctx, end.connectionId);
  const ordered = end.ordering === 'ORDERED';
  const key = ordered
    ? nextRecvKey(p.destPort, p.destChannel)
    : receiptKey(p.destPort, p.destChannel, p.sequence);
  const { value, consensus } = provenCounterpartyValue(ctx, connection.clientId, m.proofHeight, m.proof, key);
  // Header H holds the state after block H - 1; the destination refuses the packet from
  // block `timeoutHeight` (or time `timeoutTime`) on, so a header at or past the timeout
  // shows every receipt there can ever be.
  const pastHeight = p.timeoutHeight > 0n && m.proofHeight >= p.timeoutHeight;
  const pastTime = p.timeoutTime > 0n && consensus.time >= p.timeoutTime;
  if (!pastHeight && !pastTime)
    throw xchainError('XCHAIN_TIMEOUT_NOT_REACHED', undefined, {
      proofHeight: String(m.proofHeight),
      timeoutHeight: String(p.timeoutHeight),
      timeoutTime: String(p.timeoutTime),
    });
  const received = ordered ? (decodeU64(value) || 1n) > p.sequence : value !== undefined;
  if (received) throw xchainError('XCHAIN_PACKET_RECEIVED', undefined, { sequence: String(p.sequence) });
  forget(ctx, p);
  if (ordered && end.state === 'OPEN') closeOnTimeout(ctx, p.sourceChannel, end);
  app.onTimeout(ctx, p);
  ctx.emit('packetTimedOut', { port: p.sourcePort, channel: p.sourceChannel, sequence: String(p.sequence) });
}
