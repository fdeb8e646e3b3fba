import {
  type ChainClient,
  hashArgument,
  heightArgument,
  invalidArgument,
  objectArgument,
  type QueryProvenOptions,
  type RequestOptions,
  sdkError,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import type { ProvenQueryResponse } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { EVM_MODULE } from '../formats.js';
import { evmAddressArgument, type Hex, ox, slotArgument } from '../verify/arguments.js';
import { storageStateKey, storageWord } from '../verify/storage.js';

/** Which slot, and at which header. */
interface SlotLocation {
  /** The contract: 40 hex digits (0x optional, EIP-55 checked) or 20 bytes. */
  address: string | Uint8Array;
  /** The slot: its index (bigint or number) or a 32-byte word (hex or bytes). */
  slot: bigint | number | string | Uint8Array;
  /** Read the state committed by this header (default: the latest, or the latest certified). */
  height?: number;
  /** A transaction's hash: first wait until the state after it is provable (`queryProven`'s `provenAfter`). */
  provenAfter?: string;
}

export type GetStorageProvenParameters = RequestOptions & SlotLocation;

export interface GetStorageProvenReturnType {
  readonly address: Hex;
  readonly slot: Hex;
  /** The node's answer, a 32-byte word: not checked here (`verifyStorageSlot` checks `proof`). */
  readonly value: Hex;
  /** The header whose state root the proof is under. */
  readonly height: number;
  /** The proven `evm/storage` query: check it with `verifyStorageSlot(proof, certifiedHeader, {address, slot})`. */
  readonly proof: ProvenQueryResponse;
}

function slotParameters(p: { address: unknown; slot: unknown; height?: unknown }) {
  const address = evmAddressArgument(p.address, 'address');
  const slot = slotArgument(p.slot, 'slot');
  const height = p.height === undefined ? undefined : heightArgument(p.height, 'height');
  return { address, slot, height };
}

/**
 * A contract's storage slot with its proof (the proven query `evm/storage`): the value and
 * the reads that prove it under the state root of header `height`. The node is trusted for
 * nothing once `verifyStorageSlot` has checked `proof` against a certified header.
 */
export async function getStorageProven(
  client: ChainClient,
  parameters: GetStorageProvenParameters,
): Promise<GetStorageProvenReturnType> {
  const {
    address: _a,
    slot: _s,
    height: _h,
    provenAfter,
    ...request
  } = objectArgument(parameters, 'parameters');
  const { address, slot, height } = slotParameters(parameters);
  const options: QueryProvenOptions = {
    ...request,
    ...(height === undefined ? {} : { height }),
    ...(provenAfter === undefined ? {} : { provenAfter: hashArgument(provenAfter, 'provenAfter') }),
  };
  const proof = await client.queryProven(EVM_MODULE, 'storage', { address, slot }, options);
  const value = (proof.result as { value?: unknown } | null)?.value;
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value))
    throw sdkError('SDK_BAD_RESPONSE', 'evm/storage: the answer is not a 32-byte word', {
      field: 'result.value',
    });
  return { address: ox(address), slot: ox(slot), value: ox(value), height: proof.height, proof };
}

export type GetStorageVerifiedParameters = RequestOptions & SlotLocation;

/** The slot's value, a 32-byte word proven under a header the querier certified. */
export type GetStorageVerifiedReturnType = Omit<GetStorageProvenReturnType, 'proof'>;

/**
 * A contract's storage slot through a client that trusts the node for nothing (the SDK's
 * `LightClient`): the read is proven under a header it certified from its pinned genesis.
 */
export async function getStorageVerified(
  querier: VerifiedQuerier,
  parameters: GetStorageVerifiedParameters,
): Promise<GetStorageVerifiedReturnType> {
  if (typeof objectArgument(querier, 'querier').verifiedQuery !== 'function')
    throw invalidArgument('querier must be a verified querier (LightClient)', 'querier');
  const {
    address: _a,
    slot: _s,
    height: _h,
    provenAfter,
    ...request
  } = objectArgument(parameters, 'parameters');
  const { address, slot, height } = slotParameters(parameters);
  const key = storageStateKey(address, slot);
  const proven = await querier.verifiedQuery(EVM_MODULE, 'storage', { address, slot }, [key], {
    ...request,
    ...(height === undefined ? {} : { height }),
    ...(provenAfter === undefined ? {} : { provenAfter: hashArgument(provenAfter, 'provenAfter') }),
  });
  return {
    address: ox(address),
    slot: ox(slot),
    value: ox(storageWord(proven.reads.get(bytesToHex(key)))),
    height: proven.height,
  };
}
