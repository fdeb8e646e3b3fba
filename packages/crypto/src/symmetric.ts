import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { ghash } from '@noble/ciphers/_polyval.js';
import { CryptoError } from './errors.js';

/** Authenticated encryption algorithms: SM4-GCM (RFC 8998 / GB/T 36624) and AES-256-GCM. */
export type AeadAlgorithm = 'sm4-gcm' | 'aes-256-gcm';
export const AEAD_ALGORITHMS: readonly AeadAlgorithm[] = ['sm4-gcm', 'aes-256-gcm'];

export const AEAD_NONCE_LENGTH = 12;
export const AEAD_TAG_LENGTH = 16;
const KEY_LENGTH: Record<AeadAlgorithm, number> = { 'sm4-gcm': 16, 'aes-256-gcm': 32 };
/** GCM's limit with a 96-bit nonce: 2^32 - 2 blocks. It also keeps Node's 128-bit CTR counter equal to GCM's inc32. */
const MAX_PLAINTEXT = (2 ** 32 - 2) * 16;

function checkBytes(values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(value instanceof Uint8Array)) {
      throw new CryptoError('CRYPTO_INVALID_INPUT', `${name} must be a Uint8Array`, {
        name,
        type: typeof value,
      });
    }
  }
}

function checkParameters(algorithm: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, length: number): void {
  if (KEY_LENGTH[algorithm] === undefined) {
    throw new CryptoError('CRYPTO_UNSUPPORTED_FORMAT', `unknown AEAD algorithm ${String(algorithm)}`, {
      algorithm,
    });
  }
  if (key.length !== KEY_LENGTH[algorithm]) {
    throw new CryptoError(
      'CRYPTO_INVALID_KEY_LENGTH',
      `${algorithm} key must be ${KEY_LENGTH[algorithm]} bytes`,
      {
        algorithm,
        length: key.length,
      },
    );
  }
  if (nonce.length !== AEAD_NONCE_LENGTH) {
    throw new CryptoError('CRYPTO_INVALID_NONCE', `${algorithm} nonce must be ${AEAD_NONCE_LENGTH} bytes`, {
      algorithm,
      length: nonce.length,
    });
  }
  if (length > MAX_PLAINTEXT) {
    throw new CryptoError('CRYPTO_MESSAGE_TOO_LONG', `${algorithm} message exceeds the GCM limit`, {
      length,
    });
  }
}

/** A keyed SM4 block encryptor (GB/T 32907) through node:crypto; reuse it for many blocks. */
export function createSm4BlockCipher(key: Uint8Array): { encryptBlock(block: Uint8Array): Uint8Array } {
  checkBytes({ key });
  if (key.length !== 16) {
    throw new CryptoError('CRYPTO_INVALID_KEY_LENGTH', 'SM4 key must be 16 bytes', { length: key.length });
  }
  const ecb = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  return {
    encryptBlock(block) {
      if (!(block instanceof Uint8Array) || block.length !== 16) {
        throw new CryptoError('CRYPTO_INVALID_INPUT', 'an SM4 block is 16 bytes', {});
      }
      return new Uint8Array(ecb.update(block));
    },
  };
}

/** One SM4 block, for the standard's examples. */
export function sm4EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return createSm4BlockCipher(key).encryptBlock(block);
}

export function sm4DecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const decipher = createDecipheriv('sm4-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(block), decipher.final()]));
}

/**
 * SM4-GCM (NIST SP 800-38D with SM4 as the block cipher, as RFC 8998 specifies). Node has
 * SM4 but no SM4-GCM, so we compose it: the keystream is Node's SM4-CTR starting at
 * inc32(J0), GHASH comes from @noble/ciphers, and the tag is E_K(J0) xor GHASH_H(A, C)
 * with H = E_K(0^128). The RFC 8998 test vector pins the composition.
 */
function sm4GcmParts(key: Uint8Array, nonce: Uint8Array) {
  const block = createSm4BlockCipher(key);
  const j0 = new Uint8Array(16);
  j0.set(nonce);
  j0[15] = 1;
  const h = block.encryptBlock(new Uint8Array(16));
  const tagMask = block.encryptBlock(j0);
  const counter = j0.slice();
  counter[15] = 2;
  return { h, tagMask, counter };
}

function sm4GcmTag(h: Uint8Array, tagMask: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const lengths = new Uint8Array(16);
  const view = new DataView(lengths.buffer);
  view.setBigUint64(0, BigInt(aad.length) * 8n);
  view.setBigUint64(8, BigInt(ciphertext.length) * 8n);
  const mac = ghash.create(h);
  mac.update(aad);
  mac.update(ciphertext);
  mac.update(lengths);
  const tag = mac.digest();
  for (let i = 0; i < 16; i++) tag[i]! ^= tagMask[i]!;
  return tag;
}

function sm4Ctr(key: Uint8Array, counter: Uint8Array, data: Uint8Array): Uint8Array {
  const ctr = createCipheriv('sm4-ctr', key, counter);
  return new Uint8Array(Buffer.concat([ctr.update(data), ctr.final()]));
}

/** Encrypts and authenticates; returns ciphertext || 16-byte tag. Never reuse a nonce with a key. */
export function aeadEncrypt(
  algorithm: AeadAlgorithm,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkBytes({ key, nonce, plaintext, aad });
  checkParameters(algorithm, key, nonce, plaintext.length);
  if (algorithm === 'aes-256-gcm') {
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: AEAD_TAG_LENGTH });
    cipher.setAAD(aad);
    return new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
  }
  const { h, tagMask, counter } = sm4GcmParts(key, nonce);
  const ciphertext = sm4Ctr(key, counter, plaintext);
  const tag = sm4GcmTag(h, tagMask, aad, ciphertext);
  const out = new Uint8Array(ciphertext.length + AEAD_TAG_LENGTH);
  out.set(ciphertext);
  out.set(tag, ciphertext.length);
  return out;
}

/** Checks the tag before releasing any plaintext; a wrong key, nonce, AAD or byte fails. */
export function aeadDecrypt(
  algorithm: AeadAlgorithm,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkBytes({ key, nonce, sealed, aad });
  checkParameters(algorithm, key, nonce, Math.max(0, sealed.length - AEAD_TAG_LENGTH));
  const failed = () =>
    new CryptoError('CRYPTO_DECRYPT_FAILED', `${algorithm}: authentication failed`, { algorithm });
  if (sealed.length < AEAD_TAG_LENGTH) throw failed();
  const ciphertext = sealed.subarray(0, sealed.length - AEAD_TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - AEAD_TAG_LENGTH);
  if (algorithm === 'aes-256-gcm') {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: AEAD_TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    try {
      return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    } catch {
      throw failed();
    }
  }
  const { h, tagMask, counter } = sm4GcmParts(key, nonce);
  if (!timingSafeEqual(sm4GcmTag(h, tagMask, aad, ciphertext), tag)) throw failed();
  return sm4Ctr(key, counter, ciphertext);
}
