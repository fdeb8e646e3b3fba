import type { ModuleContext } from '@pujiang/module-kit';
import { moduleKey, stateProofFromJson } from '@pujiang/protocol';
import { verifyStateProof } from '@pujiang/state';
import { equalBytes, hexToBytes } from '@pujiang/types';
import { xchainError } from '../errors.js';
import type { ClientState, ConsensusState } from '../light-client.js';
import { XCHAIN_MODULE } from '../names.js';
import { checkNotFrozenByGovernance } from '../sectors.js';
import { loadClient, loadConsensus } from './store.js';

/** A state read as the API writes it: key and value in hex (value null: absent), and its proof. */
export function parseRead(bytes: Uint8Array): {
  key: Uint8Array;
  value: Uint8Array | undefined;
  proof: unknown;
} {
  try {
    const read = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as {
      key: string;
      value: string | null;
      proof: unknown;
    };
    return {
      key: hexToBytes(read.key),
      value: read.value === null ? undefined : hexToBytes(read.value),
      proof: read.proof,
    };
  } catch {
    throw xchainError('XCHAIN_BAD_PROOF', 'the read is not a state read (key, value, proof)');
  }
}

/** Whether `value` (undefined: absent) at `key` is proven under `root`; a refusal is XCHAIN_BAD_PROOF. */
export function checkProof(
  client: ClientState,
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | undefined,
  proof: unknown,
  height: bigint | number,
): void {
  let verdict: { valid: boolean; reason?: string };
  try {
    verdict = verifyStateProof(client.chainHash, root, key, value, stateProofFromJson(proof));
  } catch {
    throw xchainError('XCHAIN_BAD_PROOF', 'the proof is malformed');
  }
  if (!verdict.valid)
    throw xchainError('XCHAIN_BAD_PROOF', `the read is not proven under the header: ${verdict.reason}`, {
      height: String(height),
    });
}

/** A client that is neither frozen nor expired (frozen and expired clients refuse every packet and handshake step), and its latest header. */
export function usableClient(
  ctx: ModuleContext,
  clientId: string,
): { client: ClientState; latest: ConsensusState; generation: number } {
  const { state: client, generation } = loadClient(ctx, clientId);
  checkNotFrozenByGovernance((key) => ctx.get(key), clientId);
  if (client.frozenHeight > 0)
    throw xchainError('XCHAIN_CLIENT_FROZEN', undefined, {
      client: clientId,
      frozenHeight: client.frozenHeight,
    });
  const latest = loadConsensus(ctx, clientId, client.latestHeight, generation)!;
  if (ctx.time - latest.time > client.trustingPeriodMs)
    throw xchainError('XCHAIN_CLIENT_EXPIRED', undefined, { client: clientId, latestHeight: latest.height });
  return { client, latest, generation };
}

/** The counterparty as this chain's client of it sees it: a usable client and the header it accepted at `proofHeight`. */
export function counterpartyAt(
  ctx: ModuleContext,
  clientId: string,
  proofHeight: bigint,
): { client: ClientState; consensus: ConsensusState } {
  const { client, generation } = usableClient(ctx, clientId);
  const consensus = loadConsensus(ctx, clientId, Number(proofHeight), generation);
  if (!consensus)
    throw xchainError('XCHAIN_HEADER_OLD', 'the client holds no header of that height', {
      client: clientId,
      height: String(proofHeight),
    });
  return { client, consensus };
}

/**
 * Checks a relayer's read of the counterparty's xchain record `key` under the header at
 * `proofHeight`: its value must be `expected` exactly (undefined: proven absent). The
 * expected value is built here, so a relayer can neither pick the key nor the value.
 */
export function verifyCounterparty(
  ctx: ModuleContext,
  clientId: string,
  proofHeight: bigint,
  read: Uint8Array,
  key: string,
  expected: Uint8Array | undefined,
): void {
  const { client, consensus } = counterpartyAt(ctx, clientId, proofHeight);
  const { value, proof } = parseRead(read);
  if (expected === undefined ? value !== undefined : value === undefined || !equalBytes(value, expected))
    throw xchainError('XCHAIN_BAD_PROOF', `the counterparty's ${key} is not what this step needs`, {
      key,
      height: String(proofHeight),
    });
  checkProof(client, consensus.stateRoot, moduleKey(XCHAIN_MODULE, key), value, proof, proofHeight);
}

/** The counterparty's value at its xchain `key` as proven under `proofHeight` (undefined: proven absent). */
export function provenCounterpartyValue(
  ctx: ModuleContext,
  clientId: string,
  proofHeight: bigint,
  read: Uint8Array,
  key: string,
): { value: Uint8Array | undefined; consensus: ConsensusState; client: ClientState } {
  const { client, consensus } = counterpartyAt(ctx, clientId, proofHeight);
  const { value, proof } = parseRead(read);
  checkProof(client, consensus.stateRoot, moduleKey(XCHAIN_MODULE, key), value, proof, proofHeight);
  return { value, consensus, client };
}
