import { readFileSync } from 'node:fs';

/** Loads a JSON file of published test vectors from test/vectors (tests run from dist/test). */
export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../test/vectors/${name}`, import.meta.url), 'utf8')) as T;
}
