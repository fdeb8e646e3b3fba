import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessUsage } from '../load-plan.js';
import { type ProcSample, procSample } from '../proc-usage.js';
import { EthRpc } from './rpc.js';
import { ETH_SENDER_BALANCE } from './transfer.js';

/** The Ethereum development chains the bench compares with, both from npm (dev dependencies of this package). */
export type PeerKind = 'ganache' | 'hardhat';
export const PEER_KINDS: readonly PeerKind[] = ['ganache', 'hardhat'];

/**
 * JSON-RPC requests in flight: ganache in eager mode can leave concurrent requests
 * unanswered, so it gets one batch at a time (it mines on one thread anyway); Hardhat
 * serves several.
 */
export const PEER_IN_FLIGHT: Record<PeerKind, number> = { ganache: 1, hardhat: 4 };

/** Chain ids the peers use by default. */
const CHAIN_ID: Record<PeerKind, number> = { ganache: 1337, hardhat: 31337 };

export interface RunningPeer {
  readonly kind: PeerKind;
  /** e.g. "ganache 7.9.2" */
  readonly version: string;
  readonly rpcUrl: string;
  readonly chainId: number;
  /** CPU and peak memory of the peer's process, from /proc (undefined off Linux). */
  usage(): ProcSample | undefined;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
/** Where Hardhat's throwaway projects go: inside this package (git-ignored), deleted when the peer stops. */
const PROJECTS = fileURLToPath(new URL('../../../.peer-projects', import.meta.url));

function packageBin(name: string, bin: string): { path: string; version: string } {
  const manifest = require.resolve(`${name}/package.json`);
  const pkg = require(manifest) as { version: string; bin: Record<string, string> };
  return { path: join(dirname(manifest), pkg.bin[bin]!), version: pkg.version };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Starts a peer chain in its own process on loopback, with `senders` (secp256k1 secret keys,
 * hex) funded at genesis and its automatic mining (a block per transaction, as soon as it
 * arrives), in memory as each runs by default. `hardhat` adds settings to Hardhat's network
 * (e.g. `hardfork`, `initialBaseFeePerGas`); ganache takes none.
 */
export async function startPeer(
  kind: PeerKind,
  senders: readonly string[],
  hardhat: Readonly<Record<string, unknown>> = {},
): Promise<RunningPeer> {
  const port = await freePort();
  const balance = `0x${ETH_SENDER_BALANCE.toString(16)}`;
  let child: ChildProcess;
  let version: string;
  let dir: string | undefined;
  if (kind === 'ganache') {
    const bin = packageBin('ganache', 'ganache');
    version = `ganache ${bin.version}`;
    const args = ['--server.host', '127.0.0.1', '--server.port', String(port)];
    // eager: a transaction is mined before its call answers. In strict mode ganache 7.9.2 leaves a sender's next
    // nonce queued forever when it arrives while the previous one is being mined (trufflesuite/ganache#4522).
    args.push('--chain.chainId', String(CHAIN_ID.ganache), '--miner.instamine', 'eager', '--logging.quiet');
    for (const key of senders) args.push('--wallet.accounts', `0x${key},${balance}`);
    child = spawn(process.execPath, [bin.path, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  } else {
    const bin = packageBin('hardhat', 'hardhat');
    version = `hardhat ${bin.version}`;
    // Hardhat runs only from a project that resolves this installation, so its configuration goes under this package.
    mkdirSync(PROJECTS, { recursive: true });
    dir = mkdtempSync(join(PROJECTS, 'hardhat-'));
    const config = join(dir, 'hardhat.config.cjs');
    const accounts = senders.map((key) => ({
      privateKey: `0x${key}`,
      balance: ETH_SENDER_BALANCE.toString(),
    }));
    const networks = {
      hardhat: { chainId: CHAIN_ID.hardhat, accounts, mining: { auto: true, interval: 0 }, ...hardhat },
    };
    writeFileSync(config, `module.exports = ${JSON.stringify({ networks }, null, 2)};\n`);
    child = spawn(
      process.execPath,
      [bin.path, 'node', '--config', config, '--hostname', '127.0.0.1', '--port', String(port)],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
      },
    );
  }
  let exited: number | null | undefined;
  // A peer does not watch its parent (our nodes stop when their stdin closes), so it is killed if this process exits first.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const closed = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const rpcUrl = `http://127.0.0.1:${port}`;
  const rpc = new EthRpc(rpcUrl, 1);
  const stop = async () => {
    rpc.close();
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await closed;
      clearTimeout(timer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = performance.now() + 60_000;
    for (;;) {
      if (exited !== undefined) throw new Error(`${version} exited (code ${exited}) while starting`);
      try {
        const chainId = Number(await rpc.call<string>('eth_chainId'));
        if (chainId !== CHAIN_ID[kind]) throw new Error(`${version}: chain id ${chainId}`);
        break;
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    // `hardhat node` logs every call and mined transaction to the console; a benchmark turns that off.
    if (kind === 'hardhat') await rpc.call('hardhat_setLoggingEnabled', [false]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    kind,
    version,
    rpcUrl,
    chainId: CHAIN_ID[kind],
    usage: () => (child.pid === undefined ? undefined : procSample(child.pid)),
    stop,
  };
}

/** A peer's process counters, sampled from /proc (it exposes no event-loop figures); `group` names who needs Linux. */
export function peerUsage(peer: RunningPeer, group: string): () => Promise<ProcessUsage> {
  return async () => {
    const sample = peer.usage();
    if (!sample) throw new Error(`${peer.version}: no /proc entry (the ${group} needs Linux)`);
    return {
      atMs: sample.atMs,
      monotonicUs: Number(process.hrtime.bigint() / 1000n),
      cpuMicros: sample.cpuMicros,
      peakRssBytes: sample.peakRssBytes,
    };
  };
}
