import { bool, bytes, type Infer, literals, string, struct, u64 } from '@pujiang/codec';

/**
 * Connections, channels and packets in the IBC model (ICS-3, ICS-4): records this chain
 * keeps, which the counterparty proves under a header its client of this chain accepted.
 * Both chains run this module, so a record's key and bytes are the same on either side.
 */

/** Connection and channel ids this chain assigns: `connection-<n>`, `channel-<n>`. */
export const CONNECTION_ID = /^connection-(0|[1-9][0-9]{0,8})$/;
export const CHANNEL_ID = /^channel-(0|[1-9][0-9]{0,8})$/;
/** Ports are the applications on packets. */
export const PORTS = ['transfer', 'call'] as const;
export type Port = (typeof PORTS)[number];
/** The one version each application speaks (both ends of a channel run the same one). */
export const PORT_VERSIONS: Readonly<Record<Port, string>> = {
  transfer: 'pujiang-transfer-1',
  call: 'pujiang-call-1',
};

export const CONNECTION_STATES = ['INIT', 'TRYOPEN', 'OPEN'] as const;
export const ConnectionEnd = struct('XchainConnectionEnd', {
  state: literals('ConnectionState', CONNECTION_STATES),
  clientId: string({ max: 64 }),
  counterpartyClientId: string({ max: 64 }),
  /** Empty until the counterparty's id is known (INIT). */
  counterpartyConnectionId: string({ max: 32 }),
});
export type ConnectionEnd = Infer<typeof ConnectionEnd>;

export const CHANNEL_STATES = ['INIT', 'TRYOPEN', 'OPEN', 'CLOSED'] as const;
export const ORDERINGS = ['ORDERED', 'UNORDERED'] as const;
export type Ordering = (typeof ORDERINGS)[number];
export const ChannelEnd = struct('XchainChannelEnd', {
  state: literals('ChannelState', CHANNEL_STATES),
  ordering: literals('Ordering', ORDERINGS),
  port: literals('Port', PORTS),
  connectionId: string({ max: 32 }),
  counterpartyPort: literals('Port', PORTS),
  counterpartyChannelId: string({ max: 32 }),
  version: string({ max: 32 }),
});
export type ChannelEnd = Infer<typeof ChannelEnd>;

/** A packet: where from, where to, which, until when, and the application's data. */
export const Packet = struct('XchainPacket', {
  sequence: u64,
  sourcePort: literals('Port', PORTS),
  sourceChannel: string({ max: 32 }),
  destPort: literals('Port', PORTS),
  destChannel: string({ max: 32 }),
  data: bytes({ max: 16 * 1024 }),
  /** The destination's first height that may no longer receive it (0: none). */
  timeoutHeight: u64,
  /** The destination's block time (ms) from which it may no longer be received (0: none). */
  timeoutTime: u64,
});
export type Packet = Infer<typeof Packet>;

/** What the destination's application answered: a result, or the typed error it refused with. */
export const Acknowledgement = struct('XchainAcknowledgement', {
  ok: bool,
  result: bytes({ max: 4096 }),
  error: string({ max: 256 }),
});
export type Acknowledgement = Infer<typeof Acknowledgement>;

/** A proof of a counterparty record: the height of the header it is proven under, and the read. */
const Proof = { proofHeight: u64, proof: bytes({ max: 64 * 1024 }) };

export const ConnOpenInit = struct('XchainConnOpenInit', {
  clientId: string({ max: 64 }),
  counterpartyClientId: string({ max: 64 }),
});
export type ConnOpenInit = Infer<typeof ConnOpenInit>;
export const ConnOpenTry = struct('XchainConnOpenTry', {
  clientId: string({ max: 64 }),
  counterpartyClientId: string({ max: 64 }),
  counterpartyConnectionId: string({ max: 32 }),
  ...Proof,
  /** The counterparty's client of this chain, read under the same header. */
  clientProof: bytes({ max: 64 * 1024 }),
});
export type ConnOpenTry = Infer<typeof ConnOpenTry>;
export const ConnOpenAck = struct('XchainConnOpenAck', {
  connectionId: string({ max: 32 }),
  counterpartyConnectionId: string({ max: 32 }),
  ...Proof,
  clientProof: bytes({ max: 64 * 1024 }),
});
export type ConnOpenAck = Infer<typeof ConnOpenAck>;
export const ConnOpenConfirm = struct('XchainConnOpenConfirm', {
  connectionId: string({ max: 32 }),
  ...Proof,
});
export type ConnOpenConfirm = Infer<typeof ConnOpenConfirm>;

