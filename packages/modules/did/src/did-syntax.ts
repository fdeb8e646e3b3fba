import { invalidArgument } from '@pujiang/types';
import { base58 } from '@scure/base';

/** The method name, and the fixed width of the unique id (base58btc of 16 bytes, `1`-padded). */
export const DID_METHOD = 'pujiang';
export const UNIQUE_ID_LENGTH = 22;
const NAMESPACE = /^[A-Za-z0-9._-]{1,64}$/;
const UNIQUE_ID = /^[1-9A-HJ-NP-Za-km-z]{22}$/;
/** Any DID (W3C DID 1.0 syntax), for controllers and other methods. */
const ANY_DID =
  /^did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*[A-Za-z0-9._-]$/;
/** Fragments of verification methods and services. */
export const FRAGMENT = /^[A-Za-z0-9._-]{1,64}$/;

export interface PujiangDid {
  readonly did: string;
  /** The chain id. */
  readonly namespace: string;
  readonly uniqueId: string;
}

/** Whether `value` is a DID of any method (W3C DID 1.0 syntax, at most 256 characters). */
export function isDid(value: string): boolean {
  return value.length <= 256 && ANY_DID.test(value);
}

/** The method of a DID (`key`, `web`, `pujiang`), or undefined for a string that is not a DID. */
export function didMethodOf(value: string): string | undefined {
  return isDid(value) ? value.split(':')[1] : undefined;
}

/** Parses a `did:pujiang` DID; undefined when it is not one (any other method, or malformed). */
export function parsePujiangDid(value: string): PujiangDid | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split(':');
  if (parts.length !== 4 || parts[0] !== 'did' || parts[1] !== DID_METHOD) return undefined;
  const [, , namespace, uniqueId] = parts as [string, string, string, string];
  if (!NAMESPACE.test(namespace) || !UNIQUE_ID.test(uniqueId)) return undefined;
  return { did: value, namespace, uniqueId };
}

/** The unique id a creating transaction's hash gives: base58btc of its first 16 bytes, `1`-padded to 22. */
export function uniqueIdOf(txHash: Uint8Array): string {
  return base58.encode(txHash.subarray(0, 16)).padStart(UNIQUE_ID_LENGTH, '1');
}

/** The DID a `did/create` transaction with this hash creates on chain `chainId`. */
export function didOf(chainId: string, txHash: Uint8Array): string {
  if (typeof chainId !== 'string' || !NAMESPACE.test(chainId))
    throw invalidArgument('chainId must be a chain id', 'chainId');
  if (!(txHash instanceof Uint8Array) || txHash.length !== 32)
    throw invalidArgument('txHash must be 32 bytes', 'txHash');
  return `did:${DID_METHOD}:${chainId}:${uniqueIdOf(txHash)}`;
}

/** A DID URL split into its DID and fragment (`did:...#key-1`). */
export function splitDidUrl(url: string): { did: string; fragment: string | undefined } {
  const hash = url.indexOf('#');
  return hash < 0
    ? { did: url, fragment: undefined }
    : { did: url.slice(0, hash), fragment: url.slice(hash + 1) };
}
