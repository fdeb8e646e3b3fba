import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChainModule } from '@pujiang/module-kit';
import { CHAIN_MODULES as DEFAULT_MODULES } from '@pujiang/modules/chain';
import { PujiangError } from '@pujiang/types';
import { ApiServer } from '../api/server.js';
import { allowsClockControl, clockControlRefused } from '../clock.js';
import { PeerNetwork } from '../network/peer-network.js';
import { ValidatorNode } from '../validator-node.js';
import { type NodeConfig, parseHostPort } from './config.js';
import { loadHome } from './home.js';
import { lockHome } from './home-lock.js';
import { startModuleServices } from './module-services.js';
import { parsePeer } from './peer-address.js';

export interface StartNodeParameters {
  readonly home: string;
  /** Overrides of config.json (e.g. a port from the command line). */
  readonly apiPort?: number;
  readonly apiHost?: string;
  /** Serve the API over HTTPS with these PEM files (overrides config `api.tls`). */
  readonly apiTls?: { readonly cert: string; readonly key: string };
  readonly log?: (line: string) => void;
  /** The modules this node can run (default: `DEFAULT_MODULES`); the genesis picks among them. */
  readonly modules?: readonly ChainModule[];
  /** The web console's build to serve at `/console/` (the CLI passes `@pujiang/console`'s). */
  readonly consoleDir?: string;
}

export interface RunningNode {
  readonly node: ValidatorNode;
  readonly api: ApiServer;
  readonly apiUrl: string;
  readonly config: NodeConfig;
  stop(): Promise<void>;
}

