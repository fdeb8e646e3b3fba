import {
  type ChainClient,
  encodePayload,
  invalidArgument,
  objectArgument,
  queryTyped,
  type RequestOptions,
  type SendTransactionReturnType,
  searchTyped,
  stringArgument,
  toU64,
  type U64Like,
} from '@pujiang/module-kit';
import { utf8ToBytes } from '@pujiang/types';
import { CHANNEL_ID, PORTS, type Port, SendCall, SendTransfer } from '../channel-formats.js';
import {
  channelQueryContract,
  connectionQueryContract,
  escrowQueryContract,
  packetQueryContract,
  pendingSearchContract,
} from '../channel-schemas.js';
import { amountArgument } from './amount.js';
import type { XchainSendParameters } from './send.js';
import { send } from './send.js';

/** Client calls for channels and packets: send tokens or a call, read connections, channels and packets. */
function channelArgument(id: unknown, parameter = 'channelId'): string {
  if (typeof id !== 'string' || !CHANNEL_ID.test(id))
    throw invalidArgument(`${parameter} must be channel-<n>`, parameter);
  return id;
}

function portArgument(port: unknown): Port {
  if (!PORTS.includes(port as Port)) throw invalidArgument(`port must be one of ${PORTS.join(', ')}`, 'port');
  return port as Port;
}

export interface Timeouts {
  /** The destination's first height that may no longer receive the packet. */
  timeoutHeight?: U64Like;
  /** The destination's block time (ms since the epoch) from which it may no longer be received. */
  timeoutTime?: U64Like;
}

function timeoutsOf(p: Timeouts): { timeoutHeight: bigint; timeoutTime: bigint } {
  const timeoutHeight = p.timeoutHeight === undefined ? 0n : toU64(p.timeoutHeight, 'timeoutHeight');
  const timeoutTime = p.timeoutTime === undefined ? 0n : toU64(p.timeoutTime, 'timeoutTime');
  if (timeoutHeight === 0n && timeoutTime === 0n)
    throw invalidArgument('a packet needs timeoutHeight or timeoutTime', 'timeoutHeight');
  return { timeoutHeight, timeoutTime };
}

/**
 * Sends tokens over a `transfer` channel (`xchain/transfer`): escrowed here (or, for a
 * voucher going home, burnt), minted or released there when a relayer delivers the packet.
 */
export function sendTokens(
  client: ChainClient,
  p: XchainSendParameters &
    Timeouts & { channelId: string; denom: string; amount: U64Like; receiver: string; memo?: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(SendTransfer, {
    channelId: channelArgument(p.channelId),
    denom: stringArgument(p.denom, 'denom'),
    amount: String(amountArgument(p.amount)),
    receiver: stringArgument(p.receiver, 'receiver'),
    memo: p.memo === undefined ? '' : stringArgument(p.memo, 'memo'),
    ...timeoutsOf(p),
  });
  return send(client, p, 'transfer', payload);
}

/**
 * Calls a `remote` export of a module on the other chain (`xchain/call`); its result comes
 * back in the acknowledgement (event `callAnswered` here).
 */
export function sendRemoteCall(
  client: ChainClient,
  p: XchainSendParameters & Timeouts & { channelId: string; module: string; export: string; args: unknown },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  let args: Uint8Array;
  try {
    args = utf8ToBytes(JSON.stringify(p.args ?? null));
  } catch {
    throw invalidArgument('args must be JSON', 'args');
  }
  const payload = encodePayload(SendCall, {
    channelId: channelArgument(p.channelId),
    module: stringArgument(p.module, 'module'),
    export: stringArgument(p.export, 'export'),
    args,
    ...timeoutsOf(p),
  });
  return send(client, p, 'call', payload);
}

export async function getConnection(client: ChainClient, id: string, options?: RequestOptions) {
  if (typeof id !== 'string' || !/^connection-(0|[1-9][0-9]{0,8})$/.test(id))
    throw invalidArgument('id must be connection-<n>', 'id');
  return (await queryTyped(client, connectionQueryContract, { id }, options)).result.connection;
}

export async function getChannel(client: ChainClient, port: Port, id: string, options?: RequestOptions) {
  return (
    await queryTyped(
      client,
      channelQueryContract,
      { port: portArgument(port), id: channelArgument(id, 'id') },
      options,
    )
  ).result.channel;
}

/** One sequence of a channel as this chain sees it: the packet in flight, its receipt, its acknowledgement. */
export async function getPacket(
  client: ChainClient,
  port: Port,
  channel: string,
  sequence: U64Like,
  options?: RequestOptions,
) {
  const s = toU64(sequence, 'sequence');
  if (s === 0n) throw invalidArgument('sequences start at 1', 'sequence');
  return (
    await queryTyped(
      client,
      packetQueryContract,
      { port: portArgument(port), channel: channelArgument(channel, 'channel'), sequence: String(s) },
      options,
    )
  ).result;
}

/** What the transfer application holds in escrow for a channel, in one denomination. */
export async function getEscrow(
  client: ChainClient,
  channel: string,
  denom: string,
  options?: RequestOptions,
) {
  return BigInt(
    (
      await queryTyped(
        client,
        escrowQueryContract,
        { channel: channelArgument(channel, 'channel'), denom: stringArgument(denom, 'denom') },
        options,
      )
    ).result.amount,
  );
}

/** Every sequence sent on a channel and still in flight (neither acknowledged nor timed out), in order. */
export async function listPendingPackets(
  client: ChainClient,
  port: Port,
  channel: string,
  options?: RequestOptions,
): Promise<bigint[]> {
  const out: bigint[] = [];
  let after: string | undefined;
  for (;;) {
    const { result } = await searchTyped(
      client,
      pendingSearchContract,
      {
        port: portArgument(port),
        channel: channelArgument(channel, 'channel'),
        limit: 1000,
        ...(after === undefined ? {} : { after }),
      },
      options,
    );
    out.push(...result.sequences.map(BigInt));
    if (result.next === null) return out;
    after = result.next;
  }
}
