import { readFileSync } from 'node:fs';
import { deriveAddress, type HashAlgorithm, type KeyPair } from '@pujiang/crypto';
import { formatKeyFile, type KeyFileErrorCode, parseKeyFile } from '@pujiang/module-kit/keys';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { writeFileAtomic } from './fs-atomic.js';

export type { KeyFile, KeyFileErrorCode } from '@pujiang/module-kit/keys';

/** Writes a key file (the format is `formatKeyFile`'s), readable by the owner only. */
export function writeKeyFile(path: string, key: KeyPair): void {
  writeFileAtomic(path, formatKeyFile(key), 0o600);
}

/** Reads a key file: `KEYFILE_UNREADABLE`, or `KEYFILE_INVALID` naming the field that is wrong. */
export function readKeyFile(path: string): KeyPair {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PujiangError<KeyFileErrorCode>('KEYFILE_UNREADABLE', `cannot read key file ${path}`, {
      path,
      cause: (error as Error).message,
    });
  }
  return parseKeyFile(text, path);
}

export function addressHex(chainHash: HashAlgorithm, key: KeyPair): string {
  return bytesToHex(deriveAddress(chainHash, key.publicKey));
}
