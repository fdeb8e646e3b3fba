import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateToPem, generateKeyPair, type KeyPair, type SuiteId } from '@pujiang/crypto';
import type { GovernanceGenesisJson } from '@pujiang/module-governance/chain';
import { CHAIN_MODULES as DEFAULT_MODULES } from '@pujiang/modules/chain';
import { type Genesis, type GenesisJson, parseGenesis } from '@pujiang/protocol';
import { MemoryNodeStore, SparseMerkleTree } from '@pujiang/state';
import { PujiangError } from '@pujiang/types';
import { allowsClockControl, clockControlRefused } from '../clock.js';
import { Executor } from '../execution/executor.js';
import { DEFAULT_CONFIG, type NodeConfig, parseConfig } from './config.js';
import { writeFileAtomic } from './fs-atomic.js';
import { addressHex, readKeyFile, writeKeyFile } from './key-file.js';
import { createOrganization, issueMemberCertificate, type OrganizationCa } from './organization.js';
import { newClockToken, writeClockToken } from './test-clock.js';

/**
 * A node's home directory:
 *   genesis.json        the chain (shared by every node of it)
 *   config.json         this node's settings
 *   node_key.json       this node's validator key (mode 0600)
 *   node_cert.pem       (init only) the node key's certificate (role validator) from this home's organization
 *   keys/operator.json  (init only) the organization's admin account, funded and allowed to mint at genesis
 *   keys/operator.pem   its certificate (role admin)
 *   org/                (init only) the organization's root CA (ca.pem, ca_key.json)
 *   data/               the chain store and the consensus WAL
 */
