import {
  closeSync,
  constants,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { formatKeyFile, type KeyFileErrorCode, type KeyPair, parseKeyFile } from '@pujiang/module-kit/keys';
import { PujiangError } from '@pujiang/types';
import { keyPairArgument, sdkError } from './errors.js';

export interface SaveKeyFileOptions {
  /** Replace a file that is already there (default false: a key is never lost by accident). */
  overwrite?: boolean;
}

/**
 * Reads a key file as the node and the CLI write it (`{"suite", "secretKey", "publicKey"}`
 * in hex; see `formatKeyFile`). `KEYFILE_UNREADABLE` if it cannot be read, `KEYFILE_INVALID`
 * with `details.field` if it is not a key file.
 */
export function loadKeyFile(path: string): KeyPair {
  if (typeof path !== 'string' || path === '')
    throw sdkError('SDK_INVALID_ARGUMENT', 'path must be a file path', { parameter: 'path' });
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

/**
 * Writes a key file readable by its owner only (mode 0600). The text is written and fsynced
 * under a temporary name first, so a crash leaves no torn or empty key file; without
 * `overwrite` it is then linked into place, which fails if the name exists (`KEYFILE_EXISTS`)
 * and never replaces a key; with it, renamed over the old file. The folder is fsynced after.
 */
export function saveKeyFile(path: string, key: KeyPair, options: SaveKeyFileOptions = {}): void {
  if (typeof path !== 'string' || path === '')
    throw sdkError('SDK_INVALID_ARGUMENT', 'path must be a file path', { parameter: 'path' });
  const text = formatKeyFile(keyPairArgument(key));
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.overwrite) renameSync(tmp, path);
    else {
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
  } catch (error) {
    rmSync(tmp, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new PujiangError<KeyFileErrorCode>(
        'KEYFILE_EXISTS',
        `key file ${path} exists (pass overwrite: true to replace it)`,
        {
          path,
        },
      );
    throw error;
  }
  syncFolder(dirname(path));
}

/** Makes a rename or link in `dir` durable (where the platform allows opening a folder). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // not supported here (Windows): the file itself is durable
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
