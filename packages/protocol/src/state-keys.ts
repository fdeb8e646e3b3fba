import { concatBytes, utf8ToBytes } from '@pujiang/types';

/**
 * The state tree key of a module's key: the module name, a zero byte, the key. Every
 * module's keys live under its own prefix, so modules cannot touch each other's state,
 * and a client can name the exact key a proof must cover.
 */
export function moduleKey(module: string, key: string): Uint8Array {
  return concatBytes(utf8ToBytes(module), Uint8Array.of(0), utf8ToBytes(key));
}

/** The same state key as text (its UTF-8 encoding is `moduleKey`): cheaper to build and compare during execution. */
export function moduleKeyText(module: string, key: string): string {
  return `${module}\u0000${key}`;
}

/** Big-endian u64, the encoding of balances and nonces in state. */
export function encodeU64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

export function decodeU64(bytes: Uint8Array | undefined): bigint {
  return bytes === undefined || bytes.length !== 8
    ? 0n
    : new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}

/** The account module's sequence numbers: `auth` / `nonce/<address hex>`. */
export const AUTH_MODULE = 'auth';
export const nonceKey = (address: string): Uint8Array => moduleKey(AUTH_MODULE, `nonce/${address}`);
export const nonceKeyText = (address: string): string => moduleKeyText(AUTH_MODULE, `nonce/${address}`);

/** Module-relative key of a module parameter governance may set (`setModuleParam`). */
export const moduleParamKey = (name: string): string => `params/${name}`;
