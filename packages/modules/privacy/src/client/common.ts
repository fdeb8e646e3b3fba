import type { Codec } from '@pujiang/codec';
import { deriveAddress, type KeyPair } from '@pujiang/crypto';
import {
  type ChainClient,
  encodePayload,
  type SendTransactionParameters,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { PRIVACY_MODULE } from '../formats.js';

/** What every privacy call that sends a transaction takes besides its own fields. */
export type PrivacySendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

/** The chain's id and the key's address on it (proofs are bound to both). */
export async function signerOf(
  client: ChainClient,
  key: KeyPair,
): Promise<{ readonly chainId: string; readonly address: string }> {
  const status = await client.getStatus();
  return { chainId: status.chainId, address: bytesToHex(deriveAddress(status.chainHash, key.publicKey)) };
}

/** Sends one privacy message; `gas` is what it needs when the caller does not say. */
export function sendPrivacy<T>(
  client: ChainClient,
  p: PrivacySendParameters,
  type: string,
  codec: Codec<T>,
  value: T,
  gas: number,
): Promise<SendTransactionReturnType> {
  const payload = encodePayload(codec, value);
  return client.sendTransaction({
    ...p,
    gasLimit: p.gasLimit ?? BigInt(gas),
    module: PRIVACY_MODULE,
    type,
    payload,
  });
}
