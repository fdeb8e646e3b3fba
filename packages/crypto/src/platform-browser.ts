import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@pujiang/types';

// The package's `#platform` import under the `browser` condition: Web Crypto and plain JS only.

/** At most this many bytes per `getRandomValues` call (Web Crypto's quota). */
const RANDOM_CHUNK = 65536;

/** `length` bytes from the system's CSPRNG (`crypto.getRandomValues`). */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += RANDOM_CHUNK)
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + RANDOM_CHUNK)));
  return out;
}

/** A string naming a byte string, for use as a Map key. */
export function bytesKey(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** The compressed secp256k1 key that signed a 32-byte digest with (r || s, y parity), or null (plain JS here). */
export function recoverSecp256k1(
  digest: Uint8Array,
  signature: Uint8Array,
  yParity: 0 | 1,
): Uint8Array | null {
  const recovered = new Uint8Array(65);
  recovered[0] = yParity;
  recovered.set(signature, 1);
  try {
    return secp256k1.recoverPublicKey(recovered, digest, { prehash: false });
  } catch {
    return null;
  }
}
