import { secp256k1 as curve } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { recoverSecp256k1 } from '#platform';
import { CryptoError } from './errors.js';

/**
 * What Ethereum-signed transactions need: Keccak-256 (Ethereum's, not SHA3-256), recovery of
 * a secp256k1 signer from a 32-byte digest, and the 20-byte address of a key. Pujiang's own
 * secp256k1 suite signs SHA-256 of a message; Ethereum signs a Keccak digest and carries a
 * recovery bit instead of the key, so these live beside the suite, not in it.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

const HALF_ORDER = curve.Point.CURVE().n >> 1n;

/**
 * The compressed public key (33 bytes) that signed `digest` with (r, s, yParity). Only
 * canonical signatures are accepted, as Ethereum has required since Homestead (EIP-2):
 * 1 <= r, s < n and s <= n/2, so a signature has one form and a transaction one hash.
 */
export function recoverEthereumSigner(digest: Uint8Array, r: bigint, s: bigint, yParity: number): Uint8Array {
  const n = curve.Point.CURVE().n;
  if (digest.length !== 32)
    throw new CryptoError('CRYPTO_INVALID_SIGNATURE', 'an Ethereum digest is 32 bytes');
  if (r < 1n || r >= n || s < 1n || s >= n)
    throw new CryptoError('CRYPTO_INVALID_SIGNATURE', 'signature r or s is outside [1, n-1]');
  if (s > HALF_ORDER)
    throw new CryptoError('CRYPTO_INVALID_SIGNATURE', 'signature s is not in the lower half');
  if (yParity !== 0 && yParity !== 1)
    throw new CryptoError('CRYPTO_INVALID_SIGNATURE', 'signature y parity is neither 0 nor 1');
  const signature = new Uint8Array(64);
  signature.set(toBytes32(r), 0);
  signature.set(toBytes32(s), 32);
  const key = recoverSecp256k1(digest, signature, yParity);
  if (key === null) throw new CryptoError('CRYPTO_INVALID_SIGNATURE', 'no key recovers from this signature');
  return key;
}

/** Signs a 32-byte digest the Ethereum way: r, s (low-S) and the recovery bit. */
export function signEthereumDigest(
  secretKey: Uint8Array,
  digest: Uint8Array,
): { r: bigint; s: bigint; yParity: number } {
  const sig = curve.sign(digest, secretKey, { prehash: false, lowS: true, format: 'recovered' });
  return { yParity: sig[0]!, r: fromBytes(sig.subarray(1, 33)), s: fromBytes(sig.subarray(33, 65)) };
}

/** The Ethereum address of a secp256k1 key (compressed or not): the last 20 bytes of Keccak-256 of the uncompressed point. */
export function ethereumAddress(publicKey: Uint8Array): Uint8Array {
  let point: ReturnType<typeof curve.Point.fromBytes>;
  try {
    point = curve.Point.fromBytes(publicKey);
  } catch {
    throw new CryptoError('CRYPTO_INVALID_PUBLIC_KEY', 'not a secp256k1 public key', { suite: 'secp256k1' });
  }
  return keccak_256(point.toBytes(false).subarray(1)).subarray(12);
}

function toBytes32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && v > 0n; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function fromBytes(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
