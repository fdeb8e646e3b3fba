import type { PublicKey } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { evmAddressOf } from '../formats.js';

/** EVM addresses lately asked for, by suite, key and chain address. */
const addresses = new Map<string, string>();
const MAX_ADDRESSES = 4096;

/**
 * `evmAddressOf`, remembered: a secp256k1 key's address decompresses the point (a modular
 * square root) and hashes it, and execution and the transaction index ask it for every
 * transaction of the same few senders. The answer is a function of its arguments alone.
 */
export function senderEvmAddress(key: PublicKey, chainAddress: string): string {
  const id = `${key.suite}/${bytesToHex(key.bytes)}/${chainAddress}`;
  let address = addresses.get(id);
  if (address === undefined) {
    address = evmAddressOf(key, chainAddress);
    if (addresses.size >= MAX_ADDRESSES) addresses.delete(addresses.keys().next().value!);
    addresses.set(id, address);
  }
  return address;
}
