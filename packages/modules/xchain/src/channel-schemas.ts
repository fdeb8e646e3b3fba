import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { XCHAIN_MODULE } from './names.js';

/** The JSON answers of the connection, channel and packet queries (published in OpenAPI, checked by clients). */
const { hex, hash32, u64 } = Schemas;

const ConnectionIdParam = Type.String({ pattern: '^connection-(0|[1-9][0-9]{0,8})$' });
const ChannelIdParam = Type.String({ pattern: '^channel-(0|[1-9][0-9]{0,8})$' });
const PortSchema = Type.Union([Type.Literal('transfer'), Type.Literal('call')]);
const Sequence = Type.String({ pattern: '^[1-9][0-9]{0,19}$' });

export const ConnectionSchema = Type.Object({
  state: Type.Union([Type.Literal('INIT'), Type.Literal('TRYOPEN'), Type.Literal('OPEN')]),
  clientId: Type.String(),
  counterpartyClientId: Type.String(),
  /** Empty until the counterparty's id is known. */
  counterpartyConnectionId: Type.String(),
});

export const ChannelSchema = Type.Object({
  state: Type.Union([
    Type.Literal('INIT'),
    Type.Literal('TRYOPEN'),
    Type.Literal('OPEN'),
    Type.Literal('CLOSED'),
  ]),
  ordering: Type.Union([Type.Literal('ORDERED'), Type.Literal('UNORDERED')]),
  port: PortSchema,
  connectionId: Type.String(),
  counterpartyPort: PortSchema,
  counterpartyChannelId: Type.String(),
  version: Type.String(),
  nextSequenceSend: u64(),
  nextSequenceRecv: u64(),
  nextSequenceAck: u64(),
});

export const PacketSchema = Type.Object({
  sequence: u64(),
  sourcePort: PortSchema,
  sourceChannel: Type.String(),
  destPort: PortSchema,
  destChannel: Type.String(),
  data: hex(),
  timeoutHeight: u64(),
  timeoutTime: u64(),
});

/** `xchain/connection?id=`: a connection end (null if none). */
export const connectionQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'connection',
  summary: 'A connection end: its handshake state, its client and the counterparty',
  params: Type.Object({ id: ConnectionIdParam }),
  result: Type.Object({ connection: Type.Union([ConnectionSchema, Type.Null()]) }),
  invalidParams: 'XCHAIN_BAD_ID',
});

/** `xchain/channel?port=&id=`: a channel end with its sequences (null if none). */
export const channelQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'channel',
  summary: 'A channel end: state, ordering, counterparty and next sequences',
  params: Type.Object({ port: PortSchema, id: ChannelIdParam }),
  result: Type.Object({ channel: Type.Union([ChannelSchema, Type.Null()]) }),
  invalidParams: 'XCHAIN_BAD_ID',
});

/**
 * `xchain/packet?port=&channel=&sequence=`: one sequence of one channel as this chain sees it,
 * as the sender (the packet and its commitment while in flight) and as the receiver (receipt
 * and acknowledgement).
 */
export const packetQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'packet',
  summary: "A packet's commitment (in flight), receipt and acknowledgement on this chain",
  params: Type.Object({ port: PortSchema, channel: ChannelIdParam, sequence: Sequence }),
  result: Type.Object({
    packet: Type.Union([PacketSchema, Type.Null()]),
    commitment: Type.Union([hash32(), Type.Null()]),
    received: Type.Boolean(),
    acknowledgement: Type.Union([
      Type.Object({ bytes: hex(), ok: Type.Boolean(), result: hex(), error: Type.String() }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'XCHAIN_BAD_ID',
});

/** `xchain/escrow?channel=&denom=`: what the transfer application holds for a channel. */
export const escrowQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'escrow',
  summary: 'The amount of a denomination held in escrow for a channel (decimal)',
  params: Type.Object({
    channel: ChannelIdParam,
    denom: Type.String({ pattern: '^[a-z][a-z0-9/._-]{0,63}$' }),
  }),
  result: Type.Object({ amount: Type.String({ pattern: '^(0|[1-9][0-9]*)$' }) }),
  invalidParams: 'XCHAIN_BAD_ID',
});

/** `GET /v1/search/xchain/pending?port=&channel=`: sequences this chain sent and still holds in flight (unproven). */
export const pendingSearchContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'pending',
  summary: 'Sequences sent on a channel and neither acknowledged nor timed out, in order, paged',
  params: Type.Object({
    port: PortSchema,
    channel: ChannelIdParam,
    after: Type.Optional(Sequence),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  result: Type.Object({ sequences: Type.Array(Sequence), next: Type.Union([Sequence, Type.Null()]) }),
  invalidParams: 'XCHAIN_BAD_ID',
});
