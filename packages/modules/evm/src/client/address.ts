import {
  deriveAddress,
  HASH_ALGORITHMS,
  type HashAlgorithm,
  isSuiteId,
  type KeyPair,
  type PublicKey,
} from '@pujiang/crypto';
import { invalidArgument, parseAddress } from '@pujiang/module-kit';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import { evmAddressOf as evmAddressOfChainAccount } from '../formats.js';
import { type Hex, ox } from '../verify/arguments.js';

/**
 * The EVM address (`msg.sender`) of a chain account's key, `0x` and lowercase hex: a
 * secp256k1 key's Ethereum address; for any other suite (SM2, Ed25519, ML-DSA, hybrids)
 * the last 20 bytes of Keccak-256("pujiang/evm-address/v1\0" || chain address). `chain` is
 * the chain's hash (`sm3` or `sha256`, from `getStatus`), from which the chain address is
 * derived, or the account's chain address itself (42 hex digits).
 */
export function evmAddressOf(key: PublicKey | KeyPair, chain: HashAlgorithm | string): Hex {
  const publicKey = publicKeyArgument(key);
  let chainAddress: string;
  if (HASH_ALGORITHMS.includes(chain as HashAlgorithm)) {
    try {
      chainAddress = bytesToHex(deriveAddress(chain as HashAlgorithm, publicKey));
    } catch (error) {
      if (isPujiangError(error)) throw invalidArgument(`key: ${error.message}`, 'key');
      throw error;
    }
  } else if (typeof chain === 'string' && /^[0-9a-fA-F]{42}$/.test(chain))
    chainAddress = bytesToHex(parseAddress(chain, 'chain'));
  else throw invalidArgument("chain must be the chain's hash (sm3, sha256) or a chain address", 'chain');
  try {
    return ox(evmAddressOfChainAccount(publicKey, chainAddress));
  } catch (error) {
    if (isPujiangError(error)) throw invalidArgument(`key: ${error.message}`, 'key');
    throw error;
  }
}

/** A public key, or the public half of a key pair. */
export function publicKeyArgument(value: unknown, parameter = 'key'): PublicKey {
  const v = value as { publicKey?: unknown; suite?: unknown; bytes?: unknown } | null;
  const key = (typeof v === 'object' && v !== null && 'publicKey' in v ? v.publicKey : v) as {
    suite?: unknown;
    bytes?: unknown;
  } | null;
  if (typeof key !== 'object' || key === null || !isSuiteId(key.suite) || !(key.bytes instanceof Uint8Array))
    throw invalidArgument(`${parameter} must be a public key or a key pair`, parameter);
  return key as PublicKey;
}
