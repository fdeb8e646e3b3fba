import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { certificateToPem, isSuiteId, type SuiteId } from '@pujiang/crypto';
import type { GovernanceGenesisJson } from '@pujiang/module-governance/chain';
import { type GenesisJson, parseGenesis } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';
import { writeFileAtomic } from './fs-atomic.js';
import { homePaths, initHome } from './home.js';
import { writeKeyedPeers } from './local-network-peers.js';

/**
 * A network of N validators on one machine, for development: DIR/node0..node{N-1} are
 * ordinary node homes sharing one genesis, and DIR/network.json says where each listens.
 * network.json is written last, so its presence means the homes are complete.
 */
export const LOCAL_NETWORK_FILE = 'network.json';
export const DEFAULT_LOCAL_NODES = 4;
/** node0's API lands on 26657, where a single `pujiang node start` serves by default. */
export const DEFAULT_LOCAL_BASE_PORT = 26657;
/** Every node dials every other one; past this a laptop spends its time on links, not blocks. */
export const MAX_LOCAL_NODES = 64;
const LOCAL_HOST = '127.0.0.1';
const POWER = 10;

export type LocalNetworkErrorCode =
  | 'LOCALNET_BAD_PARAMETERS'
  | 'LOCALNET_MISMATCH'
  | 'LOCALNET_INVALID'
  | 'LOCALNET_INCOMPLETE';

export interface LocalNetworkParameters {
  readonly dir: string;
  /** Number of validators (default 4); on reuse, omitted means whatever the network has. */
  readonly nodes?: number;
  /** node i's API listens on basePort + 2i, its p2p on basePort + 2i + 1 (default 26657). */
  readonly basePort?: number;
  /** Every validator's and the operator's suite (default ed25519). */
  readonly suite?: SuiteId;
  /** A new network's idle pacing (default 30,000 ms; 0: a block every block interval). */
  readonly emptyBlockIntervalMs?: number;
  /** A test chain whose clock tests may move forward: each home gets a clock token (test-clock.ts). */
  readonly testClock?: boolean;
}

export interface LocalNetworkNode {
  readonly name: string;
  /** "http://127.0.0.1:PORT" */
  readonly api: string;
  /** "127.0.0.1:PORT" */
  readonly p2p: string;
  readonly home: string;
}

/** The content of network.json. */
export interface LocalNetworkFile {
  readonly chainId: string;
  readonly suite: SuiteId;
  readonly basePort: number;
  /** node0's operator key file: the account funded at genesis and allowed to mint. */
  readonly operatorKey: string;
  readonly operatorAddress: string;
  readonly nodes: readonly LocalNetworkNode[];
}

export interface LocalNetwork extends LocalNetworkFile {
  /** The path of network.json. */
  readonly file: string;
  /** False when an existing network was reused (same keys, same chain). */
  readonly created: boolean;
}

function error(code: LocalNetworkErrorCode, message: string, details: Record<string, unknown>) {
  return new PujiangError<LocalNetworkErrorCode>(code, message, details);
}

function checkParameters(p: LocalNetworkParameters): void {
  const { nodes, basePort } = p;
  if (nodes !== undefined && (!Number.isSafeInteger(nodes) || nodes < 1 || nodes > MAX_LOCAL_NODES))
    throw error('LOCALNET_BAD_PARAMETERS', `nodes must be an integer from 1 to ${MAX_LOCAL_NODES}`, {
      field: 'nodes',
      value: nodes,
    });
  const span = 2 * (nodes ?? DEFAULT_LOCAL_NODES);
  if (basePort !== undefined && (!Number.isSafeInteger(basePort) || basePort < 1 || basePort + span > 65536))
    throw error('LOCALNET_BAD_PARAMETERS', `basePort must leave ${span} ports below 65536`, {
      field: 'basePort',
      value: basePort,
    });
}

/**
 * Creates the homes of a local network in `dir`, or reuses the one already there (the same
 * keys, so the same chain resumes). Existing keys are never overwritten: parameters that
 * disagree with an existing network are `LOCALNET_MISMATCH`.
 */
