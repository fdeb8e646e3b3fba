import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { certificateToPem } from '@pujiang/crypto';
import type { Role } from '@pujiang/module-governance';
import { issueMemberCertificate, loadOrganization, readKeyFile } from '@pujiang/node';
import { LinkProxies } from './link-proxies.js';
import { FAST_CONFIG, type InitOutput, initHome } from './node-harness.js';

/** A free loopback port (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface NetworkOptions {
  readonly suite?: string;
  /** Node keys ("suite:hex") every validator admits besides the validators (full nodes, test peers). */
  readonly admit?: readonly string[];
  /** Route every link through `LinkProxies`, so the test can partition nodes. */
  readonly proxies?: boolean;
  /** A test chain whose block time the test moves forward (`advanceNetworkClock` with each node's api and home). */
  readonly testClock?: boolean;
}

export type NetworkHome = InitOutput & { readonly p2pPort: number };

/** The "suite:hex" name of a home's node key, as config p2p.admit lists it. */
export function nodeKeyName(home: string): string {
  const key = JSON.parse(readFileSync(join(home, 'node_key.json'), 'utf8'));
  return `${key.suite}:${key.publicKey}`;
}

/**
 * N homes of one chain: each node's own key, one genesis naming all N as validators (the
 * first home's operator funded), and configs that listen on their own p2p port and dial
 * every other one (directly, or through a proxy per ordered pair).
 */
export async function initNetwork(
  n: number,
  o: NetworkOptions = {},
): Promise<{ homes: NetworkHome[]; proxies?: LinkProxies }> {
  const homes = Array.from({ length: n }, () => initHome(o.suite ?? 'ed25519', 0, o.testClock));
  const ports = await Promise.all(homes.map(() => freePort()));
  const proxies = o.proxies ? await LinkProxies.start(ports) : undefined;
  const genesis = JSON.parse(readFileSync(homes[0]!.genesis, 'utf8'));
  genesis.validators = homes.map((h, i) => {
    const key = JSON.parse(readFileSync(join(h.home, 'node_key.json'), 'utf8'));
    return { name: `node${i}`, suite: key.suite, publicKey: key.publicKey, power: 10 };
  });
  // The chain is permissioned: the first home's organization certifies every validator.
  genesis.modules.governance.identities.push(
    ...homes.slice(1).map((h) => certifyNode(homes[0]!.home, h.home, 'validator')),
  );
  homes.forEach((h, i) => {
    writeFileSync(h.genesis, JSON.stringify(genesis, null, 2));
    const configPath = join(h.home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    // Each peer named by its node key, as operators write them (a dial answered by another key is refused).
    const keyOf = (j: number) => `${genesis.validators[j].suite}:${genesis.validators[j].publicKey}`;
    config.p2p = {
      listen: `127.0.0.1:${ports[i]}`,
      peers: ports.flatMap((p, j) =>
        j === i ? [] : [`${keyOf(j)}@127.0.0.1:${proxies ? proxies.portFor(i, j) : p}`],
      ),
      admit: [...(o.admit ?? [])],
    };
    config.timeouts = FAST_CONFIG.timeouts;
    writeFileSync(configPath, JSON.stringify(config, null, 2));
  });
  return {
    homes: homes.map((h, i) => ({
      ...h,
      chainId: genesis.chainId,
      operatorKey: homes[0]!.operatorKey,
      operatorAddress: homes[0]!.operatorAddress,
      p2pPort: ports[i]!,
    })),
    ...(proxies ? { proxies } : {}),
  };
}

/** A certificate (PEM) for `home`'s node key from `orgHome`'s organization CA. */
export function certifyNode(orgHome: string, home: string, role: Role): string {
  const key = readKeyFile(join(home, 'node_key.json'));
  return certificateToPem(
    issueMemberCertificate(loadOrganization(join(orgHome, 'org')), {
      publicKey: key.publicKey,
      role,
      commonName: `node ${home}`,
    }),
  );
}

/** Makes `home` a full node of the network: the network's genesis, and every validator as a peer. */
export function joinAsFullNode(home: InitOutput, network: readonly NetworkHome[]): void {
  writeFileSync(home.genesis, readFileSync(network[0]!.genesis));
  const configPath = join(home.home, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  config.p2p = { listen: '', peers: network.map((h) => `127.0.0.1:${h.p2pPort}`), admit: [] };
  config.timeouts = FAST_CONFIG.timeouts;
  writeFileSync(configPath, JSON.stringify(config, null, 2));
}
