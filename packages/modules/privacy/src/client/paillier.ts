import { type ChainClient, type SendTransactionReturnType, sdkError } from '@pujiang/module-kit';
import { hexToBytes, invalidArgument } from '@pujiang/types';
import { generateRandomKeys } from 'paillier-bigint';
import {
  hexArgument,
  idArgument,
  intArgument,
  naturalArgument,
  recordArgument,
  textArgument,
} from '../arguments.js';
import { paillierOpenGas } from '../chain/gas.js';
import {
  bigintFromBytes,
  bigintToBytes,
  ciphertextLength,
  PAILLIER_MIN_BITS,
  parseModulus,
  privateKeyOf,
  publicKeyOf,
} from '../crypto/paillier.js';
import { PublishTotal, RegisterKey } from '../formats.js';

/** The chain's checks of a modulus, as the caller's argument error. */
const checkedModulus = (bytes: Uint8Array): Uint8Array => {
  try {
    parseModulus(bytes);
  } catch (error) {
    throw invalidArgument((error as Error).message, 'modulus');
  }
  return bytes;
};

const modulusArgument = (value: unknown): bigint => {
  if (typeof value === 'string')
    return BigInt(`0x${hexArgument(value.length % 2 ? `0${value}` : value, 'modulus')}`);
  if (typeof value === 'bigint' && value > 0n) return value;
  throw invalidArgument('modulus is a bigint or hex', 'modulus');
};

import { type PrivacySendParameters, sendPrivacy } from './common.js';

/**
 * Paillier keys from an application: generate (the primes stay with the owner, in a key
 * file), register the public modulus, encrypt values, and decrypt and publish a total with
 * the randomness that proves it.
 */
export const PAILLIER_KEY_FORMAT = 'pujiang-paillier-key/v1';

export interface PaillierKeyFile {
  readonly format: typeof PAILLIER_KEY_FORMAT;
  /** Hex. */
  readonly n: string;
  readonly p: string;
  readonly q: string;
}

export async function generatePaillierKey(bits = PAILLIER_MIN_BITS): Promise<PaillierKeyFile> {
  if (!Number.isSafeInteger(bits) || bits < PAILLIER_MIN_BITS || bits > 4096 || bits % 8 !== 0)
    throw sdkError('SDK_INVALID_ARGUMENT', 'a Paillier key has 2048 to 4096 bits, a multiple of 8', {
      parameter: 'bits',
    });
  for (;;) {
    const { publicKey, privateKey } = await generateRandomKeys(bits, true);
    // The library may return a modulus a bit short of `bits`; the chain wants the top bit set.
    if (publicKey.n.toString(2).length !== bits) continue;
    const primes = privateKey as unknown as { _p: bigint; _q: bigint };
    return {
      format: PAILLIER_KEY_FORMAT,
      n: publicKey.n.toString(16),
      p: primes._p.toString(16),
      q: primes._q.toString(16),
    };
  }
}

export function parsePaillierKeyFile(value: unknown): PaillierKeyFile {
  const v = value as Partial<PaillierKeyFile> | null;
  const hex = (x: unknown) => typeof x === 'string' && /^[0-9a-f]+$/.test(x);
  if (!v || v.format !== PAILLIER_KEY_FORMAT || !hex(v.n) || !hex(v.p) || !hex(v.q))
    throw sdkError('SDK_INVALID_ARGUMENT', `not a ${PAILLIER_KEY_FORMAT} key file`, { parameter: 'keyFile' });
  const [n, p, q] = [v.n, v.p, v.q].map((x) => BigInt(`0x${x}`)) as [bigint, bigint, bigint];
  if (p * q !== n)
    throw sdkError('SDK_INVALID_ARGUMENT', "the key file's primes do not multiply to n", {
      parameter: 'keyFile',
    });
  return v as PaillierKeyFile;
}

/** The modulus as the chain takes it (big-endian, whole bytes). */
export function modulusBytes(n: bigint): Uint8Array {
  naturalArgument(n, 'n');
  return bigintToBytes(n, Math.ceil(n.toString(16).length / 2));
}

export function registerPaillierKey(
  client: ChainClient,
  p: PrivacySendParameters & { id: string; modulus: bigint | string; label?: string },
): Promise<SendTransactionReturnType> {
  recordArgument(p, 'parameters');
  idArgument(p.id, 'id');
  if (p.label !== undefined) textArgument(p.label, 'label', 128);
  const modulus = checkedModulus(modulusBytes(modulusArgument(p.modulus)));
  return sendPrivacy(
    client,
    p,
    'registerKey',
    RegisterKey,
    { id: p.id, modulus, label: p.label ?? '' },
    300_000,
  );
}

/** A value's ciphertext under modulus n, encoded as the chain takes it. */
export function encryptPaillier(modulus: bigint | string, value: bigint): Uint8Array {
  const n = modulusArgument(modulus);
  naturalArgument(value, 'value');
  if (value < 0n || value >= n)
    throw sdkError('SDK_INVALID_ARGUMENT', 'a value is between 0 and n - 1', { parameter: 'value' });
  const bytes = modulusBytes(n);
  checkedModulus(bytes);
  return bigintToBytes(publicKeyOf(n).encrypt(value), ciphertextLength(bytes.length));
}

/** Decrypts a total (hex, from the round query) with the key file: the value and the randomness r. */
export function decryptPaillier(
  keyFile: PaillierKeyFile,
  total: string,
): { readonly value: bigint; readonly randomness: bigint } {
  parsePaillierKeyFile(keyFile);
  hexArgument(total, 'total');
  const key = privateKeyOf(BigInt(`0x${keyFile.p}`), BigInt(`0x${keyFile.q}`));
  const c = bigintFromBytes(hexToBytes(total));
  return { value: key.decrypt(c), randomness: key.getRandomFactor(c) };
}

export function publishPaillierTotal(
  client: ChainClient,
  p: PrivacySendParameters & { round: string; modulusBytes: number; value: bigint; randomness: bigint },
): Promise<SendTransactionReturnType> {
  recordArgument(p, 'parameters');
  idArgument(p.round, 'round');
  intArgument(p.modulusBytes, 'modulusBytes', 256, 512);
  naturalArgument(p.value, 'value');
  naturalArgument(p.randomness, 'randomness');
  const gas = paillierOpenGas(p.modulusBytes) + 1_000_000;
  return sendPrivacy(
    client,
    p,
    'publishTotal',
    PublishTotal,
    {
      round: p.round,
      value: bigintToBytes(p.value, p.modulusBytes),
      randomness: bigintToBytes(p.randomness, p.modulusBytes),
    },
    gas,
  );
}