export function initLocalNetwork(p: LocalNetworkParameters): LocalNetwork {
  checkParameters(p);
  const file = join(p.dir, LOCAL_NETWORK_FILE);
  if (existsSync(file)) return reuse(p, file);
  return create(p, file);
}

function create(p: LocalNetworkParameters, file: string): LocalNetwork {
  const n = p.nodes ?? DEFAULT_LOCAL_NODES;
  const basePort = p.basePort ?? DEFAULT_LOCAL_BASE_PORT;
  const suite = p.suite ?? 'ed25519';
  if (existsSync(p.dir) && !statSync(p.dir).isDirectory())
    throw error('LOCALNET_BAD_PARAMETERS', `${p.dir} is not a directory`, { field: 'dir', value: p.dir });
  const leftovers = existsSync(p.dir) ? readdirSync(p.dir).filter((entry) => /^node[0-9]+$/.test(entry)) : [];
  if (leftovers.length > 0)
    // A creation that stopped half-way: its keys are nobody's yet, but deleting keys is the user's call.
    throw error(
      'LOCALNET_INCOMPLETE',
      `${p.dir} holds node homes (${leftovers.join(', ')}) but no ${LOCAL_NETWORK_FILE}; remove them or choose another directory`,
      { dir: p.dir, homes: leftovers },
    );
  mkdirSync(p.dir, { recursive: true });
  const root = resolve(p.dir);
  const nodes = Array.from({ length: n }, (_, i) => nodeAt(root, i, basePort));
  const inits = nodes.map((node, i) =>
    initHome({
      home: node.home,
      suite,
      // One organization per node, as in a consortium: each with its CA, validator and admin.
      org: `org${i}`,
      apiHost: LOCAL_HOST,
      apiPort: basePort + 2 * i,
      p2p: { listen: node.p2p, peers: nodes.filter((_, j) => j !== i).map((other) => other.p2p) },
      ...(p.emptyBlockIntervalMs === undefined ? {} : { emptyBlockIntervalMs: p.emptyBlockIntervalMs }),
      ...(p.testClock ? { testClock: true } : {}),
    }),
  );
  const first = inits[0]!;
  const genesis = JSON.parse(readFileSync(first.paths.genesis, 'utf8')) as GenesisJson;
  genesis.validators = inits.map((init, i) => ({
    name: nodes[i]!.name,
    suite,
    publicKey: Buffer.from(init.nodeKey.publicKey.bytes).toString('hex'),
    power: POWER,
  }));
  genesis.modules.governance = {
    ...(genesis.modules.governance as GovernanceGenesisJson),
    organizations: inits.map((init) => ({
      id: init.org.id,
      name: init.org.id,
      caCertificate: certificateToPem(init.org.certificate),
    })),
    identities: inits.flatMap((init) => [init.nodeCertificate, init.operatorCertificate]),
  };
  parseGenesis(genesis);
  writeKeyedPeers(nodes);
  const genesisText = `${JSON.stringify(genesis, null, 2)}\n`;
  // Every node's operator is its organization's admin (they vote on proposals); node0's is funded.
  for (const init of inits) writeFileAtomic(init.paths.genesis, genesisText);
  const content: LocalNetworkFile = {
    chainId: genesis.chainId,
    suite,
    basePort,
    operatorKey: first.paths.operatorKey,
    operatorAddress: first.operatorAddress,
    nodes,
  };
  writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
  return { ...content, file, created: true };
}

function nodeAt(root: string, i: number, basePort: number): LocalNetworkNode {
  return {
    name: `node${i}`,
    api: `http://${LOCAL_HOST}:${basePort + 2 * i}`,
    p2p: `${LOCAL_HOST}:${basePort + 2 * i + 1}`,
    home: join(root, `node${i}`),
  };
}

