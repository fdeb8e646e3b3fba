import type { KeyPair } from '@pujiang/crypto';
import { type ChainClient, encodePayload, type SendTransactionReturnType } from '@pujiang/module-kit';
import {
  ChanOpenAck,
  ChanOpenInit,
  ChanOpenTry,
  ChanStep,
  ConnOpenAck,
  ConnOpenConfirm,
  ConnOpenInit,
  ConnOpenTry,
  channelKey,
  connectionKey,
  type Ordering,
  PORT_VERSIONS,
  type Port,
} from '../channel-formats.js';
import { getConnection } from '../client/channels.js';
import { getLightClient, readHeaderSubmission, updateLightClient } from '../client/clients.js';
import { send } from '../client/send.js';
import { clientKey } from '../formats.js';
import { readXchainProof } from './reads.js';

/**
 * One side of a path between two chains: a node of the chain, the key that signs there, and
 * the id of this chain's light client of the other chain.
 */
export interface ChainSide {
  readonly chain: ChainClient;
  readonly key: KeyPair;
  readonly clientId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes `host`'s client of `followed` hold a header at or above `minHeight` (waiting for
 * `followed` to reach it), and returns the height it holds: proofs of `followed`'s state
 * after block `minHeight - 1` verify under it.
 */
export async function syncClient(host: ChainSide, followed: ChainClient, minHeight: number): Promise<number> {
  const state = await getLightClient(host.chain, host.clientId);
  if (!state) throw new Error(`no client ${host.clientId}`);
  if (Number(state.latestHeight) >= minHeight) return Number(state.latestHeight);
  let height = (await followed.getStatus()).height;
  while (height < minHeight) {
    await sleep(100);
    height = (await followed.getStatus()).height;
  }
  await updateLightClient(host.chain, {
    key: host.key,
    clientId: host.clientId,
    header: await readHeaderSubmission(followed, height),
    wait: true,
  });
  return height;
}

/** The id an init or try step assigned, from its receipt's event. */
function assignedId(r: SendTransactionReturnType, type: string, attribute: string): string {
  const event = r.result.receipt?.events.find((e) => e.module === 'xchain' && e.type === type);
  const id = event?.attributes[attribute];
  if (!id) throw new Error(`the transaction ${r.hash} assigned no ${attribute}`);
  return id;
}

const committedAt = (r: SendTransactionReturnType) => r.result.height ?? 0;

/** Opens a connection between two chains whose clients of each other exist: the four steps, each proven. */
export async function openConnection(a: ChainSide, b: ChainSide): Promise<{ a: string; b: string }> {
  const init = await send(
    a.chain,
    { key: a.key, wait: true },
    'connOpenInit',
    encodePayload(ConnOpenInit, {
      clientId: a.clientId,
      counterpartyClientId: b.clientId,
    }),
  );
  const connA = assignedId(init, 'connectionOpened', 'connection');
  let h = await syncClient(b, a.chain, committedAt(init) + 1);
  const tryOpen = await send(
    b.chain,
    { key: b.key, wait: true },
    'connOpenTry',
    encodePayload(ConnOpenTry, {
      clientId: b.clientId,
      counterpartyClientId: a.clientId,
      counterpartyConnectionId: connA,
      proofHeight: BigInt(h),
      proof: await readXchainProof(a.chain, connectionKey(connA), h),
      clientProof: await readXchainProof(a.chain, clientKey(a.clientId), h),
    }),
  );
  const connB = assignedId(tryOpen, 'connectionOpened', 'connection');
  h = await syncClient(a, b.chain, committedAt(tryOpen) + 1);
  const ack = await send(
    a.chain,
    { key: a.key, wait: true },
    'connOpenAck',
    encodePayload(ConnOpenAck, {
      connectionId: connA,
      counterpartyConnectionId: connB,
      proofHeight: BigInt(h),
      proof: await readXchainProof(b.chain, connectionKey(connB), h),
      clientProof: await readXchainProof(b.chain, clientKey(b.clientId), h),
    }),
  );
  h = await syncClient(b, a.chain, committedAt(ack) + 1);
  await send(
    b.chain,
    { key: b.key, wait: true },
    'connOpenConfirm',
    encodePayload(ConnOpenConfirm, {
      connectionId: connB,
      proofHeight: BigInt(h),
      proof: await readXchainProof(a.chain, connectionKey(connA), h),
    }),
  );
  return { a: connA, b: connB };
}

/** The side with the client its end of `connection` uses (the connection names it). */
async function withConnectionClient(side: ChainSide, connection: string): Promise<ChainSide> {
  const end = await getConnection(side.chain, connection);
  if (!end) throw new Error(`no connection ${connection}`);
  return { ...side, clientId: end.clientId };
}

/**
 * Opens a channel of `port` over an open connection (`connection`: its ids on a and b; the
 * clients are the ones the connection uses, whatever the sides name).
 */
export async function openChannel(
  sideA: ChainSide,
  sideB: ChainSide,
  p: { port: Port; ordering: Ordering; connection: { a: string; b: string } },
): Promise<{ a: string; b: string }> {
  const a = await withConnectionClient(sideA, p.connection.a);
  const b = await withConnectionClient(sideB, p.connection.b);
  const init = await send(
    a.chain,
    { key: a.key, wait: true },
    'chanOpenInit',
    encodePayload(ChanOpenInit, {
      port: p.port,
      connectionId: p.connection.a,
      counterpartyPort: p.port,
      ordering: p.ordering,
      version: PORT_VERSIONS[p.port],
    }),
  );
  const chanA = assignedId(init, 'channelOpened', 'channel');
  let h = await syncClient(b, a.chain, committedAt(init) + 1);
  const tryOpen = await send(
    b.chain,
    { key: b.key, wait: true },
    'chanOpenTry',
    encodePayload(ChanOpenTry, {
      port: p.port,
      connectionId: p.connection.b,
      counterpartyPort: p.port,
      counterpartyChannelId: chanA,
      ordering: p.ordering,
      version: PORT_VERSIONS[p.port],
      proofHeight: BigInt(h),
      proof: await readXchainProof(a.chain, channelKey(p.port, chanA), h),
    }),
  );
  const chanB = assignedId(tryOpen, 'channelOpened', 'channel');
  h = await syncClient(a, b.chain, committedAt(tryOpen) + 1);
  const ack = await send(
    a.chain,
    { key: a.key, wait: true },
    'chanOpenAck',
    encodePayload(ChanOpenAck, {
      port: p.port,
      channelId: chanA,
      counterpartyChannelId: chanB,
      proofHeight: BigInt(h),
      proof: await readXchainProof(b.chain, channelKey(p.port, chanB), h),
    }),
  );
  h = await syncClient(b, a.chain, committedAt(ack) + 1);
  await send(
    b.chain,
    { key: b.key, wait: true },
    'chanOpenConfirm',
    encodePayload(ChanStep, {
      port: p.port,
      channelId: chanB,
      proofHeight: BigInt(h),
      proof: await readXchainProof(a.chain, channelKey(p.port, chanA), h),
    }),
  );
  return { a: chanA, b: chanB };
}
