import { defineMessage, defineModule, type MessageHandler } from '@pujiang/module-kit';
import {
  AcknowledgePacket,
  ChanCloseInit,
  ChanOpenAck,
  ChanOpenInit,
  ChanOpenTry,
  ChanStep,
  ConnOpenAck,
  ConnOpenConfirm,
  ConnOpenInit,
  ConnOpenTry,
  type Port,
  RecvPacket,
  SendCall,
  SendTransfer,
  TimeoutPacket,
} from '../channel-formats.js';
import { XCHAIN_ERRORS } from '../errors.js';
import {
  ApplyRecovery,
  CreateClient,
  ProveState,
  RECOVER_PARAM,
  SubmitMisbehaviour,
  UpdateClient,
} from '../formats.js';
import { HtlcClaim, HtlcLock, HtlcRefund } from '../htlc-formats.js';
import { XCHAIN_MODULE } from '../names.js';
import { checkSectors, SECTORS_PARAM } from '../sectors.js';
import { callApp, sendCall } from './apps/call.js';
import { sendTransfer, transferApp } from './apps/transfer.js';
import {
  chanCloseConfirm,
  chanCloseInit,
  chanOpenAck,
  chanOpenConfirm,
  chanOpenInit,
  chanOpenTry,
} from './channels.js';
import {
  applyRecovery,
  checkRecovery,
  createClientMessage,
  proveStateMessage,
  submitMisbehaviourMessage,
  updateClientMessage,
} from './clients.js';
import { connOpenAck, connOpenConfirm, connOpenInit, connOpenTry } from './connections.js';
import { htlcClaim, htlcLock, htlcQuery, htlcRefund } from './htlc.js';
import {
  channelQuery,
  connectionQuery,
  escrowQuery,
  packetQuery,
  pendingSearch,
  xchainSearchIndex,
} from './packet-queries.js';
import { acknowledgePacket, type PacketApp, recvPacket, timeoutPacket } from './packets.js';
import { clientQuery, consensusQuery, provenQuery, sectorsQuery } from './queries.js';

const APPS: Readonly<Record<Port, PacketApp>> = { transfer: transferApp, call: callApp };

const messages: Record<string, MessageHandler> = {
  createClient: defineMessage(CreateClient, createClientMessage),
  updateClient: defineMessage(UpdateClient, updateClientMessage),
  submitMisbehaviour: defineMessage(SubmitMisbehaviour, submitMisbehaviourMessage),
  applyRecovery: defineMessage(ApplyRecovery, applyRecovery),
  proveState: defineMessage(ProveState, proveStateMessage),
  connOpenInit: defineMessage(ConnOpenInit, connOpenInit),
  connOpenTry: defineMessage(ConnOpenTry, connOpenTry),
  connOpenAck: defineMessage(ConnOpenAck, connOpenAck),
  connOpenConfirm: defineMessage(ConnOpenConfirm, connOpenConfirm),
  chanOpenInit: defineMessage(ChanOpenInit, chanOpenInit),
  chanOpenTry: defineMessage(ChanOpenTry, chanOpenTry),
  chanOpenAck: defineMessage(ChanOpenAck, chanOpenAck),
  chanOpenConfirm: defineMessage(ChanStep, chanOpenConfirm),
  chanCloseInit: defineMessage(ChanCloseInit, chanCloseInit),
  chanCloseConfirm: defineMessage(ChanStep, chanCloseConfirm),
  transfer: defineMessage(SendTransfer, (ctx, m) => void sendTransfer(ctx, m)),
  call: defineMessage(SendCall, (ctx, m) => void sendCall(ctx, m)),
  recvPacket: defineMessage(RecvPacket, (ctx, m) => recvPacket(ctx, m, APPS[m.packet.destPort])),
  acknowledgePacket: defineMessage(AcknowledgePacket, (ctx, m) =>
    acknowledgePacket(ctx, m, APPS[m.packet.sourcePort]),
  ),
  htlcLock: defineMessage(HtlcLock, htlcLock),
  htlcClaim: defineMessage(HtlcClaim, htlcClaim),
  htlcRefund: defineMessage(HtlcRefund, htlcRefund),
  timeoutPacket: defineMessage(TimeoutPacket, (ctx, m) => timeoutPacket(ctx, m, APPS[m.packet.sourcePort])),
};

/**
 * Cross-chain, in the IBC model: light clients of other Pujiang chains, kept on this chain
 * from what untrusted relayers submit (governance recovers a frozen or expired one: module
 * parameter `recover`, applied by anyone with `applyRecovery`); connections and channels
 * opened by handshakes whose every step is proven; packets committed here, received there on
 * proof, acknowledged or timed out here on proof; token transfer and generic calls into
 * other modules' `remote` exports on top.
 */
export const xchain = defineModule({
  name: XCHAIN_MODULE,
  summary:
    'Light clients of other chains, IBC-style connections, channels and packets, token transfer and remote calls',
  errors: XCHAIN_ERRORS,
  imports: { bank: ['transfer', 'createDenom', 'mint', 'burn', 'escrow', 'release', 'refund'] },
  routesRemoteCalls: true,
  events: {
    clientCreated: ['client', 'chainId', 'height'],
    clientUpdated: ['client', 'height'],
    clientFrozen: ['client', 'height'],
    clientRecovered: ['client', 'height'],
    stateProven: ['client', 'height', 'key'],
    connectionOpened: ['connection', 'state', 'client'],
    channelOpened: ['port', 'channel', 'state', 'connection'],
    channelClosed: ['port', 'channel'],
    packetSent: ['port', 'channel', 'sequence', 'destPort', 'destChannel', 'timeoutHeight', 'timeoutTime'],
    packetReceived: ['port', 'channel', 'sequence', 'ok', 'error'],
    packetAcknowledged: ['port', 'channel', 'sequence', 'ok', 'error'],
    packetTimedOut: ['port', 'channel', 'sequence'],
    transferReceived: ['channel', 'sequence', 'to', 'denom', 'amount'],
    transferRefunded: ['channel', 'sequence', 'to', 'denom', 'amount'],
    callAnswered: ['channel', 'sequence', 'ok', 'result', 'error'],
    htlcLocked: ['id', 'sender', 'receiver', 'denom', 'amount', 'hashlock', 'timelock'],
    htlcClaimed: ['id', 'receiver', 'preimage'],
    htlcRefunded: ['id', 'sender'],
  },
  messages,
  params: { [RECOVER_PARAM]: checkRecovery, [SECTORS_PARAM]: checkSectors },
  queries: {
    client: clientQuery,
    consensusState: consensusQuery,
    provenState: provenQuery,
    connection: connectionQuery,
    channel: channelQuery,
    packet: packetQuery,
    escrow: escrowQuery,
    sectors: sectorsQuery,
    htlc: htlcQuery,
  },
  searchIndex: xchainSearchIndex,
  searches: { pending: pendingSearch },
});