function reuse(p: LocalNetworkParameters, file: string): LocalNetwork {
  const stored = readNetworkFile(file);
  const mismatches: { field: string; requested: unknown; existing: unknown }[] = [];
  const compare = (field: string, requested: unknown, existing: unknown) => {
    if (requested !== undefined && requested !== existing) mismatches.push({ field, requested, existing });
  };
  compare('nodes', p.nodes, stored.nodes.length);
  compare('suite', p.suite, stored.suite);
  compare('basePort', p.basePort, stored.basePort);
  if (p.testClock) compare('testClock', true, hasTestClock(join(resolve(p.dir), 'node0')));
  if (mismatches.length > 0)
    throw error(
      'LOCALNET_MISMATCH',
      `${file} describes ${stored.nodes.length} ${stored.suite} validators from port ${stored.basePort} (chain ${stored.chainId}); ` +
        `asked for ${mismatches.map((m) => `${m.field} ${m.requested}`).join(', ')}: use the existing values or another directory`,
      { file, chainId: stored.chainId, mismatches },
    );
  // Homes are found next to network.json, so a moved directory still works; the file follows.
  const root = resolve(p.dir);
  const nodes = stored.nodes.map((node, i) => ({ ...node, home: join(root, `node${i}`) }));
  const missing = nodes.filter((node) => !existsSync(homePaths(node.home).nodeKey)).map((node) => node.name);
  if (missing.length > 0)
    throw error('LOCALNET_INCOMPLETE', `${file} names nodes whose homes are missing: ${missing.join(', ')}`, {
      file,
      missing,
    });
  writeKeyedPeers(nodes);
  const content: LocalNetworkFile = { ...stored, operatorKey: homePaths(nodes[0]!.home).operatorKey, nodes };
  if (JSON.stringify(content) !== JSON.stringify(stored))
    writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
  return { ...content, file, created: false };
}

/** Whether a home's chain is a test chain whose clock may move (its genesis allows it). */
function hasTestClock(home: string): boolean {
  try {
    return (
      parseGenesis(JSON.parse(readFileSync(homePaths(home).genesis, 'utf8'))).testing?.clockControl === true
    );
  } catch {
    return false; // a missing or broken home is reported as incomplete below
  }
}

/** Reads network.json, checking the shape `up` relies on; anything else is `LOCALNET_INVALID`. */
function readNetworkFile(file: string): LocalNetworkFile {
  const invalid = (why: string) => error('LOCALNET_INVALID', `${file}: ${why}`, { file });
  let json: Partial<Record<keyof LocalNetworkFile, unknown>>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw error('LOCALNET_INVALID', `${file} is not readable JSON`, { file, cause: (e as Error).message });
  }
  if (typeof json !== 'object' || json === null) throw invalid('not a JSON object');
  const { chainId, suite, basePort, operatorKey, operatorAddress, nodes } = json;
  if (typeof chainId !== 'string') throw invalid('chainId must be a string');
  if (!isSuiteId(suite)) throw invalid('suite must be a known suite');
  if (!Number.isSafeInteger(basePort)) throw invalid('basePort must be an integer');
  if (typeof operatorKey !== 'string' || typeof operatorAddress !== 'string')
    throw invalid('operatorKey and operatorAddress must be strings');
  if (!Array.isArray(nodes) || nodes.length < 1 || nodes.length > MAX_LOCAL_NODES)
    throw invalid(`nodes must list 1 to ${MAX_LOCAL_NODES} nodes`);
  nodes.forEach((node: Partial<Record<keyof LocalNetworkNode, unknown>>, i) => {
    if (
      node?.name !== `node${i}` ||
      typeof node.api !== 'string' ||
      typeof node.p2p !== 'string' ||
      typeof node.home !== 'string'
    )
      throw invalid(`nodes[${i}] must be {name: "node${i}", api, p2p, home}`);
  });
  return {
    chainId,
    suite,
    basePort: basePort as number,
    operatorKey,
    operatorAddress,
    nodes: nodes as LocalNetworkNode[],
  };
}