export const homePaths = (home: string) => ({
  genesis: join(home, 'genesis.json'),
  config: join(home, 'config.json'),
  nodeKey: join(home, 'node_key.json'),
  nodeCertificate: join(home, 'node_cert.pem'),
  operatorKey: join(home, 'keys', 'operator.json'),
  operatorCertificate: join(home, 'keys', 'operator.pem'),
  org: join(home, 'org'),
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
  /** The peer network: where to listen, whom to dial, which full-node keys to admit. */
  readonly p2p?: Partial<NodeConfig['p2p']>;
  readonly apiHost?: string;
  /** The founding organization's id (default org0); its CA is created in the home's `org/`. */
  readonly org?: string;
  /** How often the idle chain makes a block (default 30,000 ms; 0: every block interval). */
  readonly emptyBlockIntervalMs?: number;
  /**
   * A test chain whose block time tests may move forward: its genesis says `"testing":
   * {"clockControl": true}` (joining: must say), and the home gets a clock token (test-clock.ts).
   */
  readonly testClock?: boolean;
}

export interface InitReturnType {
  readonly genesis: Genesis;
  readonly nodeKey: KeyPair;
  readonly operatorKey: KeyPair;
  readonly operatorAddress: string;
  readonly paths: ReturnType<typeof homePaths>;
  readonly org: OrganizationCa;
  /** PEM certificates of the node key (validator) and the operator (admin). */
  readonly nodeCertificate: string;
  readonly operatorCertificate: string;
}

export interface JoinParameters extends Omit<InitParameters, 'chainId' | 'operatorBalance'> {
  /** The chain's genesis file as JSON text (every node of the chain holds the same). */
  readonly genesisText: string;
}

export type JoinReturnType = Omit<
  InitReturnType,
  'operatorKey' | 'operatorAddress' | 'org' | 'nodeCertificate' | 'operatorCertificate'
>;

/** The suites a new chain accepts: the chosen one and its post-quantum hybrid, so a chain can move to it by configuration. */
function acceptedFor(suite: SuiteId): SuiteId[] {
  if (suite === 'sm2') return ['sm2', 'sm2+ml-dsa-65'];
  if (suite === 'ed25519') return ['ed25519', 'ed25519+ml-dsa-44'];
  return [suite];
}

/** Writes a node key, a single-validator genesis template and a config into a new home directory. */
export function initHome(p: InitParameters): InitReturnType {
  const suite = p.suite ?? 'ed25519';
  const operatorKey = generateKeyPair(suite);
  const operatorAddress = addressHex(suite.startsWith('sm2') ? 'sm3' : 'sha256', operatorKey);
  const paths = homePaths(p.home);
  if (existsSync(paths.genesis) || existsSync(paths.nodeKey) || existsSync(paths.org))
    throw new PujiangError<HomeErrorCode>(
      'HOME_EXISTS',
      `${p.home} already holds a node; refusing to overwrite its keys`,
      {
        home: p.home,
      },
    );
  // The founding organization: its CA certifies the node key (validator) and the operator (admin).
  const org = createOrganization({ dir: paths.org, id: p.org ?? 'org0', suite });
  let nodeCertificate = '';
  const operatorCertificate = certificateToPem(
    issueMemberCertificate(org, {
      publicKey: operatorKey.publicKey,
      role: 'admin',
      commonName: `${org.id} operator`,
    }),
  );
  const written = writeHome(p, suite, (nodeKey) => {
    nodeCertificate = certificateToPem(
      issueMemberCertificate(org, {
        publicKey: nodeKey.publicKey,
        role: 'validator',
        commonName: `${org.id} node`,
      }),
    );
    return templateGenesis(p, suite, nodeKey, operatorAddress, {
      organizations: [{ id: org.id, name: org.id, caCertificate: certificateToPem(org.certificate) }],
      identities: [nodeCertificate, operatorCertificate],
      emptyBlockIntervalMs: p.emptyBlockIntervalMs ?? DEFAULT_EMPTY_BLOCK_INTERVAL_MS,
    });
  });
  writeKeyFile(written.paths.operatorKey, operatorKey);
  writeFileAtomic(paths.nodeCertificate, nodeCertificate);
  writeFileAtomic(paths.operatorCertificate, operatorCertificate);
  return { ...written, operatorKey, operatorAddress, org, nodeCertificate, operatorCertificate };
}

/**
 * A home for a node of an existing chain (a validator listed in its genesis, or a full
 * node): a new node key, the chain's genesis as given, and a config with its peers. The key's
 * suite is the validators' unless `suite` says otherwise.
 */
export function joinHome(p: JoinParameters): JoinReturnType {
  const genesis = parseGenesisText(p.genesisText);
  const suite = p.suite ?? genesis.validators[0]?.publicKey.suite ?? 'ed25519';
  return writeHome(p, suite, () => p.genesisText);
}

function writeHome(
  p: Omit<InitParameters, 'suite'>,
  suite: SuiteId,
  genesisFor: (nodeKey: KeyPair) => GenesisJson | string,
): JoinReturnType {
  const paths = homePaths(p.home);
  if (existsSync(paths.genesis) || existsSync(paths.nodeKey)) {
    throw new PujiangError<HomeErrorCode>(
      'HOME_EXISTS',
      `${p.home} already holds a node; refusing to overwrite its keys`,
      { home: p.home },
    );
  }
  const nodeKey = generateKeyPair(suite);
  const made = genesisFor(nodeKey);
  const genesisText = typeof made === 'string' ? made : `${JSON.stringify(made, null, 2)}\n`;
  const genesis = parseGenesisText(genesisText);
  // Refused before anything is written: a test clock on a chain that does not allow one.
  if (p.testClock && !allowsClockControl(genesis)) throw clockControlRefused(genesis.chainId);
  const clockToken = p.testClock ? newClockToken() : undefined;
  const config: NodeConfig = parseConfig({
    ...DEFAULT_CONFIG,
    api: { host: p.apiHost ?? DEFAULT_CONFIG.api.host, port: p.apiPort ?? DEFAULT_CONFIG.api.port },
    p2p: { ...DEFAULT_CONFIG.p2p, ...p.p2p },
    ...(clockToken ? { testing: clockToken.testing } : {}),
  });
  mkdirSync(join(p.home, 'keys'), { recursive: true });
  mkdirSync(paths.data, { recursive: true });
  writeKeyFile(paths.nodeKey, nodeKey);
  if (clockToken) writeClockToken(p.home, clockToken.token);
  writeFileAtomic(paths.genesis, genesisText);
  writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  return { genesis, nodeKey, paths };
}

function parseGenesisText(text: string): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PujiangError<HomeErrorCode>('HOME_BAD_JSON', 'the genesis is not valid JSON', {
      cause: (error as Error).message,
    });
  }
  return parseGenesis(json);
}

/** How often a new chain makes a block while idle, unless its creator says otherwise. */
export const DEFAULT_EMPTY_BLOCK_INTERVAL_MS = 30_000;

/** A new chain's genesis: this node its sole validator, the operator funded and allowed to mint. */
function templateGenesis(
  p: InitParameters,
  suite: SuiteId,
  nodeKey: KeyPair,
  operatorAddress: string,
  governance: GovernanceGenesisJson,
): GenesisJson {
  const chainHash = suite.startsWith('sm2') ? 'sm3' : 'sha256';
  return {
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
    // A new chain names the modules it runs: every module this node has.
    enabledModules: DEFAULT_MODULES.map((m) => m.name),
    ...(p.testClock ? { testing: { clockControl: true } } : {}),
    modules: {
      governance,
      bank: {
        minter: operatorAddress,
        balances: { [operatorAddress]: String(p.operatorBalance ?? 10n ** 12n) },
      },
    },
  };
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

/**
 * Runs a genesis through every module's genesis on an in-memory state, as a node's first
 * start will: organizations, certificates and the validators' identities are checked here,
 * so a bad genesis is refused while it is being built, not at a node's start.
 */
export function checkGenesis(genesis: Genesis): void {
  const tree = new SparseMerkleTree(genesis.chainHash, new MemoryNodeStore());
  Executor.forGenesis(tree, genesis, DEFAULT_MODULES).genesis(genesis.modules, genesis);
}
