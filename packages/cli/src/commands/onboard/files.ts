import { linkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@pujiang/node';
import { nameProblem } from '../cert-request.js';
import { stepError } from './errors.js';

/** An enterprise's directory: its name, the files it holds, and how they are written. */

/** What an enterprise's directory holds. */
export const enterpriseFiles = (dir: string) => ({
  key: join(dir, 'key.json'),
  request: join(dir, 'request.pem'),
  certificate: join(dir, 'certificate.pem'),
  did: join(dir, 'did.json'),
  licence: join(dir, 'licence.json'),
  summary: join(dir, 'onboarding.json'),
});

/** A directory name from the enterprise's name: letters (any script) and digits, dashes between. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'enterprise' : slug.slice(0, 64);
}

/**
 * The enterprise's name as `--name` gives it: it becomes the request's CN and the licence's
 * legal name, so it is checked before anything is written (ONBOARD_BAD_NAME): 1 to 64
 * characters, no control or bidirectional-override characters. `--org` likewise.
 */
export function checkName(value: string, option: 'name' | 'org'): string {
  const problem = nameProblem(value);
  if (problem)
    throw stepError('ONBOARD_BAD_NAME', `--${option} ${JSON.stringify(value)} is refused: ${problem}`, {
      option,
    });
  return value;
}

/**
 * Writes a file that must not exist, whole or not at all: written to a temporary file, then
 * linked to its name, which fails (EEXIST) if another process put one there first.
 */
export function writeFileExclusive(path: string, text: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileAtomic(tmp, text, mode);
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw stepError('ONBOARD_EXISTS', `${path} exists already: another onboarding wrote it`, { path });
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}
