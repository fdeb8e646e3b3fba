import { readFileSync } from 'node:fs';
import { usageError } from './io.js';

/** A file the user named, as bytes (`CLI_USAGE` naming the option when it cannot be read). */
export function readFileOption(path: string, option: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option });
  }
}

/** A JSON file the user named (`CLI_USAGE` naming the option when it cannot be read or parsed). */
export function readJsonOption(path: string, option: string): unknown {
  const text = new TextDecoder().decode(readFileOption(path, option));
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`${path} is not JSON`, { option });
  }
}
