import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteId } from '@pujiang/crypto';
import type { ChainModule, NodeService, NodeServiceHost } from '@pujiang/module-kit';
import { hexToBytes } from '@pujiang/types';
import type { ValidatorNode } from '../validator-node.js';

/**
 * Starts the node services of the enabled modules that define one (`nodeService`): each
 * gets its peers' payloads, every committed block's events, and a directory of its own
 * under the node's data directory. A service that throws is logged, never the node's end.
 */
export function startModuleServices(
  node: ValidatorNode,
  settings: ReadonlyMap<string, unknown>,
  dataDir: string,
  log: (line: string) => void = () => {},
): { readonly services: ReadonlyMap<string, NodeService>; close(): Promise<void> } {
  const services = new Map<string, NodeService>();
  const chain = node.chain;
  const identity = (address: string) =>
    chain.executor.kernelCall('memberIdentity', chain.stateRoot, (lookup, read) =>
      lookup(read, address, { time: chain.lastBlockTime, chainHash: chain.genesis.chainHash }),
    );
  const guarded = (module: string, what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      log(`${module} service: ${what}: ${(error as Error).message}`);
    }
  };
  for (const module of node.chain.executor.enabledModules as readonly ChainModule[]) {
    if (!module.nodeService) continue;
    const name = module.name;
    const dir = join(dataDir, 'modules', name);
    const host: NodeServiceHost = {
      chainId: chain.genesis.chainId,
      chainHash: chain.genesis.chainHash,
      self: () => {
        const own = identity(node.nodeId);
        return own && own.problem === undefined
          ? { address: node.nodeId, org: own.org, role: own.role }
          : undefined;
      },
      peers: () =>
        node.peerIds().map((id) => {
          const [suite, hex] = id.split(':') as [string, string];
          const address = chain.addressOf({ suite: suite as SuiteId, bytes: hexToBytes(hex) });
          const peer = identity(address);
          return { id, org: peer && peer.problem === undefined ? peer.org : undefined };
        }),
      send: (peer, payload) => node.sendModuleData(peer, name, payload),
      query: (m, q, params) => chain.query(m, q, params),
      height: () => chain.height,
      get dataDir() {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        return dir;
      },
      log: (line) => log(`${name}: ${line}`),
    };
    const service = module.nodeService(host, settings.get(name));
    services.set(name, service);
    node.onModuleData(name, (peer, payload) =>
      guarded(name, 'peer message', () => service.onPeerMessage?.(peer, payload)),
    );
    if (service.onCommit)
      node.onCommit((c) =>
        guarded(name, 'commit', () =>
          service.onCommit?.(
            c.block.header.height,
            c.receipts.flatMap((r) => r.events),
          ),
        ),
      );
  }
  return {
    services,
    close: async () => {
      for (const service of services.values()) await service.close?.();
    },
  };
}
