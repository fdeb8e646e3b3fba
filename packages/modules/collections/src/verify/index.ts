// `@pujiang/module-collections/verify`: a private value checked against its on-chain hash (browser-safe).
import type { HashAlgorithm } from '@pujiang/crypto';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { COLLECTION_NAME, ENTRY_KEY, privateDataHash, SALT_BYTES } from '../formats.js';

/**
 * Whether `value` with `salt` is what the chain's record of (collection, key) commits to
 * (its `hash`, hex): after a purge, whoever kept the value and salt still proves it.
 */
export function verifyPrivateValue(p: {
  readonly chainHash: HashAlgorithm;
  readonly collection: string;
  readonly key: string;
  readonly value: Uint8Array;
  readonly salt: Uint8Array;
  readonly hash: string;
}): boolean {
  if (typeof p !== 'object' || p === null)
    throw invalidArgument('parameters must be an object', 'parameters');
  if (p.chainHash !== 'sm3' && p.chainHash !== 'sha256')
    throw invalidArgument('chainHash is sm3 or sha256', 'chainHash');
  if (typeof p.collection !== 'string' || !COLLECTION_NAME.test(p.collection))
    throw invalidArgument('collection is a collection name', 'collection');
  if (typeof p.key !== 'string' || !ENTRY_KEY.test(p.key))
    throw invalidArgument('key is an entry key', 'key');
  if (!(p.value instanceof Uint8Array)) throw invalidArgument('value is bytes', 'value');
  if (!(p.salt instanceof Uint8Array) || p.salt.length !== SALT_BYTES)
    throw invalidArgument('salt is 32 bytes', 'salt');
  if (typeof p.hash !== 'string' || !/^[0-9a-f]{64}$/.test(p.hash))
    throw invalidArgument('hash is 32 bytes of hex', 'hash');
  return bytesToHex(privateDataHash(p.chainHash, p.collection, p.key, p.salt, p.value)) === p.hash;
}
