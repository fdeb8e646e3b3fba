import { decode, encode } from '@pujiang/codec';
import { defineMessage, defineModule, type MessageContext, type ModuleContext } from '@pujiang/module-kit';
import { decodeCertificate, moduleParamKey, type StateReadJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import { XCHAIN_ERRORS, xchainError } from '../errors.js';
import {
  ApplyRecovery,
  CLIENT_ID,
  ClientRecord,
  ConsensusRecord,
  CreateClient,
  clientKey,
  consensusKey,
  fromValidators,
  ProveState,
  RECOVER_PARAM,
  RecoverClient,
  recoveredKey,
  type Submission,
  SubmitMisbehaviour,
  toValidators,
  UpdateClient,
} from '../formats.js';
import {
  type ClientState,
  type ConsensusState,
  checkMisbehaviour,
  createClient,
  type HeaderSubmission,
  updateClient,
} from '../light-client.js';
import { XCHAIN_MODULE } from '../names.js';
import { proveState } from './prove-state.js';
import { clientQuery, consensusQuery, provenQuery } from './queries.js';

/** What a relayer sent, as the light client takes it; a certificate or proof that does not parse is refused. */
function submissionOf(s: Submission): HeaderSubmission {
  let certificate: HeaderSubmission['certificate'];
  try {
    certificate = decodeCertificate(s.certificate);
  } catch (error) {
    throw xchainError('XCHAIN_BAD_CERTIFICATE', 'the certificate does not decode', {
      cause: isPujiangError(error) ? error.code : String(error),
    });
  }
  let read: StateReadJson | undefined;
  if (s.nextValidatorsRead.length > 0) {
    try {
      read = JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(s.nextValidatorsRead),
      ) as StateReadJson;
    } catch {
      throw xchainError('XCHAIN_BAD_PROOF', 'the validator-set read is not JSON');
    }
  }
  return {
    header: s.header,
    certificate,
    validators: toValidators(s.validators),
    ...(read ? { nextValidatorsRead: read } : {}),
  };
}

function loadClient(ctx: Pick<ModuleContext, 'get'>, id: string): { state: ClientState; generation: number } {
  const bytes = ctx.get(clientKey(id));
  if (!bytes) throw xchainError('XCHAIN_CLIENT_UNKNOWN', `no client ${id}`, { client: id });
  const r = decode(ClientRecord, bytes);
  return {
    state: {
      chainId: r.chainId,
      chainHash: r.chainHash,
      trustingPeriodMs: r.trustingPeriodMs,
      maxClockDriftMs: r.maxClockDriftMs,
      latestHeight: Number(r.latestHeight),
      frozenHeight: Number(r.frozenHeight),
    },
    generation: r.generation,
  };
}

function saveClient(ctx: ModuleContext, id: string, s: ClientState, generation: number): void {
  ctx.set(
    clientKey(id),
    encode(ClientRecord, {
      chainId: s.chainId,
      chainHash: s.chainHash,
      trustingPeriodMs: s.trustingPeriodMs,
      maxClockDriftMs: s.maxClockDriftMs,
      latestHeight: BigInt(s.latestHeight),
      frozenHeight: BigInt(s.frozenHeight),
      generation,
    }),
  );
}

export function loadConsensus(
  ctx: Pick<ModuleContext, 'get'>,
  id: string,
  height: number,
): ConsensusState | undefined {
  const bytes = ctx.get(consensusKey(id, height));
  if (!bytes) return undefined;
  const r = decode(ConsensusRecord, bytes);
  return {
    height,
    hash: bytesToHex(r.hash),
    time: r.time,
    stateRoot: r.stateRoot,
    validators: toValidators(r.validators),
    ...(r.nextValidators ? { nextValidators: toValidators(r.nextValidators) } : {}),
  };
}

function saveConsensus(ctx: ModuleContext, id: string, c: ConsensusState): void {
  ctx.set(
    consensusKey(id, c.height),
    encode(ConsensusRecord, {
      hash: hexToBytes(c.hash),
      time: c.time,
      stateRoot: c.stateRoot,
      validators: fromValidators(c.validators),
      ...(c.nextValidators ? { nextValidators: fromValidators(c.nextValidators) } : {}),
    }),
  );
}

