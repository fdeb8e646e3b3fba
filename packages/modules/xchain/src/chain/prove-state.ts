import { encode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { xchainError } from '../errors.js';
import { ProvenRecord, type ProveState, provenKey } from '../formats.js';
import type { ClientState, ConsensusState } from '../light-client.js';
import { checkProof, parseRead } from './proofs.js';

/**
 * Cross-chain verification: a key of the followed chain, its value (or its absence) proven
 * under the state root of a header the client accepted, is recorded on this chain
 * (`proven/<client>/<key>`) with the followed chain's height. A document notarized there is
 * then a fact here, as is a DID record or a status list bit.
 */
export function proveState(
  ctx: MessageContext,
  m: ProveState,
  client: ClientState,
  consensus: ConsensusState | undefined,
): void {
  if (client.frozenHeight > 0)
    throw xchainError('XCHAIN_CLIENT_FROZEN', undefined, { frozenHeight: client.frozenHeight });
  if (!consensus)
    throw xchainError('XCHAIN_HEADER_OLD', 'the client holds no header of that height', {
      height: String(m.height),
    });
  const { key, value, proof } = parseRead(m.read);
  checkProof(client, consensus.stateRoot, key, value, proof, m.height);
  const keyHex = bytesToHex(key);
  ctx.set(
    provenKey(m.clientId, keyHex),
    encode(ProvenRecord, { height: m.height, ...(value ? { value } : {}) }),
  );
  ctx.emit('stateProven', { client: m.clientId, height: String(m.height), key: keyHex });
}
