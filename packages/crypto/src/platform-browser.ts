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
