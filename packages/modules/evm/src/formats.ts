import { bytes, type Infer, struct } from '@pujiang/codec';
import { ethereumAddress, type HashAlgorithm, keccak256, type PublicKey } from '@pujiang/crypto';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@pujiang/types';

export const EVM_MODULE = 'evm';

/**
 * A contract call or deployment by a native account (any suite), as a Pujiang transaction's
 * payload: the first byte 0x00, then this struct. (An Ethereum transaction's payload is its
 * raw bytes, whose first byte is 0x01, 0x02 or at least 0xc0.) `to` empty: a deployment of
 * `data` as init code. `value` is a big-endian integer without leading zeros.
 */
export const EvmCall = struct('EvmCall', {
  to: bytes({ max: 20 }),
  value: bytes({ max: 32 }),
  data: bytes({ max: 60 * 1024 }),
});
export type EvmCall = Infer<typeof EvmCall>;

/** The first byte of a native call's payload. */
export const NATIVE_CALL_TAG = 0x00;

const NATIVE_DOMAIN = utf8ToBytes('pujiang/evm-address/v1\0');

/**
 * The 20-byte EVM address of a chain account. A secp256k1 key has its Ethereum address
 * (Keccak-256 of the uncompressed point, last 20 bytes), so a member's key is the same
 * account in MetaMask, ethers and native transactions. Any other suite (SM2, Ed25519,
 * ML-DSA, hybrids) has the last 20 bytes of Keccak-256("pujiang/evm-address/v1\0" ||
 * its chain address): a domain of its own, so it cannot collide with an Ethereum key's.
 */
export function evmAddressOf(key: PublicKey, chainAddress: string): string {
  if (key.suite === 'secp256k1') return bytesToHex(ethereumAddress(key.bytes));
  return bytesToHex(keccak256(concatBytes(NATIVE_DOMAIN, hexToBytes(chainAddress))).subarray(12));
}

/** The chain address of a key under a chain's hash (for tools that know only the key). */
export type ChainAddressOf = (key: PublicKey, chainHash: HashAlgorithm) => string;

/** Lowercase 0x-prefixed hex, as Ethereum tools print addresses and hashes. */
export const ox = (hex: string): `0x${string}` => `0x${hex}`;
