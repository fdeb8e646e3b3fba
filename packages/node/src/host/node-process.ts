import type { ChainModule } from '@pujiang/module-kit';
import { CHAIN_MODULES as DEFAULT_MODULES } from '@pujiang/modules/chain';
import { PujiangError } from '@pujiang/types';
import { ApiServer } from '../api/server.js';
import { PeerNetwork } from '../network/peer-network.js';
import { ValidatorNode } from '../validator-node.js';
import { type NodeConfig, parseHostPort } from './config.js';
import { loadHome } from './home.js';

export interface StartNodeParameters {
  readonly home: string;
  /** Overrides of config.json (e.g. a port from the command line). */
  readonly apiPort?: number;
  readonly apiHost?: string;
  readonly log?: (line: string) => void;
  /** The modules this node can run (default: `DEFAULT_MODULES`); the genesis picks among them. */
  readonly modules?: readonly ChainModule[];
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
  // A chain of several validators needs the peer network; one validator alone runs without.
  const wantsNetwork =
    config.p2p.listen !== '' || config.p2p.peers.length > 0 || genesis.validators.length > 1;
  const network = wantsNetwork
    ? new PeerNetwork({
        genesis,
        nodeKey,
        // No listen address: this node only dials (a full node behind a firewall, say).
        ...(config.p2p.listen ? { listen: parseHostPort(config.p2p.listen, 'p2p.listen') } : {}),
        peers: config.p2p.peers.map((peer, i) => parseHostPort(peer, `p2p.peers[${i}]`)),
        admit: config.p2p.admit,
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
    ...(network ? { transport: network } : {}),
    ...(p.log ? { log: p.log } : {}),
    ...(config.verifyWorkers > 0 ? { verifyWorkers: config.verifyWorkers } : {}),
  });
  if (network) {
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
      await network.stop();
      await node.stop();
      throw new PujiangError('NODE_P2P_LISTEN_FAILED', `cannot listen for peers on ${config.p2p.listen}`, {
        cause: (error as Error).message,
      });
    }
  }
  const host = p.apiHost ?? config.api.host;
  const api = new ApiServer(node, {
    host,
    port: p.apiPort ?? config.api.port,
    ...(p.log ? { log: p.log } : {}),
  });
  let port: number;
  try {
    port = await api.listen();
  } catch (error) {
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
    apiUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    config,
    stop: () => {
      stopping ??= (async () => {
        await api.close();
        await network?.stop();
        await node.stop();
      })();
      return stopping;
    },
  };
}
