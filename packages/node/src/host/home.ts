import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, type KeyPair, type SuiteId } from '@pujiang/crypto';
import { type Genesis, type GenesisJson, parseGenesis } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';
import { DEFAULT_CONFIG, type NodeConfig, parseConfig } from './config.js';
import { writeFileAtomic } from './fs-atomic.js';
import { addressHex, readKeyFile, writeKeyFile } from './key-file.js';

/**
 * A node's home directory:
 *   genesis.json        the chain (shared by every node of it)
 *   config.json         this node's settings
 *   node_key.json       this node's validator key (mode 0600)
 *   keys/operator.json  (init only) a client account funded and allowed to mint at genesis
 *   data/               the chain store and the consensus WAL
 */
export const homePaths = (home: string) => ({
  genesis: join(home, 'genesis.json'),
  config: join(home, 'config.json'),
  nodeKey: join(home, 'node_key.json'),
  operatorKey: join(home, 'keys', 'operator.json'),
  data: join(home, 'data'),
});

export type HomeErrorCode = 'HOME_EXISTS' | 'HOME_MISSING_FILE' | 'HOME_BAD_JSON';

export interface InitParameters {
  readonly home: string;
  readonly chainId?: string;
  /** The validator's and operator's suite (default ed25519; sm2 makes a government chain on sm3). */
  readonly suite?: SuiteId;
  readonly apiPort?: number;
  /** Initial balance of the operator account (default 10^12). */
  readonly operatorBalance?: bigint;
}

export interface InitReturnType {
  readonly genesis: Genesis;
  readonly nodeKey: KeyPair;
  readonly operatorKey: KeyPair;
  readonly operatorAddress: string;
  readonly paths: ReturnType<typeof homePaths>;
}

/** The suites a new chain accepts: the chosen one and its post-quantum hybrid, so a chain can move to it by configuration. */
function acceptedFor(suite: SuiteId): SuiteId[] {
  if (suite === 'sm2') return ['sm2', 'sm2+ml-dsa-65'];
  if (suite === 'ed25519') return ['ed25519', 'ed25519+ml-dsa-44'];
  return [suite];
}

/** Writes a node key, a single-validator genesis template and a config into a new home directory. */
export function initHome(p: InitParameters): InitReturnType {
  const paths = homePaths(p.home);
  if (existsSync(paths.genesis) || existsSync(paths.nodeKey)) {
    throw new PujiangError<HomeErrorCode>(
      'HOME_EXISTS',
      `${p.home} already holds a node; refusing to overwrite its keys`,
      {
        home: p.home,
      },
    );
  }
  const suite = p.suite ?? 'ed25519';
  const chainHash = suite.startsWith('sm2') ? 'sm3' : 'sha256';
  mkdirSync(join(p.home, 'keys'), { recursive: true });
  mkdirSync(paths.data, { recursive: true });
  const nodeKey = generateKeyPair(suite);
  const operatorKey = generateKeyPair(suite);
  const operatorAddress = addressHex(chainHash, operatorKey);
  const genesisJson: GenesisJson = {
    // A random suffix: two chains created apart must not share an id, or their signed
    // transactions would be valid on both.
    chainId:
      p.chainId ?? `${chainHash === 'sm3' ? 'pujiang-gov' : 'pujiang-dev'}-${randomBytes(4).toString('hex')}`,
    chainHash,
    acceptedSuites: acceptedFor(suite),
    validators: [
      { name: 'node0', suite, publicKey: Buffer.from(nodeKey.publicKey.bytes).toString('hex'), power: 10 },
    ],
    limits: { maxBlockBytes: 16 * 1024 * 1024, maxBlockTxs: 20_000, maxBlockGas: 500_000_000 },
    modules: {
      bank: {
        minter: operatorAddress,
        balances: { [operatorAddress]: String(p.operatorBalance ?? 10n ** 12n) },
      },
    },
  };
  const genesis = parseGenesis(genesisJson);
  const config: NodeConfig = {
    ...DEFAULT_CONFIG,
    api: { ...DEFAULT_CONFIG.api, port: p.apiPort ?? DEFAULT_CONFIG.api.port },
  };
  writeKeyFile(paths.nodeKey, nodeKey);
  writeKeyFile(paths.operatorKey, operatorKey);
  writeFileAtomic(paths.genesis, `${JSON.stringify(genesisJson, null, 2)}\n`);
  writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  return { genesis, nodeKey, operatorKey, operatorAddress, paths };
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PujiangError<HomeErrorCode>('HOME_MISSING_FILE', `missing ${path}; run pujiang init first`, {
      path,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PujiangError<HomeErrorCode>('HOME_BAD_JSON', `${path} is not valid JSON`, {
      path,
      cause: (error as Error).message,
    });
  }
}

export interface LoadedHome {
  readonly genesis: Genesis;
  readonly config: NodeConfig;
  readonly nodeKey: KeyPair;
  readonly paths: ReturnType<typeof homePaths>;
}

/** Reads and checks everything a node needs to start; every problem is a typed error naming the file. */
export function loadHome(home: string): LoadedHome {
  const paths = homePaths(home);
  const genesis = parseGenesis(readJson(paths.genesis));
  const config = existsSync(paths.config) ? parseConfig(readJson(paths.config)) : DEFAULT_CONFIG;
  const nodeKey = readKeyFile(paths.nodeKey);
  return { genesis, config, nodeKey, paths };
}
