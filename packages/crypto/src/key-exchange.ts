import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from 'node:crypto';
import { CryptoError } from './errors.js';

/** An ephemeral X25519 key pair (RFC 7748) for one key exchange; the secret never leaves memory. */
export interface EphemeralKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const fromB64url = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

export function generateEphemeralKeyPair(): EphemeralKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return { publicKey: fromB64url(publicKey.export({ format: 'jwk' }).x!), secretKey: fromB64url(jwk.d!) };
}

/**
 * The X25519 shared secret of our ephemeral secret and the peer's public key. A peer key of
 * small order gives an all-zero secret (RFC 7748 section 6.1): refused, so a peer cannot
 * force a known session key.
 */
export function x25519SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  if (secretKey.length !== 32 || peerPublicKey.length !== 32)
    throw new CryptoError('CRYPTO_INVALID_PUBLIC_KEY', 'X25519 keys are 32 bytes', {
      length: peerPublicKey.length,
    });
  let shared: Buffer;
  try {
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'X25519', d: b64url(secretKey), x: b64url(new Uint8Array(32)) },
      format: 'jwk',
    });
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: b64url(peerPublicKey) },
      format: 'jwk',
    });
    shared = diffieHellman({ privateKey, publicKey });
  } catch (cause) {
    throw new CryptoError('CRYPTO_INVALID_PUBLIC_KEY', 'X25519 key agreement failed', {
      cause: String(cause),
    });
  }
  if (shared.every((b) => b === 0))
    throw new CryptoError('CRYPTO_INVALID_PUBLIC_KEY', 'the peer X25519 key has small order', {});
  return new Uint8Array(shared);
}

/** HKDF-SHA256 (RFC 5869). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}

/** The X25519 public key of a secret key (32 bytes each). */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32)
    throw new CryptoError('CRYPTO_INVALID_SECRET_KEY', 'an X25519 secret key is 32 bytes', {});
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: b64url(secretKey), x: b64url(new Uint8Array(32)) },
    format: 'jwk',
  });
  return fromB64url(createPublicKey(privateKey).export({ format: 'jwk' }).x!);
}
