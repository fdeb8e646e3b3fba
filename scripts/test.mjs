// Runs every package's compiled tests with a temporary directory of their own (TMPDIR), removed
// afterwards, so no run leaves folders behind whatever a test forgets. Without
// --test-force-exit: that flag can drop test verdicts silently (nodejs/node#64833), and every
// test file here exits on its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = ['packages', 'packages/modules'].flatMap((root) =>
  readdirSync(root)
    .map((name) => join(root, name, 'dist', 'test'))
    .filter((dir) => existsSync(dir)),
);
const scratch = mkdtempSync(join(tmpdir(), 'pujiang-tests-'));
const child = spawn(process.execPath, ['--test', '--test-timeout=600000', ...dirs], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch },
});
const finish = (code) => {
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
};
child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
