import { decode, encode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { xchainError } from '../errors.js';
import { ProvenRecord, type ProveState, provenKey } from '../formats.js';
import { checkProof, counterpartyAt, parseRead } from './proofs.js';

/**
 * Cross-chain verification: a key of the followed chain, its value (or its absence) proven
 * under the state root of a header the client accepted, is recorded on this chain
 * (`proven/<client>/<key>`) with the followed chain's height. A document notarized there is
 * then a fact here, as is a DID record or a status list bit.
 */
export function proveState(ctx: MessageContext, m: ProveState): void {
  // A usable client (not frozen, expired, or frozen by governance) and a header of this generation.
  const { client, consensus } = counterpartyAt(ctx, m.clientId, m.height);
  const { key, value, proof } = parseRead(m.read);
  checkProof(client, consensus.stateRoot, key, value, proof, m.height);
  const keyHex = bytesToHex(key);
  // A read never goes back in time: a later one stands (a status list after a revocation).
  const held = ctx.get(provenKey(m.clientId, keyHex));
  if (held && decode(ProvenRecord, held).height >= m.height)
    throw xchainError(
      'XCHAIN_HEADER_OLD',
      'a read of that key under a later (or the same) header is recorded',
      {
        height: String(m.height),
        recorded: String(decode(ProvenRecord, held).height),
      },
    );
  ctx.set(
    provenKey(m.clientId, keyHex),
    encode(ProvenRecord, { height: m.height, ...(value ? { value } : {}) }),
  );
  ctx.emit('stateProven', { client: m.clientId, height: String(m.height), key: keyHex });
}
