import { concatBytes, utf8ToBytes } from '@pujiang/types';
import { CryptoError } from './errors.js';
import { type HashAlgorithm, hash } from './hash.js';
import { getSuite } from './suites/registry.js';
import type { SignatureOptions, SuiteId } from './suites/suite.js';

/** Keys and signatures always carry the suite they belong to. */
export interface PublicKey {
  readonly suite: SuiteId;
  readonly bytes: Uint8Array;
}
export interface SecretKey {
  readonly suite: SuiteId;
  readonly bytes: Uint8Array;
}
export interface Signature {
  readonly suite: SuiteId;
  readonly bytes: Uint8Array;
}
export interface KeyPair {
  readonly suite: SuiteId;
  readonly publicKey: PublicKey;
  readonly secretKey: SecretKey;
}

export function generateKeyPair(suite: SuiteId): KeyPair {
  return keyPairFromSecretKey({ suite, bytes: getSuite(suite).generateSecretKey() });
}

export function keyPairFromSecretKey(secretKey: SecretKey): KeyPair {
  const suite = getSuite(secretKey.suite);
  const publicKey = suite.publicKeyFromSecretKey(secretKey.bytes);
  return { suite: suite.id, secretKey, publicKey: { suite: suite.id, bytes: publicKey } };
}

export function sign(secretKey: SecretKey, message: Uint8Array, options?: SignatureOptions): Signature {
  const suite = getSuite(secretKey.suite);
  return { suite: suite.id, bytes: suite.sign(secretKey.bytes, message, options) };
}

/**
 * True only if the signature is of the key's suite and verifies. A signature of one suite
 * presented for another is simply invalid.
 */
export function verify(
  publicKey: PublicKey,
  message: Uint8Array,
  signature: Signature,
  options?: SignatureOptions,
): boolean {
  const suite = getSuite(publicKey.suite);
  if (signature.suite !== publicKey.suite) return false;
  return suite.verify(publicKey.bytes, message, signature.bytes, options);
}

export const ADDRESS_LENGTH = 21;
const ADDRESS_DOMAIN = utf8ToBytes('pujiang/address/v1');

/**
 * An address is 21 bytes: the suite code, then the first 20 bytes of
 * H("pujiang/address/v1" || suite code || public key) under the chain's hash. The same key
 * has different addresses on SM3 and SHA-256 chains, and never collides across suites.
 */
export function deriveAddress(chainHash: HashAlgorithm, publicKey: PublicKey): Uint8Array {
  const suite = getSuite(publicKey.suite);
  if (publicKey.bytes.length !== suite.publicKeyLength) {
    throw new CryptoError(
      'CRYPTO_INVALID_PUBLIC_KEY',
      `${suite.id} public key must be ${suite.publicKeyLength} bytes`,
      {
        suite: suite.id,
      },
    );
  }
  const code = Uint8Array.of(suite.code);
  const digest = hash(chainHash, ADDRESS_DOMAIN, code, publicKey.bytes);
  return concatBytes(code, digest.subarray(0, 20));
}
