// Regenerates the confidential transfer's circuit and keys (a local Groth16 ceremony; no
// powers-of-tau file can be downloaded here). Run from the repository root:
//   node packages/modules/confidential/circuits/ceremony.mjs
// About 5 minutes on 2 cores. It compiles circuits/transfer.circom with circom2 (circom as
// WASM) and circomlib, runs a fresh powers of tau (2^14) with one random contribution,
// the circuit's phase 2 with another, and writes keys/transfer.wasm, keys/transfer.zkey,
// keys/verification_key.json and keys/MANIFEST.json (their SHA-256, the tools' versions,
// the date). The random contributions are thrown away: whoever ran this could forge proofs
// only if they kept them, which is why a real deployment runs a multi-party ceremony (each
// member organization contributes; snarkjs verifies the chain of contributions).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const keys = join(here, '..', 'keys');
const circomlib = dirname(require.resolve('circomlib/package.json'));
const circom = join(dirname(require.resolve('circom2/package.json')), 'cli.js');
// snarkjs exports no package.json: its main entry sits in build/, beside the CLI.
const snarkjs = join(dirname(require.resolve('snarkjs')), 'cli.cjs');
const work = mkdtempSync(join(tmpdir(), 'pujiang-ceremony-'));
const run = (file, args) => execFileSync(process.execPath, [file, ...args], { cwd: work, stdio: 'inherit' });
// circom2 runs in WASI and sees only its working directory and that directory's parents.
const runCircom = (args) => execFileSync(process.execPath, [circom, ...args], { cwd: '/', stdio: 'inherit' });
const entropy = () => randomBytes(32).toString('hex');
try {
  runCircom([join(here, 'transfer.circom'), '--r1cs', '--wasm', '-l', dirname(circomlib), '-o', work]);
  run(snarkjs, ['powersoftau', 'new', 'bn128', '14', 'pot_0.ptau']);
  run(snarkjs, [
    'powersoftau',
    'contribute',
    'pot_0.ptau',
    'pot_1.ptau',
    '--name=pujiang',
    `-e=${entropy()}`,
  ]);
  run(snarkjs, ['powersoftau', 'prepare', 'phase2', 'pot_1.ptau', 'pot_final.ptau']);
  run(snarkjs, ['groth16', 'setup', 'transfer.r1cs', 'pot_final.ptau', 'transfer_0.zkey']);
  run(snarkjs, [
    'zkey',
    'contribute',
    'transfer_0.zkey',
    'transfer.zkey',
    '--name=pujiang',
    `-e=${entropy()}`,
  ]);
  run(snarkjs, ['zkey', 'export', 'verificationkey', 'transfer.zkey', 'verification_key.json']);
  copyFileSync(join(work, 'transfer_js', 'transfer.wasm'), join(keys, 'transfer.wasm'));
  copyFileSync(join(work, 'transfer.zkey'), join(keys, 'transfer.zkey'));
  copyFileSync(join(work, 'verification_key.json'), join(keys, 'verification_key.json'));
  const sha256 = (name) =>
    createHash('sha256')
      .update(readFileSync(join(keys, name)))
      .digest('hex');
  const version = (pkg) => {
    const main =
      pkg === 'snarkjs'
        ? join(dirname(require.resolve('snarkjs')), '..', 'package.json')
        : require.resolve(`${pkg}/package.json`);
    return JSON.parse(readFileSync(main, 'utf8')).version;
  };
  const manifest = {
    command: 'node packages/modules/confidential/circuits/ceremony.mjs',
    date: new Date().toISOString(),
    circuit: {
      file: 'circuits/transfer.circom',
      sha256: createHash('sha256')
        .update(readFileSync(join(here, 'transfer.circom')))
        .digest('hex'),
    },
    powersOfTau: 14,
    tools: { circom2: version('circom2'), circomlib: version('circomlib'), snarkjs: version('snarkjs') },
    files: Object.fromEntries(
      ['transfer.wasm', 'transfer.zkey', 'verification_key.json'].map((f) => [f, sha256(f)]),
    ),
  };
  writeFileSync(join(keys, 'MANIFEST.json'), `${JSON.stringify(manifest, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
