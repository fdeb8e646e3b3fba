import { readFileSync } from 'node:fs';
import {
  deriveAddress,
  getSuite,
  type HashAlgorithm,
  isSuiteId,
  type KeyPair,
  keyPairFromSecretKey,
} from '@pujiang/crypto';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';
import { writeFileAtomic } from './fs-atomic.js';

/** A key file: `{suite, secretKey, publicKey}` in hex, readable by the owner only. */
export interface KeyFile {
  suite: string;
  secretKey: string;
  publicKey: string;
}

export type KeyFileErrorCode = 'KEYFILE_UNREADABLE' | 'KEYFILE_INVALID';

export function writeKeyFile(path: string, key: KeyPair): void {
  const file: KeyFile = {
    suite: key.suite,
    secretKey: bytesToHex(key.secretKey.bytes),
    publicKey: bytesToHex(key.publicKey.bytes),
  };
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
}

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
  const invalid = (why: string) =>
    new PujiangError<KeyFileErrorCode>('KEYFILE_INVALID', `key file ${path}: ${why}`, { path });
  let file: Partial<KeyFile>;
  try {
    file = JSON.parse(text) as Partial<KeyFile>;
  } catch {
    throw invalid('not JSON');
  }
  if (!isSuiteId(file.suite)) throw invalid('unknown suite');
  if (typeof file.secretKey !== 'string' || !/^[0-9a-f]+$/.test(file.secretKey))
    throw invalid('secretKey must be hex');
  const bytes = hexToBytes(file.secretKey);
  if (bytes.length !== getSuite(file.suite).secretKeyLength) throw invalid('secretKey has the wrong length');
  const pair = keyPairFromSecretKey({ suite: file.suite, bytes });
  if (file.publicKey !== undefined && file.publicKey !== bytesToHex(pair.publicKey.bytes))
    throw invalid('publicKey does not belong to secretKey');
  return pair;
}

export function addressHex(chainHash: HashAlgorithm, key: KeyPair): string {
  return bytesToHex(deriveAddress(chainHash, key.publicKey));
}