export const ChanOpenInit = struct('XchainChanOpenInit', {
  port: literals('Port', PORTS),
  connectionId: string({ max: 32 }),
  counterpartyPort: literals('Port', PORTS),
  ordering: literals('Ordering', ORDERINGS),
  version: string({ max: 32 }),
});
export type ChanOpenInit = Infer<typeof ChanOpenInit>;
export const ChanOpenTry = struct('XchainChanOpenTry', {
  port: literals('Port', PORTS),
  connectionId: string({ max: 32 }),
  counterpartyPort: literals('Port', PORTS),
  counterpartyChannelId: string({ max: 32 }),
  ordering: literals('Ordering', ORDERINGS),
  version: string({ max: 32 }),
  ...Proof,
});
export type ChanOpenTry = Infer<typeof ChanOpenTry>;
export const ChanOpenAck = struct('XchainChanOpenAck', {
  port: literals('Port', PORTS),
  channelId: string({ max: 32 }),
  counterpartyChannelId: string({ max: 32 }),
  ...Proof,
});
export type ChanOpenAck = Infer<typeof ChanOpenAck>;
/** `chanOpenConfirm` (proof: the counterparty OPEN) and `chanCloseConfirm` (proof: it CLOSED). */
export const ChanStep = struct('XchainChanStep', {
  port: literals('Port', PORTS),
  channelId: string({ max: 32 }),
  ...Proof,
});
export type ChanStep = Infer<typeof ChanStep>;
export const ChanCloseInit = struct('XchainChanCloseInit', {
  port: literals('Port', PORTS),
  channelId: string({ max: 32 }),
});
export type ChanCloseInit = Infer<typeof ChanCloseInit>;

export const RecvPacket = struct('XchainRecvPacket', { packet: Packet, ...Proof });
export type RecvPacket = Infer<typeof RecvPacket>;
export const AcknowledgePacket = struct('XchainAcknowledgePacket', {
  packet: Packet,
  acknowledgement: bytes({ max: 8192 }),
  ...Proof,
});
export type AcknowledgePacket = Infer<typeof AcknowledgePacket>;
/** Proof: the receipt's absence (unordered), or the destination's next receive sequence (ordered). */
export const TimeoutPacket = struct('XchainTimeoutPacket', { packet: Packet, ...Proof });
export type TimeoutPacket = Infer<typeof TimeoutPacket>;

/** Token transfer (port `transfer`): escrow or burn here, mint or release there. */
export const TransferData = struct('XchainTransferData', {
  denom: string({ max: 64 }),
  /** Decimal digits, as ICS-20 carries amounts. */
  amount: string({ max: 78 }),
  sender: string({ max: 64 }),
  receiver: string({ max: 64 }),
  memo: string({ max: 256 }),
});
export type TransferData = Infer<typeof TransferData>;

/** A generic call (port `call`) into a `remote` export of a module on the other chain. */
export const CallData = struct('XchainCallData', {
  module: string({ max: 32 }),
  export: string({ max: 64 }),
  /** The export's arguments as JSON (UTF-8). */
  args: bytes({ max: 8192 }),
  sender: string({ max: 64 }),
});
export type CallData = Infer<typeof CallData>;

const Timeouts = { timeoutHeight: u64, timeoutTime: u64 };
export const SendTransfer = struct('XchainTransfer', {
  channelId: string({ max: 32 }),
  denom: string({ max: 64 }),
  amount: string({ max: 78 }),
  receiver: string({ max: 64 }),
  memo: string({ max: 256 }),
  ...Timeouts,
});
export type SendTransfer = Infer<typeof SendTransfer>;
export const SendCall = struct('XchainCall', {
  channelId: string({ max: 32 }),
  module: string({ max: 32 }),
  export: string({ max: 64 }),
  args: bytes({ max: 8192 }),
  ...Timeouts,
});
export type SendCall = Infer<typeof SendCall>;

// Module-relative keys. Sequences are zero-padded so a channel's packets list in order.
const seq20 = (sequence: bigint | number | string) => String(sequence).padStart(20, '0');
export const connectionKey = (id: string) => `connections/${id}`;
export const channelKey = (port: string, id: string) => `channels/${port}/${id}`;
export const channelOwnerKey = (port: string, id: string) => `channelOwners/${port}/${id}`;
export const nextIdKey = (kind: 'connection' | 'channel') => `next/${kind}`;
export const nextSendKey = (port: string, ch: string) => `nextSend/${port}/${ch}`;
export const nextRecvKey = (port: string, ch: string) => `nextRecv/${port}/${ch}`;
export const nextAckKey = (port: string, ch: string) => `nextAck/${port}/${ch}`;
export const commitmentKey = (port: string, ch: string, s: bigint | number | string) =>
  `commitments/${port}/${ch}/${seq20(s)}`;
/** The packet itself, kept while it is in flight, so a relayer needs nothing but this chain. */
export const sentPacketKey = (port: string, ch: string, s: bigint | number | string) =>
  `sent/${port}/${ch}/${seq20(s)}`;
export const receiptKey = (port: string, ch: string, s: bigint | number | string) =>
  `receipts/${port}/${ch}/${seq20(s)}`;
export const ackCommitmentKey = (port: string, ch: string, s: bigint | number | string) =>
  `acks/${port}/${ch}/${seq20(s)}`;
export const ackDataKey = (port: string, ch: string, s: bigint | number | string) =>
  `ackData/${port}/${ch}/${seq20(s)}`;
/** What the transfer application holds in escrow for a channel, per denomination (decimal). */
export const escrowKey = (ch: string, denom: string) => `escrow/${ch}/${denom}`;
export const pendingIndexKey = (port: string, ch: string, s: bigint | number | string) =>
  `pending/${port}/${ch}/${seq20(s)}`;
