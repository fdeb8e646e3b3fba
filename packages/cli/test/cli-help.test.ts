import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { USAGE } from '../src/run.js';
import { run } from './run-in-process.js';

/** Every `pujiang COMMAND SUBCOMMAND` the usage text names (a word, not an argument placeholder). */
function commandsInUsage(): [string, string | undefined][] {
  const pairs = new Map<string, [string, string | undefined]>();
  for (const line of USAGE.split('\n')) {
    const m = /^\s*pujiang ([a-z][a-z-]*)(?: ([a-z][a-z|-]*))?/.exec(line);
    if (!m || m[1] === 'help') continue;
    const sub = m[2]?.split('|')[0];
    pairs.set(`${m[1]} ${sub ?? ''}`, [m[1]!, sub]);
    pairs.set(`${m[1]} `, [m[1]!, undefined]);
  }
  return [...pairs.values()];
}

describe('pujiang --help', () => {
  it('prints help and exits 0 for every command and subcommand, with --help, -h or help', async () => {
    const pairs = commandsInUsage();
    assert.ok(pairs.length > 40, `found ${pairs.length} commands`);
    for (const [command, sub] of pairs) {
      for (const flag of ['--help', '-h']) {
        const argv = sub === undefined ? [command, flag] : [command, sub, flag];
        const r = await run(...argv);
        assert.equal(r.code, 0, `pujiang ${argv.join(' ')}: ${r.err}`);
        assert.match(r.out, /pujiang|npm run/, `pujiang ${argv.join(' ')} printed no usage`);
        assert.equal(r.err, '', `pujiang ${argv.join(' ')} wrote to stderr`);
      }
    }
    assert.equal((await run('gov', 'help')).code, 0);
    // Help does not hide errors: an unknown command is still one.
    assert.equal((await run('nonsense', '--help')).code, 2);
  });

  it('help for a subcommand prints its lines, not the whole group', async () => {
    const kinds = [
      'add-org',
      'remove-org',
      'rotate-ca',
      'revoke-cert',
      'set-validator',
      'set-config',
      'set-policy',
      'set-param',
      'set-pacing',
    ];
    const group = (await run('gov', '--help')).out;
    for (const kind of kinds) {
      const r = await run('gov', 'propose', kind, '--help');
      assert.equal(r.code, 0);
      assert.match(r.out, /^Governance .*\npujiang gov propose KIND/, kind);
      assert.match(r.out, new RegExp(`\\n  ${kind} `), kind);
      for (const other of kinds.filter((k) => k !== kind))
        assert.doesNotMatch(r.out, new RegExp(`\\n  ${other} `));
      assert.ok(r.out.length < group.length / 3, `${kind}: ${r.out.length} of ${group.length}`);
    }
    assert.match((await run('gov', 'propose', 'set-policy', '-h')).out, /JSON: \{"rule"/);
    const sign = (await run('crypto', 'sign', '--help')).out;
    assert.match(sign, /^pujiang crypto <command>\n {2}sign /);
    assert.doesNotMatch(sign, /keygen/);
    const send = (await run('send', '--help')).out;
    assert.match(send, /^Client commands .*\npujiang send --key/);
    assert.doesNotMatch(send, /pujiang balance/);
    // `pujiang help COMMAND [SUBCOMMAND]` is the same help.
    assert.equal((await run('help', 'query')).out, (await run('query', '--help')).out);
    assert.equal((await run('help', 'gov', 'vote')).out, (await run('gov', 'vote', '--help')).out);
    assert.match((await run('help', 'gov', 'vote')).out, /pujiang gov vote ID yes\|no/);
    // Words that name nothing in the usage (an argument) get the whole command's help.
    assert.equal((await run('notary', 'nonsense', '--help')).out, (await run('notary', '--help')).out);
  });

  it('npm run sim -- --help prints its usage; a bad option is a usage error, not a stack trace', () => {
    const sim = fileURLToPath(new URL('../../../consensus/dist/src/sim/cli.js', import.meta.url));
    const help = spawnSync(process.execPath, [sim, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /npm run sim -- \[--seeds A\.\.B/);
    const bad = spawnSync(process.execPath, [sim, '--bogus'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error SIM_USAGE: Unknown option '--bogus'/);
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/);
  });

  it('before a build, the command says to build instead of printing a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-unbuilt-'));
    try {
      cpSync(fileURLToPath(new URL('../../bin', import.meta.url)), join(dir, 'bin'), { recursive: true });
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'pujiang.js'), 'status'], { encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^error CLI_NOT_BUILT: .*npm run build/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
