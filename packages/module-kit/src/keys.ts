import {
  keyPairFromSecretKey as cryptoKeyPairFromSecretKey,
  deriveAddress as deriveCryptoAddress,
  generateKeyPair as generateCryptoKeyPair,
  getSuite,
  type HashAlgorithm,
  isSuiteId,
  type KeyPair,
  type PublicKey,
  type SecretKey,
  type SuiteId,
} from '@pujiang/crypto';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { chainHashArgument } from './arguments.js';
import { sdkError } from './client-errors.js';

export type { KeyPair, PublicKey, SecretKey, SuiteId } from '@pujiang/crypto';
export { SUITE_IDS } from '@pujiang/crypto';
export type { KeyFile, KeyFileErrorCode } from './key-file.js';
export { formatKeyFile, parseKeyFile } from './key-file.js';

function suiteOf(suite: unknown): SuiteId {
  if (typeof suite !== 'string' || !isSuiteId(suite))
    throw sdkError('SDK_INVALID_ARGUMENT', `unknown suite ${String(suite)}`, {
      parameter: 'suite',
      suite: String(suite),
    });
  return suite;
}

/** Hex (with or without 0x, surrounding space ignored) as bytes; anything else names `parameter`. */
function hexArgument(value: unknown, parameter: string): Uint8Array {
  const body = typeof value === 'string' ? value.trim().replace(/^0x/i, '') : undefined;
  if (body === undefined || !/^([0-9a-fA-F]{2})*$/.test(body))
    throw sdkError('SDK_INVALID_ARGUMENT', `${parameter} must be a hex string`, { parameter });
  return hexToBytes(body);
}

/**
 * An account's address as the API writes it (42 lowercase hex digits). It depends on the
 * chain's hash, so the same key has different addresses on SM3 and SHA-256 chains.
 */
export function addressOf(chainHash: HashAlgorithm, key: PublicKey | KeyPair): string {
  return bytesToHex(deriveCryptoAddress(chainHashArgument(chainHash), publicKeyArgument(key)));
}

/** An address's 21 bytes (`addressOf` gives its hex): the chain's hash of the suite code and key. */
export function deriveAddress(chainHash: HashAlgorithm, publicKey: PublicKey): Uint8Array {
  return deriveCryptoAddress(chainHashArgument(chainHash), publicKeyArgument(publicKey, 'publicKey'));
}

/** The key pair of a secret key (its public key derived). */
export function keyPairFromSecretKey(secretKey: SecretKey): KeyPair {
  const k = secretKey as Partial<SecretKey> | null;
  if (typeof k !== 'object' || k === null || !isSuiteId(k.suite) || !(k.bytes instanceof Uint8Array))
    throw sdkError('SDK_INVALID_ARGUMENT', 'secretKey must be {suite, bytes}', { parameter: 'secretKey' });
  try {
    return cryptoKeyPairFromSecretKey(secretKey);
  } catch (cause) {
    throw sdkError(
      'SDK_INVALID_ARGUMENT',
      `secretKey is not a ${k.suite} secret key`,
      { parameter: 'secretKey' },
      cause,
    );
  }
}

/** A new key pair of a suite (`SUITE_IDS`). */
export function generateKeyPair(suite: SuiteId): KeyPair {
  return generateCryptoKeyPair(suiteOf(suite));
}

/** The public key of a key pair, or a public key itself. */
function publicKeyArgument(key: unknown, parameter = 'key'): PublicKey {
  const k = key as { publicKey?: unknown; suite?: unknown; bytes?: unknown } | null | undefined;
  const candidate = (
    k && typeof k === 'object' && 'publicKey' in k ? k.publicKey : k
  ) as Partial<PublicKey> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    !isSuiteId(candidate.suite) ||
    !(candidate.bytes instanceof Uint8Array)
  )
    throw sdkError('SDK_INVALID_ARGUMENT', `${parameter} must be a key pair or a public key`, { parameter });
  return { suite: candidate.suite, bytes: candidate.bytes };
}

/** A key pair from a secret key in hex (as `pujiang crypto keygen` prints it). */
export function keyPairFromHex(suite: SuiteId | string, secretKeyHex: string): KeyPair {
  const id = suiteOf(suite);
  const bytes = hexArgument(secretKeyHex, 'secretKey');
  if (bytes.length !== getSuite(id).secretKeyLength) {
    throw sdkError('SDK_INVALID_ARGUMENT', `a ${id} secret key is ${getSuite(id).secretKeyLength} bytes`, {
      parameter: 'secretKey',
      suite: id,
      length: bytes.length,
    });
  }
  return keyPairFromSecretKey({ suite: id, bytes });
}

/** A public key from hex, checked for its suite's length. */
export function publicKeyFromHex(suite: SuiteId | string, publicKeyHex: string): PublicKey {
  const id = suiteOf(suite);
  const bytes = hexArgument(publicKeyHex, 'publicKey');
  if (bytes.length !== getSuite(id).publicKeyLength) {
    throw sdkError('SDK_INVALID_ARGUMENT', `a ${id} public key is ${getSuite(id).publicKeyLength} bytes`, {
      parameter: 'publicKey',
      suite: id,
      length: bytes.length,
    });
  }
  return { suite: id, bytes };
}

/** The secret key as hex, for storing it the way `keyPairFromHex` reads it. */
export function secretKeyToHex(key: KeyPair): string {
  if (!(key?.secretKey?.bytes instanceof Uint8Array))
    throw sdkError('SDK_INVALID_ARGUMENT', 'key must be a key pair', { parameter: 'key' });
  return bytesToHex(key.secretKey.bytes);
}
