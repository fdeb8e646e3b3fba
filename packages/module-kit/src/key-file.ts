import { getSuite, isSuiteId, type KeyPair, keyPairFromSecretKey, type SuiteId } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, invalidArgument, PujiangError } from '@pujiang/types';
import { keyPairArgument } from './arguments.js';

/**
 * A key file, as the node, the CLI and the SDK write and read it: one JSON object with the
 * suite and the keys in lowercase hex. `publicKey` is optional when reading; when present it
 * must belong to `secretKey`. Writers make the file readable by its owner only (mode 0600).
 *
 *     {"suite": "ed25519", "secretKey": "<hex>", "publicKey": "<hex>"}
 */
export interface KeyFile {
  suite: SuiteId;
  secretKey: string;
  publicKey: string;
}

/** Unreadable, not a key file (`details.field` names what is wrong), or already there when saving without overwrite. */
export type KeyFileErrorCode = 'KEYFILE_UNREADABLE' | 'KEYFILE_INVALID' | 'KEYFILE_EXISTS';

/** The file's text for a key pair (pretty JSON, a final newline). */
export function formatKeyFile(key: KeyPair): string {
  keyPairArgument(key);
  const file: KeyFile = {
    suite: key.suite,
    secretKey: bytesToHex(key.secretKey.bytes),
    publicKey: bytesToHex(key.publicKey.bytes),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A key pair from a key file's text (read from `path`); anything else is `KEYFILE_INVALID` naming the field. */
export function parseKeyFile(text: string, path?: string): KeyPair {
  if (typeof text !== 'string') throw invalidArgument("text must be a key file's JSON text", 'text');
  const invalid = (why: string, field?: string) =>
    new PujiangError<KeyFileErrorCode>(
      'KEYFILE_INVALID',
      `key file${path === undefined ? '' : ` ${path}`}: ${why}`,
      {
        ...(path === undefined ? {} : { path }),
        ...(field === undefined ? {} : { field }),
      },
    );
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw invalid('not a JSON object with suite and secretKey');
  const { suite, secretKey, publicKey } = file as Partial<Record<keyof KeyFile, unknown>>;
  if (suite === undefined) throw invalid('suite is missing', 'suite');
  if (typeof suite !== 'string' || !isSuiteId(suite))
    throw invalid(`unknown suite ${String(suite)}`, 'suite');
  if (secretKey === undefined) throw invalid('secretKey is missing', 'secretKey');
  if (typeof secretKey !== 'string' || !/^([0-9a-f]{2})+$/.test(secretKey))
    throw invalid('secretKey must be lowercase hex', 'secretKey');
  const bytes = hexToBytes(secretKey);
  const length = getSuite(suite).secretKeyLength;
  if (bytes.length !== length)
    throw invalid(`secretKey must be ${length} bytes for ${suite}, not ${bytes.length}`, 'secretKey');
  const pair = keyPairFromSecretKey({ suite, bytes });
  if (publicKey !== undefined && publicKey !== bytesToHex(pair.publicKey.bytes))
    throw invalid('publicKey does not belong to secretKey', 'publicKey');
  return pair;
}
