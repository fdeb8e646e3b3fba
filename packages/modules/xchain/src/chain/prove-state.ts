import { encode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { stateProofFromJson } from '@pujiang/protocol';
import { verifyStateProof } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { xchainError } from '../errors.js';
import { ProvenRecord, type ProveState, provenKey } from '../formats.js';
import type { ClientState, ConsensusState } from '../light-client.js';

/** A state read as the API writes it: key and value in hex (value null: absent), and its proof. */
function parseRead(bytes: Uint8Array): { key: Uint8Array; value: Uint8Array | undefined; proof: unknown } {
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
  let verdict: { valid: boolean; reason?: string };
  try {
    verdict = verifyStateProof(client.chainHash, consensus.stateRoot, key, value, stateProofFromJson(proof));
  } catch {
    throw xchainError('XCHAIN_BAD_PROOF', 'the proof is malformed');
  }
  if (!verdict.valid)
    throw xchainError('XCHAIN_BAD_PROOF', `the read is not proven under the header: ${verdict.reason}`, {
      height: String(m.height),
    });
  const keyHex = bytesToHex(key);
  ctx.set(
    provenKey(m.clientId, keyHex),
    encode(ProvenRecord, { height: m.height, ...(value ? { value } : {}) }),
  );
  ctx.emit('stateProven', { client: m.clientId, height: String(m.height), key: keyHex });
}