function checkId(id: string): void {
  if (!CLIENT_ID.test(id)) throw xchainError('XCHAIN_BAD_CLIENT_ID', undefined, { client: id });
}

/**
 * Cross-chain: light clients of other Pujiang chains, kept on this chain from what untrusted
 * relayers submit (`createClient`, `updateClient`, `submitMisbehaviour`); governance recovers
 * a frozen or expired one (module parameter `recover`: a header to trust anew), which anyone
 * then applies (`applyRecovery`). Connections,
 * channels and packets build on these clients (issue 18's next steps).
 */
export const xchain = defineModule({
  name: XCHAIN_MODULE,
  summary: 'Light clients of other chains (certified headers, validator-set changes by proof, misbehaviour)',
  errors: XCHAIN_ERRORS,
  events: {
    clientCreated: ['client', 'chainId', 'height'],
    clientUpdated: ['client', 'height'],
    clientFrozen: ['client', 'height'],
    clientRecovered: ['client', 'height'],
    stateProven: ['client', 'height', 'key'],
  },
  messages: {
    createClient: defineMessage(CreateClient, (ctx, m) => {
      checkId(m.clientId);
      if (ctx.get(clientKey(m.clientId)))
        throw xchainError('XCHAIN_CLIENT_EXISTS', undefined, { client: m.clientId });
      const { client, consensus } = createClient(m, submissionOf(m.trusted), { now: ctx.time });
      saveClient(ctx, m.clientId, client, 0);
      saveConsensus(ctx, m.clientId, consensus);
      ctx.emit('clientCreated', { client: m.clientId, chainId: m.chainId, height: String(consensus.height) });
    }),
    updateClient: defineMessage(UpdateClient, (ctx, m) => {
      checkId(m.clientId);
      const { state, generation } = loadClient(ctx, m.clientId);
      const latest = loadConsensus(ctx, m.clientId, state.latestHeight)!;
      const outcome = updateClient(
        state,
        latest,
        (h) => loadConsensus(ctx, m.clientId, h),
        submissionOf(m.header),
        { now: ctx.time },
      );
      if (outcome.kind === 'known') return;
      saveClient(ctx, m.clientId, outcome.client, generation);
      if (outcome.kind === 'frozen') {
        ctx.emit('clientFrozen', { client: m.clientId, height: String(outcome.client.frozenHeight) });
        return;
      }
      saveConsensus(ctx, m.clientId, outcome.consensus);
      ctx.emit('clientUpdated', { client: m.clientId, height: String(outcome.consensus.height) });
    }),
    applyRecovery: defineMessage(ApplyRecovery, applyRecovery),
    proveState: defineMessage(ProveState, (ctx, m) => {
      checkId(m.clientId);
      const { state } = loadClient(ctx, m.clientId);
      proveState(ctx, m, state, loadConsensus(ctx, m.clientId, Number(m.height)));
    }),
    submitMisbehaviour: defineMessage(SubmitMisbehaviour, (ctx, m) => {
      checkId(m.clientId);
      const { state, generation } = loadClient(ctx, m.clientId);
      const latest = loadConsensus(ctx, m.clientId, state.latestHeight)!;
      const frozen = checkMisbehaviour(state, latest, submissionOf(m.a), submissionOf(m.b), {
        now: ctx.time,
      });
      saveClient(ctx, m.clientId, frozen, generation);
      ctx.emit('clientFrozen', { client: m.clientId, height: String(frozen.frozenHeight) });
    }),
  },
  params: {
    [RECOVER_PARAM]: (value) => {
      const r = decode(RecoverClient, value);
      checkId(r.clientId);
      submissionOf(r.trusted);
    },
  },
  queries: { client: clientQuery, consensusState: consensusQuery, provenState: provenQuery },
});

/**
 * Applies the recovery governance approved (parameter `recover`) to the client it names,
 * once: anyone may send it after the proposal executed. The client trusts the recovery's
 * header anew (its parameters kept) and its generation goes up.
 */
function applyRecovery(ctx: MessageContext, m: ApplyRecovery): void {
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
  saveConsensus(ctx, r.clientId, consensus);
  ctx.emit('clientRecovered', { client: r.clientId, height: String(consensus.height) });
}
