import { decode } from '@pujiang/codec';
import { decodeEthereumTx } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { EvmCall, NATIVE_CALL_TAG } from '../formats.js';

/**
 * The resource of a call, for per-contract policies: `evm/call/<contract>` (40 hex digits).
 * Governance's policy on it, when set, decides who may call that contract; otherwise
 * `evm/call`'s does. Only the outermost call is checked: contracts calling contracts are not.
 * A payload that does not parse names none (the handler refuses it).
 */
export function evmResourceOf(type: string, payload: Uint8Array): string | undefined {
  if (type !== 'call') return undefined;
  try {
    const to =
      payload[0] === NATIVE_CALL_TAG ? decode(EvmCall, payload.subarray(1)).to : decodeEthereumTx(payload).to;
    return to !== undefined && to.length === 20 ? `evm/call/${bytesToHex(to)}` : undefined;
  } catch {
    return undefined;
  }
}
