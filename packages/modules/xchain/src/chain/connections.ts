import { decode, encode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import {
  ConnectionEnd,
  type ConnOpenAck,
  type ConnOpenConfirm,
  type ConnOpenInit,
  type ConnOpenTry,
  connectionKey,
} from '../channel-formats.js';
import { xchainError } from '../errors.js';
import { ClientRecord, clientKey } from '../formats.js';
import { allocateId, checkConnectionId, loadConnection, saveConnection } from './ends.js';
import { provenCounterpartyValue, usableClient, verifyCounterparty } from './proofs.js';
import { checkId } from './store.js';

/**
 * The connection handshake (ICS-3): INIT here, TRYOPEN there with a proof of INIT, OPEN here
 * with a proof of TRYOPEN, OPEN there with a proof of OPEN. Each side also proves that the
 * other's client follows it (its chain id and hash, not frozen), so a connection joins two
 * light clients of each other.
 */
function checkCounterpartyClient(
  ctx: MessageContext,
  clientId: string,
  counterpartyClientId: string,
  proofHeight: bigint,
  read: Uint8Array,
): void {
  const { value } = provenCounterpartyValue(
    ctx,
    clientId,
    proofHeight,
    read,
    clientKey(counterpartyClientId),
  );
  const record = value ? decode(ClientRecord, value) : undefined;
  if (
    !record ||
    record.chainId !== ctx.chainId ||
    record.chainHash !== ctx.chainHash ||
    record.frozenHeight > 0n
  )
    throw xchainError('XCHAIN_CLIENT_MISMATCH', undefined, {
      counterpartyClient: counterpartyClientId,
      follows: record?.chainId ?? null,
      expected: ctx.chainId,
    });
}

export function connOpenInit(ctx: MessageContext, m: ConnOpenInit): void {
  checkId(m.clientId);
  usableClient(ctx, m.clientId);
  checkId(m.counterpartyClientId);
  const id = allocateId(ctx, 'connection');
  saveConnection(ctx, id, {
    state: 'INIT',
    clientId: m.clientId,
    counterpartyClientId: m.counterpartyClientId,
    counterpartyConnectionId: '',
  });
  ctx.emit('connectionOpened', { connection: id, state: 'INIT', client: m.clientId });
}

export function connOpenTry(ctx: MessageContext, m: ConnOpenTry): void {
  checkId(m.clientId);
  usableClient(ctx, m.clientId);
  checkId(m.counterpartyClientId);
  checkConnectionId(m.counterpartyConnectionId);
  const expected: ConnectionEnd = {
    state: 'INIT',
    clientId: m.counterpartyClientId,
    counterpartyClientId: m.clientId,
    counterpartyConnectionId: '',
  };
  verifyCounterparty(
    ctx,
    m.clientId,
    m.proofHeight,
    m.proof,
    connectionKey(m.counterpartyConnectionId),
    encode(ConnectionEnd, expected),
  );
  checkCounterpartyClient(ctx, m.clientId, m.counterpartyClientId, m.proofHeight, m.clientProof);
  const id = allocateId(ctx, 'connection');
  saveConnection(ctx, id, {
    state: 'TRYOPEN',
    clientId: m.clientId,
    counterpartyClientId: m.counterpartyClientId,
    counterpartyConnectionId: m.counterpartyConnectionId,
  });
  ctx.emit('connectionOpened', { connection: id, state: 'TRYOPEN', client: m.clientId });
}

/** This end in `state` for the step, or XCHAIN_CONNECTION_STATE. */
function expectConnection(ctx: MessageContext, id: string, state: ConnectionEnd['state']): ConnectionEnd {
  const end = loadConnection(ctx, id);
  if (end.state !== state)
    throw xchainError('XCHAIN_CONNECTION_STATE', `connection ${id} is ${end.state}, not ${state}`, {
      connection: id,
    });
  return end;
}

/** Checks that the counterparty's end (`counterpartyId`) is `state`, mirroring this one, under `proofHeight`. */
function proveCounterpartyConnection(
  ctx: MessageContext,
  end: ConnectionEnd,
  m: { connectionId: string; proofHeight: bigint; proof: Uint8Array },
  state: ConnectionEnd['state'],
  counterpartyId: string,
): void {
  const expected: ConnectionEnd = {
    state,
    clientId: end.counterpartyClientId,
    counterpartyClientId: end.clientId,
    counterpartyConnectionId: m.connectionId,
  };
  verifyCounterparty(
    ctx,
    end.clientId,
    m.proofHeight,
    m.proof,
    connectionKey(counterpartyId),
    encode(ConnectionEnd, expected),
  );
}

export function connOpenAck(ctx: MessageContext, m: ConnOpenAck): void {
  const end = expectConnection(ctx, m.connectionId, 'INIT');
  checkConnectionId(m.counterpartyConnectionId);
  proveCounterpartyConnection(ctx, end, m, 'TRYOPEN', m.counterpartyConnectionId);
  checkCounterpartyClient(ctx, end.clientId, end.counterpartyClientId, m.proofHeight, m.clientProof);
  saveConnection(ctx, m.connectionId, {
    ...end,
    state: 'OPEN',
    counterpartyConnectionId: m.counterpartyConnectionId,
  });
  ctx.emit('connectionOpened', { connection: m.connectionId, state: 'OPEN', client: end.clientId });
}

export function connOpenConfirm(ctx: MessageContext, m: ConnOpenConfirm): void {
  const end = expectConnection(ctx, m.connectionId, 'TRYOPEN');
  proveCounterpartyConnection(ctx, end, m, 'OPEN', end.counterpartyConnectionId);
  saveConnection(ctx, m.connectionId, { ...end, state: 'OPEN' });
  ctx.emit('connectionOpened', { connection: m.connectionId, state: 'OPEN', client: end.clientId });
}
