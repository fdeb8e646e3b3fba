import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Reads the README's `sh` blocks and runs their lines as bash would (tests of README commands). */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BIN = join(ROOT, 'packages/cli/bin/pujiang.js');

export interface ShBlock {
  readonly section: string;
  readonly lines: string[];
}

/** Every `sh` block of the README, with the heading it is under and its `npx pujiang` lines. */
export function readmeBlocks(): ShBlock[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks: ShBlock[] = [];
  let section = '';
  let inside: string[] | undefined;
  for (const line of readme.split('\n')) {
    if (inside === undefined && /^#{2,3} /.test(line)) section = line.replace(/^#+ /, '');
    else if (inside === undefined && line === '```sh') inside = [];
    else if (inside !== undefined && line === '```') {
      blocks.push({ section, lines: inside });
      inside = undefined;
    } else if (inside !== undefined) inside.push(line);
  }
  return blocks;
}

/** A README line as bash runs it: `npx pujiang` is this repository's command, comments dropped. */
export function bash(dir: string, api: string, line: string) {
  return spawnSync('bash', ['-c', `npx() { shift; "${process.execPath}" "${BIN}" "$@"; }\n${line}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PUJIANG_NODE: api },
    timeout: 120_000,
  });
}
