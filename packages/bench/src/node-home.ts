import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateToPem, generateKeyPair, type SuiteId } from '@pujiang/crypto';
import {
  addressHex,
  initHome,
  issueMemberCertificate,
  loadOrganization,
  type NodeConfig,
} from '@pujiang/node';
import type { GenesisJson } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import type { JsonChild } from './child.js';
import type { NodeMessage } from './load-plan.js';
import { spawnNode } from './phase.js';

export interface BenchChain {
  readonly home: string;
  readonly chainId: string;
  /** Secret keys (hex) of the funded sender accounts. */
  readonly senders: string[];
  /** The node's settings as written (defaults, API on any free port). */
  readonly config: NodeConfig;
  readonly genesis: GenesisJson;
}

/**
 * The suite of a bench chain's validators and organization CA for senders of `suite`: the
 * same, except for a hybrid, which has no X.509 signature form (a CA cannot sign with it),
 * so its classical part: an SM2 chain whose clients sign with SM2+ML-DSA-65, the migration
 * path a government chain takes (its genesis accepts the hybrid from the start).
 */
export function validatorSuiteFor(suite: SuiteId): SuiteId {
  return suite.split('+')[0] as SuiteId;
}

/**
 * A single-validator home as `pujiang init` writes it, with `senders` accounts funded at
 * genesis so that per-sender mempool limits are not what the bench measures. Node settings
 * and block limits are left at their defaults.
 */
export function prepareChain(
  home: string,
  suite: SuiteId,
  senders: number,
  editGenesis?: (genesis: GenesisJson) => void,
): BenchChain {
  const chainId = `bench-${suite}`;
  const init = initHome({
    home,
    suite: validatorSuiteFor(suite),
    chainId: chainId.replace('+', '-'),
    apiPort: 0,
  });
  const genesis = JSON.parse(readFileSync(init.paths.genesis, 'utf8')) as GenesisJson;
  const funded = fundSenders(genesis, suite, senders, init.paths.org);
  editGenesis?.(genesis);
  writeFileSync(init.paths.genesis, `${JSON.stringify(genesis, null, 2)}\n`);
  return {
    home,
    chainId: genesis.chainId,
    senders: funded,
    config: JSON.parse(readFileSync(init.paths.config, 'utf8')) as NodeConfig,
    genesis,
  };
}

/** A validator under test, serving its API. */
export interface BenchNode {
  readonly chain: BenchChain;
  readonly node: JsonChild<NodeMessage>;
  readonly apiUrl: string;
  /** A scratch directory (load plans), deleted with the home. */
  readonly dir: string;
}

/**
 * Runs `fn` against one validator started in its own process on a fresh home with `senders`
 * funded, certified clients (optionally CPU-profiled into `profileDir`); then stops the node
 * (stdin closed: it exits normally, so a profile is written) and deletes the home.
 */
export async function withBenchNode<T>(
  o: {
    readonly label: string;
    readonly suite: SuiteId;
    readonly senders: number;
    readonly profileDir?: string;
    /** Changes the genesis before the node starts (module settings a group needs). */
    readonly editGenesis?: (genesis: GenesisJson) => void;
  },
  fn: (n: BenchNode) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `pujiang-bench-${o.label.replace(/\W+/g, '-')}-`));
  try {
    const chain = prepareChain(join(dir, 'home'), o.suite, o.senders, o.editGenesis);
    const node = spawnNode(chain.home, o.profileDir);
    try {
      return await fn({ chain, node, apiUrl: (await node.next('ready')).apiUrl, dir });
    } finally {
      const code = await node.end();
      if (code !== 0) console.error(`${o.label}: the node process exited with code ${code}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Adds `count` fresh `suite` accounts to a genesis: each a client of the organization whose
 * CA is in `orgDir` (registered from the first block, as the chain is permissioned), funded
 * far beyond what a run spends. Returns their secret keys (hex).
 */
export function fundSenders(genesis: GenesisJson, suite: SuiteId, count: number, orgDir: string): string[] {
  if (!genesis.acceptedSuites.includes(suite))
    throw new Error(`bench chain: genesis does not accept ${suite}`);
  const keys = Array.from({ length: count }, () => generateKeyPair(suite));
  const bank = genesis.modules.bank as { balances: Record<string, string> };
  const governance = genesis.modules.governance as { identities: string[] };
  const org = loadOrganization(orgDir);
  for (const key of keys) {
    bank.balances[addressHex(genesis.chainHash, key)] = String(10n ** 15n);
    const certificate = issueMemberCertificate(org, {
      publicKey: key.publicKey,
      role: 'client',
      commonName: 'bench sender',
    });
    governance.identities.push(certificateToPem(certificate));
  }
  return keys.map((k) => bytesToHex(k.secretKey.bytes));
}
