import { decode } from '@pujiang/codec';
import { defineQuery, defineSearch, type SearchIndexUpdate } from '@pujiang/module-kit';
import type { ChainEvent } from '@pujiang/protocol';
import { decodeU64 } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import {
  Acknowledgement,
  ackDataKey,
  ChannelEnd,
  ConnectionEnd,
  channelKey,
  commitmentKey,
  connectionKey,
  escrowKey,
  nextAckKey,
  nextRecvKey,
  nextSendKey,
  Packet,
  pendingIndexKey,
  receiptKey,
  sentPacketKey,
} from '../channel-formats.js';
import {
  channelQueryContract,
  connectionQueryContract,
  escrowQueryContract,
  packetQueryContract,
  pendingSearchContract,
} from '../channel-schemas.js';

const next = (bytes: Uint8Array | undefined) => String(decodeU64(bytes) || 1n);

export const connectionQuery = defineQuery({
  ...connectionQueryContract,
  run: (read, { id }) => {
    const bytes = read(connectionKey(id));
    return { connection: bytes ? decode(ConnectionEnd, bytes) : null };
  },
});

export const channelQuery = defineQuery({
  ...channelQueryContract,
  run: (read, { port, id }) => {
    const bytes = read(channelKey(port, id));
    if (!bytes) return { channel: null };
    return {
      channel: {
        ...decode(ChannelEnd, bytes),
        nextSequenceSend: next(read(nextSendKey(port, id))),
        nextSequenceRecv: next(read(nextRecvKey(port, id))),
        nextSequenceAck: next(read(nextAckKey(port, id))),
      },
    };
  },
});

export const packetQuery = defineQuery({
  ...packetQueryContract,
  run: (read, { port, channel, sequence }) => {
    const sent = read(sentPacketKey(port, channel, sequence));
    const commitment = read(commitmentKey(port, channel, sequence));
    const ackBytes = read(ackDataKey(port, channel, sequence));
    const p = sent ? decode(Packet, sent) : undefined;
    const ack = ackBytes ? decode(Acknowledgement, ackBytes) : undefined;
    const ordered = (() => {
      const end = read(channelKey(port, channel));
      return end ? decode(ChannelEnd, end).ordering === 'ORDERED' : false;
    })();
    const received = ordered
      ? (decodeU64(read(nextRecvKey(port, channel))) || 1n) > BigInt(sequence)
      : read(receiptKey(port, channel, sequence)) !== undefined;
    return {
      packet: p
        ? {
            ...p,
            sequence: String(p.sequence),
            data: bytesToHex(p.data),
            timeoutHeight: String(p.timeoutHeight),
            timeoutTime: String(p.timeoutTime),
          }
        : null,
      commitment: commitment ? bytesToHex(commitment) : null,
      received,
      acknowledgement:
        ack && ackBytes
          ? { bytes: bytesToHex(ackBytes), ok: ack.ok, result: bytesToHex(ack.result), error: ack.error }
          : null,
    };
  },
});

export const escrowQuery = defineQuery({
  ...escrowQueryContract,
  run: (read, { channel, denom }) => {
    const bytes = read(escrowKey(channel, denom));
    return { amount: bytes ? new TextDecoder().decode(bytes) : '0' };
  },
});

/**
 * The index of packets in flight: a sent packet is added, an acknowledged or timed-out one
 * removed. A relayer that starts (or restarts after kill -9) lists what is left to do here,
 * then checks each packet's state on both chains: it needs no state of its own.
 */
export function xchainSearchIndex(event: ChainEvent): SearchIndexUpdate {
  const a = event.attributes;
  switch (event.type) {
    case 'packetSent':
      return { put: [pendingIndexKey(a.port!, a.channel!, a.sequence!)] };
    case 'packetAcknowledged':
    case 'packetTimedOut':
      return { delete: [pendingIndexKey(a.port!, a.channel!, a.sequence!)] };
    default:
      return {};
  }
}

export const pendingSearch = defineSearch({
  ...pendingSearchContract,
  run: (scan, _read, { port, channel, after, limit }) => {
    const prefix = pendingIndexKey(port, channel, '').slice(0, -20);
    const n = limit ?? 100;
    const start = after === undefined ? prefix : `${pendingIndexKey(port, channel, after)} `;
    const keys = scan(start, `${prefix}~`, n);
    const sequences = keys.map((k) => String(BigInt(k.slice(prefix.length))));
    return { sequences, next: keys.length === n ? sequences[sequences.length - 1]! : null };
  },
});
