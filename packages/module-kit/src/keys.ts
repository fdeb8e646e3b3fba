import {
  deriveAddress,
  getSuite,
  type HashAlgorithm,
  isSuiteId,
  type KeyPair,
  keyPairFromSecretKey,
  type PublicKey,
  type SuiteId,
} from '@pujiang/crypto';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { sdkError } from './client.js';

export type { KeyPair, PublicKey, SecretKey, SuiteId } from '@pujiang/crypto';
export { deriveAddress, generateKeyPair, keyPairFromSecretKey, SUITE_IDS } from '@pujiang/crypto';

function suiteOf(suite: string): SuiteId {
  if (!isSuiteId(suite)) throw sdkError('SDK_INVALID_ARGUMENT', `unknown suite ${suite}`, { suite });
  return suite;
}

/**
 * An account's address as the API writes it (42 lowercase hex digits). It depends on the
 * chain's hash, so the same key has different addresses on SM3 and SHA-256 chains.
 */
export function addressOf(chainHash: HashAlgorithm, key: PublicKey | KeyPair): string {
  return bytesToHex(deriveAddress(chainHash, 'publicKey' in key ? key.publicKey : key));
}

/** A key pair from a secret key in hex (as `pujiang crypto keygen` prints it). */
export function keyPairFromHex(suite: SuiteId | string, secretKeyHex: string): KeyPair {
  const id = suiteOf(suite);
  const bytes = hexToBytes(secretKeyHex.trim());
  if (bytes.length !== getSuite(id).secretKeyLength) {
    throw sdkError('SDK_INVALID_ARGUMENT', `a ${id} secret key is ${getSuite(id).secretKeyLength} bytes`, {
      suite: id,
      length: bytes.length,
    });
  }
  return keyPairFromSecretKey({ suite: id, bytes });
}

/** A public key from hex, checked for its suite's length. */
export function publicKeyFromHex(suite: SuiteId | string, publicKeyHex: string): PublicKey {
  const id = suiteOf(suite);
  const bytes = hexToBytes(publicKeyHex.trim());
  if (bytes.length !== getSuite(id).publicKeyLength) {
    throw sdkError('SDK_INVALID_ARGUMENT', `a ${id} public key is ${getSuite(id).publicKeyLength} bytes`, {
      suite: id,
      length: bytes.length,
    });
  }
  return { suite: id, bytes };
}

/** The secret key as hex, for storing it the way `keyPairFromHex` reads it. */
export function secretKeyToHex(key: KeyPair): string {
  return bytesToHex(key.secretKey.bytes);
}
