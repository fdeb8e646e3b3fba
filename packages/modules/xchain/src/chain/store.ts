import { decode, encode } from '@pujiang/codec';
import type { ModuleContext } from '@pujiang/module-kit';
import { decodeCertificate, type StateReadJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import { xchainError } from '../errors.js';
import {
  CLIENT_ID,
  ClientRecord,
  ConsensusRecord,
  clientKey,
  consensusKey,
  fromValidators,
  type Submission,
  toValidators,
} from '../formats.js';
import {
  type ClientState,
  type ConsensusState,
  type HeaderSubmission,
  MAX_VALIDATOR_POWER,
} from '../light-client.js';

/** What a relayer sent, as the light client takes it; a certificate or proof that does not parse is refused. */
export function submissionOf(s: Submission): HeaderSubmission {
  let certificate: HeaderSubmission['certificate'];
  try {
    certificate = decodeCertificate(s.certificate);
  } catch (error) {
    throw xchainError('XCHAIN_BAD_CERTIFICATE', 'the certificate does not decode', {
      cause: isPujiangError(error) ? error.code : String(error),
    });
  }
  if (s.nextValidatorsRead.length === 0)
    throw xchainError(
      'XCHAIN_BAD_PROOF',
      "a header comes with governance's validator-set record read under it",
    );
  // Bounded before they become numbers (certify checks them again as numbers).
  if (s.validators.some((v) => v.power < 1n || v.power > BigInt(MAX_VALIDATOR_POWER)))
    throw xchainError('XCHAIN_BAD_CERTIFICATE', 'a validator power is 1 to 2^40');
  let read: StateReadJson;
  try {
    read = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(s.nextValidatorsRead),
    ) as StateReadJson;
  } catch {
    throw xchainError('XCHAIN_BAD_PROOF', 'the validator-set read is not JSON');
  }
  return {
    header: s.header,
    certificate,
    validators: toValidators(s.validators),
    nextValidatorsRead: read,
  };
}

export function loadClient(
  ctx: Pick<ModuleContext, 'get'>,
  id: string,
): { state: ClientState; generation: number } {
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

export function saveClient(ctx: ModuleContext, id: string, s: ClientState, generation: number): void {
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

/**
 * What the client holds of the header at `height`, in its current `generation`: a recovery
 * starts a new one, so no header trusted before it (the forged one that froze the client,
 * say) proves anything after it.
 */
export function loadConsensus(
  ctx: Pick<ModuleContext, 'get'>,
  id: string,
  height: number,
  generation: number,
): ConsensusState | undefined {
  const bytes = ctx.get(consensusKey(id, height));
  if (!bytes) return undefined;
  const r = decode(ConsensusRecord, bytes);
  if (r.generation !== generation) return undefined;
  return {
    height,
    hash: bytesToHex(r.hash),
    time: r.time,
    stateRoot: r.stateRoot,
    validators: toValidators(r.validators),
    ...(r.nextValidators ? { nextValidators: toValidators(r.nextValidators) } : {}),
  };
}

export function saveConsensus(ctx: ModuleContext, id: string, c: ConsensusState, generation: number): void {
  ctx.set(
    consensusKey(id, c.height),
    encode(ConsensusRecord, {
      generation,
      hash: hexToBytes(c.hash),
      time: c.time,
      stateRoot: c.stateRoot,
      validators: fromValidators(c.validators),
      ...(c.nextValidators ? { nextValidators: fromValidators(c.nextValidators) } : {}),
    }),
  );
}

export function checkId(id: string): void {
  if (!CLIENT_ID.test(id)) throw xchainError('XCHAIN_BAD_CLIENT_ID', undefined, { client: id });
}
