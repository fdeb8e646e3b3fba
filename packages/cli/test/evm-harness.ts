import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './node-harness.js';

/** Helpers of the EVM tests: Solidity compiled offline with solc, and a Hardhat node beside a Pujiang node. */
const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
/** The test's Solidity sources (dist/test -> test/contracts). */
export const CONTRACTS = join(HERE, '../../test/contracts');
/** packages/cli: a folder from which `hardhat` resolves to the repository's installation, as Hardhat requires. */
const PACKAGE = join(HERE, '../..');

export interface Compiled {
  readonly abi: readonly Record<string, unknown>[];
  /** The creation bytecode, 0x-prefixed. */
  readonly bytecode: `0x${string}`;
}

/**
 * Compiles `files` (names in test/contracts) with the solc npm package: standard JSON, Cancun,
 * the optimizer on; `@openzeppelin/contracts/...` imports are read from its installed package.
 * Answers every contract of those files by name.
 */
export function compileContracts(files: readonly string[]): Record<string, Compiled> {
  const solc = require('solc') as {
    compile(
      input: string,
      callbacks: { import(path: string): { contents: string } | { error: string } },
    ): string;
  };
  const openZeppelin = dirname(require.resolve('@openzeppelin/contracts/package.json'));
  const sources = Object.fromEntries(
    files.map((file) => [file, { content: readFileSync(join(CONTRACTS, file), 'utf8') }]),
  );
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImport = (path: string) => {
    const prefix = '@openzeppelin/contracts/';
    if (!path.startsWith(prefix)) return { error: `not found: ${path}` };
    try {
      return { contents: readFileSync(join(openZeppelin, path.slice(prefix.length)), 'utf8') };
    } catch {
      return { error: `not found: ${path}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<
      string,
      Record<string, { abi: Compiled['abi']; evm: { bytecode: { object: string } } }>
    >;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const out: Record<string, Compiled> = {};
  for (const file of files)
    for (const [name, c] of Object.entries(output.contracts[file] ?? {}))
      out[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  return out;
}

/** A secp256k1 key file's secret key (hex, no 0x), as `pujiang keys generate` and `init` write them. */
export function secretKeyOf(keyFile: string): string {
  const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { suite: string; secretKey: string };
  if (key.suite !== 'secp256k1') throw new Error(`${keyFile}: a ${key.suite} key, not secp256k1`);
  return key.secretKey;
}

export interface HardhatNode {
  readonly child: ChildProcess;
  readonly rpcUrl: string;
  readonly wsUrl: string;
  /** Kills the node (SIGKILL) and removes its project folder. */
  stop(): Promise<void>;
}

/**
 * Starts `hardhat node` (Hardhat 2, its in-memory EDR chain) on a loopback port the system picks, with
 * `chainId`, hardfork Cancun, automining, and `keys` (secp256k1 secret keys, hex) funded with
 * 1,000 ETH each, in that order. Its configuration goes to a `pujiang-hardhat-` folder under
 * the system's temporary folder (Hardhat writes its cache there); the process runs from
 * packages/cli, where `hardhat` resolves to the repository's installation, as Hardhat requires.
 * A transaction that fails is mined with status 0 rather than refused
 * (`throwOnTransactionFailures: false`), as on an Ethereum node.
 */
export async function startHardhatNode(chainId: number, keys: readonly string[]): Promise<HardhatNode> {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-hardhat-'));
  const config = join(dir, 'hardhat.config.cjs');
  const hardhat = {
    chainId,
    hardfork: 'cancun',
    throwOnTransactionFailures: false,
    accounts: keys.map((key) => ({ privateKey: `0x${key}`, balance: (10n ** 21n).toString() })),
    mining: { auto: true, interval: 0 },
  };
  writeFileSync(config, `module.exports = ${JSON.stringify({ networks: { hardhat } }, null, 2)};\n`);
  const child = spawn(
    process.execPath,
    [
      require.resolve('hardhat/internal/cli/bootstrap.js'),
      'node',
      '--config',
      config,
      '--hostname',
      '127.0.0.1',
      '--port',
      '0',
    ],
    {
      cwd: PACKAGE,
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  // Read both streams to the end: Hardhat logs every call, and a full pipe would stall it.
  child.stdout!.on('data', (d) => {
    if (out.length < 64 * 1024) out += String(d);
  });
  child.stderr!.on('data', (d) => {
    if (out.length < 64 * 1024) out += String(d);
  });
  // Hardhat does not watch its parent: it is killed if this process exits first.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
    process.off('exit', killOnExit);
  });
  const stop = async () => {
    if (!gone) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await Promise.race([
      until(
        () => /Started HTTP and WebSocket JSON-RPC server at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1],
        60_000,
      ),
      exited.then(() => {
        throw new Error('it exited');
      }),
    ]);
    const rpcUrl = `http://127.0.0.1:${port}`;
    // It logs every request to the console otherwise.
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hardhat_setLoggingEnabled', params: [false] }),
    });
    if (!res.ok) throw new Error(`hardhat node: ${res.status}`);
    return { child, rpcUrl, wsUrl: `ws://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw new Error(`hardhat node did not start: ${(error as Error).message}\n${out}`);
  }
}
