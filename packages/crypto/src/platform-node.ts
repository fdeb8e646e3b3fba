import { randomBytes as nodeRandomBytes } from 'node:crypto';

// What differs between Node and a browser besides the hash and Ed25519: this file is the
// package's `#platform` import under Node, platform-browser.ts under the `browser` condition.

/** `length` bytes from the system's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}

/** A string naming a byte string, for use as a Map key (one char per byte, no copy). */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
