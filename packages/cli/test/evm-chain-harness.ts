import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initLocalNetwork, type LocalNetwork } from '@pujiang/node';
import { ethers } from 'ethers';
import { FAST_CONFIG } from './node-harness.js';
import { freeBase } from './up-harness.js';

/** What the EVM chain-property tests compile, deploy and call, and how they talk JSON-RPC. */

export interface Artifact {
  readonly abi: ethers.InterfaceAbi;
  readonly bytecode: string;
}

const SOURCES = {
  'ChainCounter.sol': new URL('../../test/contracts/ChainCounter.sol', import.meta.url),
  'PujiangPrecompiles.sol': new URL('../../../modules/evm/contracts/PujiangPrecompiles.sol', import.meta.url),
};

/** ChainCounter and PujiangPrecompilesTest, compiled in one solc run (evmVersion cancun). */
export function compileContracts(): { counter: Artifact; precompiles: Artifact } {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const sources = Object.fromEntries(
    Object.entries(SOURCES).map(([name, url]) => [name, { content: readFileSync(url, 'utf8') }]),
  );
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources,
        settings: {
          evmVersion: 'cancun',
          optimizer: { enabled: true, runs: 200 },
          outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
        },
      }),
    ),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<
      string,
      Record<string, { abi: ethers.InterfaceAbi; evm: { bytecode: { object: string } } }>
    >;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const artifact = (file: string, name: string): Artifact => {
    const c = output.contracts[file]![name]!;
    return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  };
  return {
    counter: artifact('ChainCounter.sol', 'ChainCounter'),
    precompiles: artifact('PujiangPrecompiles.sol', 'PujiangPrecompilesTest'),
  };
}

/** A JSON-RPC 2.0 answer as the node sent it (for the error's code and data, which ethers wraps). */
export interface RpcAnswer {
  readonly result?: unknown;
  readonly error?: { code: number; message: string; data?: { code?: string } & Record<string, unknown> };
}

export async function rpc(api: string, method: string, params: readonly unknown[]): Promise<RpcAnswer> {
  const res = await fetch(`${api}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as RpcAnswer;
}

/**
 * An ethers provider on a node's `/rpc`, its network fixed (so a provider on a node that
 * goes down does not keep probing it) and calls batched as ethers does by default.
 */
export async function providerOf(api: string): Promise<ethers.JsonRpcProvider> {
  const probe = new ethers.JsonRpcProvider(`${api}/rpc`);
  const network = await probe.getNetwork();
  probe.destroy();
  // Blocks come every few tens of milliseconds: poll for receipts as often, not every 4 s, and
  // keep no answer (ethers reuses one for 250 ms by default: a nonce read just before a
  // commit would be reused just after it).
  return new ethers.JsonRpcProvider(`${api}/rpc`, network, {
    staticNetwork: network,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}

/** The secp256k1 operator key of a node home (`keys/operator.json`) as an ethers wallet. */
export function operatorWallet(operatorKeyFile: string, provider?: ethers.Provider): ethers.Wallet {
  const key = JSON.parse(readFileSync(operatorKeyFile, 'utf8')) as { suite: string; secretKey: string };
  if (key.suite !== 'secp256k1') throw new Error(`the operator key is ${key.suite}, not secp256k1`);
  return new ethers.Wallet(`0x${key.secretKey}`, provider);
}

/**
 * Edits a one-node test home's genesis before its node first starts: the governance
 * time-lock, and identities registered from the start (certificates, PEM).
 */
export function editGenesis(
  genesisFile: string,
  o: { timelock: number; identities: readonly string[] },
): void {
  const genesis = JSON.parse(readFileSync(genesisFile, 'utf8'));
  genesis.modules.governance.timelock = o.timelock;
  genesis.modules.governance.identities.push(...o.identities);
  writeFileSync(genesisFile, `${JSON.stringify(genesis, null, 2)}\n`);
}

/** The storage slot of `mapping(address => ...)` at `slot` for `key`: keccak256(abi.encode(key, slot)). */
export function mappingSlot(key: string, slot: bigint): string {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [key, slot]));
}

/** A 32-byte word as a bigint (`0x` hex or bytes; empty is zero). */
export function wordValue(value: string | Uint8Array | undefined): bigint {
  if (value === undefined) return 0n;
  const hex = typeof value === 'string' ? value.replace(/^0x/, '') : Buffer.from(value).toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/**
 * Four secp256k1 validators of one chain, one organization each (`initLocalNetwork`, as
 * `pujiang up` makes them), in a fresh `pujiang-evm-net-` folder: fast consensus timeouts, a
 * block every block interval even while idle, each API on a free port.
 */
export async function evmNetwork(): Promise<{ dir: string; net: LocalNetwork }> {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-evm-net-'));
  const net = initLocalNetwork({
    dir: join(dir, 'net'),
    nodes: 4,
    basePort: await freeBase(4),
    suite: 'secp256k1',
    emptyBlockIntervalMs: 0,
  });
  for (const node of net.nodes) {
    const configPath = join(node.home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    writeFileSync(configPath, JSON.stringify({ ...config, ...FAST_CONFIG, api: { ...config.api, port: 0 } }));
  }
  return { dir, net };
}
