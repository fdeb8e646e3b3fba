import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type HashAlgorithm, isSuiteId, type KeyPair, type SuiteId } from '@pujiang/crypto';
import {
  homePaths,
  LOCAL_NETWORK_FILE,
  loadOrganization,
  type OrganizationCa,
  readKeyFile,
} from '@pujiang/node';
import { type Genesis, parseGenesis } from '@pujiang/sdk';
import { PujiangError } from '@pujiang/types';

/**
 * What onboarding finds in a local network's home (made by `pujiang up`): each node's API and
 * home, and in each home the organization's CA (org/) and its admin's key (keys/operator.json).
 * Only read here: network.json and the node homes belong to `up`.
 */

export type OnboardNetworkErrorCode = 'ONBOARD_NO_NETWORK' | 'ONBOARD_UNKNOWN_ORG';

export interface LocalNode {
  readonly name: string;
  readonly api: string;
  readonly home: string;
}

export interface LocalNet {
  readonly home: string;
  readonly chainId: string;
  readonly suite: SuiteId;
  readonly chainHash: HashAlgorithm;
  readonly nodes: readonly LocalNode[];
  /** node0's genesis.json: the pinned genesis verification starts from. */
  readonly genesisPath: string;
  readonly genesis: Genesis;
}

const noNetwork = (home: string, why: string) =>
  new PujiangError<OnboardNetworkErrorCode>(
    'ONBOARD_NO_NETWORK',
    `${home} is not a local network made by pujiang up (${why}); start one with npm start, or name it with --home`,
    { home },
  );

/** Reads network.json and node0's genesis; ONBOARD_NO_NETWORK when either is missing or unreadable. */
export function readLocalNetwork(home: string): LocalNet {
  const file = join(home, LOCAL_NETWORK_FILE);
  if (!existsSync(file)) throw noNetwork(home, `no ${LOCAL_NETWORK_FILE}`);
  let json: { chainId?: unknown; suite?: unknown; nodes?: { name?: unknown; api?: unknown }[] };
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw noNetwork(home, `${file}: ${(error as Error).message}`);
  }
  const { chainId, suite, nodes } = json;
  if (typeof chainId !== 'string' || !isSuiteId(suite) || !Array.isArray(nodes) || nodes.length === 0)
    throw noNetwork(home, `${file} lacks chainId, suite or nodes`);
  // Homes sit next to network.json (as `up` finds them), so a moved directory still works.
  const root = resolve(home);
  const local = nodes.map((n, i) => {
    if (n?.name !== `node${i}` || typeof n.api !== 'string') throw noNetwork(home, `${file}: nodes[${i}]`);
    return { name: n.name, api: n.api, home: join(root, n.name) };
  });
  const genesisPath = homePaths(local[0]!.home).genesis;
  let genesis: Genesis;
  try {
    genesis = parseGenesis(JSON.parse(readFileSync(genesisPath, 'utf8')));
  } catch (error) {
    throw noNetwork(home, `${genesisPath}: ${(error as Error).message}`);
  }
  if (genesis.chainId !== chainId) throw noNetwork(home, `${genesisPath} is another chain's`);
  return { home, chainId, suite, chainHash: genesis.chainHash, nodes: local, genesisPath, genesis };
}

/** The node whose home holds organization `org`'s CA, and that CA (ONBOARD_UNKNOWN_ORG otherwise). */
export function orgOf(net: LocalNet, org: string): { node: LocalNode; ca: OrganizationCa; caDir: string } {
  const found: string[] = [];
  for (const node of net.nodes) {
    const caDir = homePaths(node.home).org;
    if (!existsSync(caDir)) continue;
    const ca = loadOrganization(caDir);
    if (ca.id === org) return { node, ca, caDir };
    found.push(ca.id);
  }
  throw new PujiangError<OnboardNetworkErrorCode>(
    'ONBOARD_UNKNOWN_ORG',
    `no organization ${org} in ${net.home} (its organizations: ${found.join(', ')})`,
    { org, organizations: found },
  );
}

/** Each node's organization admin key (they vote on governance proposals). */
export const operatorKeys = (net: LocalNet): KeyPair[] =>
  net.nodes.map((node) => readKeyFile(homePaths(node.home).operatorKey));
