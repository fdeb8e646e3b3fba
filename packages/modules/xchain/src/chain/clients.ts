import { decode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { moduleParamKey } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { xchainError } from '../errors.js';
import {
  type ApplyRecovery,
  type CreateClient,
  clientKey,
  type ProveState,
  RECOVER_PARAM,
  RecoverClient,
  recoveredKey,
  type SubmitMisbehaviour,
  type UpdateClient,
} from '../formats.js';
import { checkMisbehaviour, createClient, updateClient } from '../light-client.js';
import { checkNotFrozenByGovernance } from '../sectors.js';
import { proveState } from './prove-state.js';
import { checkId, loadClient, loadConsensus, saveClient, saveConsensus, submissionOf } from './store.js';

/** The light-client messages: create, update, misbehaviour, governance's recovery, proven reads. */
export function createClientMessage(ctx: MessageContext, m: CreateClient): void {
  checkId(m.clientId);
  if (ctx.get(clientKey(m.clientId)))
    throw xchainError('XCHAIN_CLIENT_EXISTS', undefined, { client: m.clientId });
  const { client, consensus } = createClient(m, submissionOf(m.trusted), { now: ctx.time });
  saveClient(ctx, m.clientId, client, 0);
  saveConsensus(ctx, m.clientId, consensus, 0);
  ctx.emit('clientCreated', { client: m.clientId, chainId: m.chainId, height: String(consensus.height) });
}

export function updateClientMessage(ctx: MessageContext, m: UpdateClient): void {
  checkId(m.clientId);
  checkNotFrozenByGovernance((key) => ctx.get(key), m.clientId);
  const { state, generation } = loadClient(ctx, m.clientId);
  const latest = loadConsensus(ctx, m.clientId, state.latestHeight, generation)!;
  const outcome = updateClient(
    state,
    latest,
    (h) => loadConsensus(ctx, m.clientId, h, generation),
    submissionOf(m.header),
    { now: ctx.time },
  );
  if (outcome.kind === 'known') return;
  saveClient(ctx, m.clientId, outcome.client, generation);
  if (outcome.kind === 'frozen') {
    ctx.emit('clientFrozen', { client: m.clientId, height: String(outcome.client.frozenHeight) });
    return;
  }
  saveConsensus(ctx, m.clientId, outcome.consensus, generation);
  ctx.emit('clientUpdated', { client: m.clientId, height: String(outcome.consensus.height) });
}

export function proveStateMessage(ctx: MessageContext, m: ProveState): void {
  checkId(m.clientId);
  proveState(ctx, m);
}

export function submitMisbehaviourMessage(ctx: MessageContext, m: SubmitMisbehaviour): void {
  checkId(m.clientId);
  const { state, generation } = loadClient(ctx, m.clientId);
  const latest = loadConsensus(ctx, m.clientId, state.latestHeight, generation)!;
  const frozen = checkMisbehaviour(state, latest, submissionOf(m.a), submissionOf(m.b), { now: ctx.time });
  saveClient(ctx, m.clientId, frozen, generation);
  ctx.emit('clientFrozen', { client: m.clientId, height: String(frozen.frozenHeight) });
}

export function checkRecovery(value: Uint8Array): void {
  const r = decode(RecoverClient, value);
  checkId(r.clientId);
  submissionOf(r.trusted);
}

/**
 * Applies the recovery governance approved (parameter `recover`) to the client it names,
 * once: anyone may send it after the proposal executed. The client trusts the recovery's
 * header anew (its parameters kept) and its generation goes up.
 */
export function applyRecovery(ctx: MessageContext, m: ApplyRecovery): void {
  checkId(m.clientId);
  const value = ctx.get(moduleParamKey(RECOVER_PARAM));
  const r = value ? decode(RecoverClient, value) : undefined;
  if (!value || !r || r.clientId !== m.clientId)
    throw xchainError('XCHAIN_NO_RECOVERY', undefined, { client: m.clientId });
  const marker = ctx.get(recoveredKey());
  if (marker && bytesToHex(marker) === bytesToHex(value))
    throw xchainError('XCHAIN_NO_RECOVERY', 'that recovery was applied already', { client: m.clientId });
  const { state, generation } = loadClient(ctx, r.clientId);
  const { client, consensus } = createClient(state, submissionOf(r.trusted), { now: ctx.time });
  ctx.set(recoveredKey(), value);
  saveClient(ctx, r.clientId, client, generation + 1);
  saveConsensus(ctx, r.clientId, consensus, generation + 1);
  ctx.emit('clientRecovered', { client: r.clientId, height: String(consensus.height) });
}
