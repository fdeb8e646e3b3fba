import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { usageError } from '@pujiang/cli-kit';

/** Secret-bearing JSON files (Paillier primes, member state, blinds): read whole, written atomically, 0600. */
export function readJsonFile(path: string, option: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`${path} is not JSON`, { option });
  }
}

export function writeSecretFile(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
