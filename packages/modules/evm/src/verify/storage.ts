import { moduleKey, type ProvenQueryResponse } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { type CertifiedHeader, objectParameter, VerificationError, verifyProvenQuery } from '@pujiang/verify';
import { storageKey } from '../chain/keys.js';
import { EVM_MODULE } from '../formats.js';
import { evmAddressArgument, type Hex, ox, slotArgument } from './arguments.js';

export interface VerifyStorageSlotParameters {
  /** The contract: 40 hex digits (0x optional, EIP-55 checked) or 20 bytes. */
  address: string | Uint8Array;
  /** The slot: its index (bigint or number) or a 32-byte word (hex or bytes). */
  slot: bigint | number | string | Uint8Array;
}

export interface VerifyStorageSlotReturnType {
  /** The contract, `0x` and lowercase hex. */
  readonly address: Hex;
  /** The slot as a 32-byte word. */
  readonly slot: Hex;
  /** The slot's value as a 32-byte word (zero for a slot never written), proven under the header's state root. */
  readonly value: Hex;
  readonly height: number;
}

/** The state key of a contract's storage slot (address and slot in the chain's form: lowercase hex, no 0x). */
export const storageStateKey = (address: string, slot: string): Uint8Array =>
  moduleKey(EVM_MODULE, storageKey(address, slot));

/** A stored value (big-endian without leading zeros; absent is zero) as a 32-byte word. */
export const storageWord = (stored: Uint8Array | undefined): string =>
  bytesToHex(stored ?? new Uint8Array(0)).padStart(64, '0');

/**
 * Checks a proven `evm/storage` answer (`queryProven('evm', 'storage', {address, slot})`,
 * what `getStorageProven` returns as `proof`) against a certified header of its height: the
 * slot's state key is among the reads proven under the header's state root, and the node's
 * answer is that value. Returns the proven 32-byte value. Every failure is a
 * `VerificationError` naming its check (`state-root`, `state-proof`, `missing-read`,
 * `result-mismatch`); malformed arguments are `SDK_INVALID_ARGUMENT`. Browser-safe.
 */
export function verifyStorageSlot(
  response: ProvenQueryResponse,
  header: CertifiedHeader,
  parameters: VerifyStorageSlotParameters,
): VerifyStorageSlotReturnType {
  objectParameter(parameters, 'parameters');
  const address = evmAddressArgument(parameters.address, 'address');
  const slot = slotArgument(parameters.slot, 'slot');
  const key = storageStateKey(address, slot);
  const { reads, result, height } = verifyProvenQuery(response, header, { requiredKeys: [key] });
  const value = storageWord(reads.get(bytesToHex(key)));
  const answered = (result as { value?: unknown } | null)?.value;
  if (answered !== value)
    throw new VerificationError('result-mismatch', "the node's answer is not the proven value", {
      address,
      slot,
      proven: value,
      answered: typeof answered === 'string' ? answered : String(answered),
    });
  return { address: ox(address), slot: ox(slot), value: ox(value), height };
}