/** Opens the node of a home directory and serves its API; `stop` closes both, store last. */
export async function startNode(p: StartNodeParameters): Promise<RunningNode> {
  const { genesis, config, nodeKey, paths } = loadHome(p.home);
  // config.json's testing section (a clock offset, its tokens) is for test chains only.
  if (config.testing !== undefined && !allowsClockControl(genesis))
    throw clockControlRefused(genesis.chainId, { field: 'testing' });
  const unlock = lockHome(p.home);
  try {
    return await startLocked(p, { genesis, config, nodeKey, paths }, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function startLocked(
  p: StartNodeParameters,
  { genesis, config, nodeKey, paths }: ReturnType<typeof loadHome>,
  unlock: () => void,
): Promise<RunningNode> {
  // A chain of several validators needs the peer network; one validator alone runs without.
  const wantsNetwork =
    config.p2p.listen !== '' || config.p2p.peers.length > 0 || genesis.validators.length > 1;
  const network = wantsNetwork
    ? new PeerNetwork({
        genesis,
        nodeKey,
        // No listen address: this node only dials (a full node behind a firewall, say).
        ...(config.p2p.listen ? { listen: parseHostPort(config.p2p.listen, 'p2p.listen') } : {}),
        peers: config.p2p.peers.map((peer, i) => parsePeer(peer, `p2p.peers[${i}]`)),
        admit: config.p2p.admit,
        limits: config.p2p.limits,
        ...(p.log ? { log: p.log } : {}),
      })
    : undefined;
  const node = new ValidatorNode({
    dataDir: paths.data,
    genesis,
    modules: p.modules ?? DEFAULT_MODULES,
    secretKey: nodeKey.secretKey,
    timeouts: config.timeouts,
    blockIntervalMs: config.blockIntervalMs,
    mempool: config.mempool,
    keepBlocks: config.pruning.keepBlocks,
    ...(config.testing ? { clockOffsetMs: config.testing.clockOffsetMs } : {}),
    ...(network ? { transport: network } : {}),
    ...(p.log ? { log: p.log } : {}),
    ...(config.verifyWorkers > 0 ? { verifyWorkers: config.verifyWorkers } : {}),
  });
  // Modules' node services start before any peer can send them anything or a block commits.
  let services: ReturnType<typeof startModuleServices>;
  let settings: Map<string, unknown>;
  try {
    settings = moduleSettings(node.chain.executor.enabledModules, config, p.home, genesis.chainId);
    services = startModuleServices(node, settings, paths.data, p.log);
  } catch (error) {
    await node.stop();
    throw error;
  }
  if (network) {
    network.useWorkers(node.pool);
    network.setMembership((key, admitted) => node.isPeerMember(key, admitted));
    // Revocations and validator changes take effect on open links too.
    node.onCommit(() => network.revalidate());
    network.onMessage((peer, payload) => node.receive(peer, payload));
    network.onPeer(
      (peer) => node.peerConnected(peer),
      (peer) => node.peerDisconnected(peer),
    );
    try {
      await network.start();
    } catch (error) {
      await services.close();
      await network.stop();
      await node.stop();
      throw new PujiangError('NODE_P2P_LISTEN_FAILED', `cannot listen for peers on ${config.p2p.listen}`, {
        cause: (error as Error).message,
      });
    }
  }
  const host = p.apiHost ?? config.api.host;
  let api: ApiServer;
  let tls: { cert: string; key: string } | undefined;
  try {
    tls = readTls(p.apiTls ?? config.api.tls, p.home);
    api = new ApiServer(node, {
      host,
      port: p.apiPort ?? config.api.port,
      ...(p.log ? { log: p.log } : {}),
      ...(tls ? { tls } : {}),
      ...(config.api.reads ? { reads: config.api.reads } : {}),
      moduleConfig: settings,
      moduleServices: services.services,
      ...(config.testing ? { clockTokenSha256: config.testing.clockTokenSha256 } : {}),
      ...(p.consoleDir && config.console.enabled
        ? {
            console: {
              dir: p.consoleDir,
              ...(config.console.indexer ? { indexer: config.console.indexer } : {}),
              ...(config.console.monitor ? { monitor: config.console.monitor } : {}),
            },
          }
        : {}),
    });
  } catch (error) {
    await services.close();
    await network?.stop();
    await node.stop();
    throw error;
  }
  let port: number;
  try {
    port = await api.listen();
  } catch (error) {
    await services.close();
    await network?.stop();
    await node.stop();
    throw new PujiangError(
      'NODE_API_LISTEN_FAILED',
      `cannot listen on ${host}:${p.apiPort ?? config.api.port}`,
      {
        cause: (error as Error).message,
      },
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    node,
    api,
    apiUrl: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    config,
    stop: () => {
      stopping ??= (async () => {
        await api.close();
        await services.close();
        await network?.stop();
        await node.stop();
        unlock();
      })();
      return stopping;
    },
  };
}

/** The API's certificate and key, read from PEM files (paths relative to the home). */
function readTls(
  paths: { readonly cert: string; readonly key: string } | undefined,
  home: string,
): { cert: string; key: string } | undefined {
  if (!paths) return undefined;
  const read = (path: string, field: string) => {
    try {
      return readFileSync(resolve(home, path), 'utf8');
    } catch (error) {
      throw new PujiangError(
        'CONFIG_INVALID',
        `config: cannot read ${field} ${path}: ${(error as Error).message}`,
        {
          field,
        },
      );
    }
  };
  return { cert: read(paths.cert, 'api.tls.cert'), key: read(paths.key, 'api.tls.key') };
}

/** Each enabled module's node settings, read by the module (a malformed section stops the start: CONFIG_INVALID). */
function moduleSettings(
  modules: readonly ChainModule[],
  config: NodeConfig,
  home: string,
  chainId: string,
): Map<string, unknown> {
  for (const name of Object.keys(config.modules))
    if (!modules.some((m) => m.name === name))
      throw new PujiangError(
        'CONFIG_INVALID',
        `config: modules.${name} configures a module this chain does not run`,
        {
          field: `modules.${name}`,
        },
      );
  const settings = new Map<string, unknown>();
  for (const module of modules)
    if (module.nodeConfig)
      settings.set(module.name, module.nodeConfig(config.modules[module.name], { home, chainId }));
  return settings;
}
