import { randomBytes as nodeRandomBytes } from 'node:crypto';
import * as tinySecp256k1 from 'tiny-secp256k1';

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

/**
 * The compressed secp256k1 key that signed a 32-byte digest with (r || s, y parity), or null.
 * libsecp256k1 compiled to WebAssembly (tiny-secp256k1): recovery sits on the path of every
 * Ethereum transaction, and it is several times faster here than in plain JS.
 */
export function recoverSecp256k1(
  digest: Uint8Array,
  signature: Uint8Array,
  yParity: 0 | 1,
): Uint8Array | null {
  try {
    return tinySecp256k1.recover(digest, signature, yParity, true);
  } catch {
    return null;
  }
}
