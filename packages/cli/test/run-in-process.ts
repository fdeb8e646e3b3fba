import { join } from 'node:path';
import { type CommandIo, runCli } from '../src/run.js';

/** Runs one `pujiang` command line in this process and collects its output. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * A new member of the home's organization: a key generated in `dir`, certified by the
 * organization's CA in `role` (default client), and registered on the node with `pujiang register`.
 * Returns the key file's path.
 */
export async function registerClient(
  home: string,
  api: string,
  dir: string,
  suite: string,
  name: string,
  role = 'client',
): Promise<string> {
  const keyFile = join(dir, `${name}.json`);
  const certFile = join(dir, `${name}.pem`);
  const steps = [
    ['keys', 'generate', '--suite', suite, '--out', keyFile],
    [
      'cert',
      'issue',
      '--org-dir',
      join(home, 'org'),
      '--role',
      role,
      '--key-file',
      keyFile,
      '--out',
      certFile,
    ],
    ['register', '--cert', certFile, '--key', keyFile, '--node', api],
  ];
  for (const argv of steps) {
    const result = await run(...argv);
    if (result.code !== 0) throw new Error(`pujiang ${argv[0]} failed: ${result.err}`);
  }
  return keyFile;
}
