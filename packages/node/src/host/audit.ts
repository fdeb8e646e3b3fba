import { CHAIN_MODULES as DEFAULT_MODULES } from '@pujiang/modules/chain';
import { Chain } from '../chain/chain.js';
import { type ReplayReturnType, replayFromGenesis } from '../chain/replay.js';
import { chainDir } from '../data-dir.js';
import { loadHome } from './home.js';

/** Replays a home's stored chain from genesis (see `replayFromGenesis`); the node should be stopped. */
export async function replayHome(home: string): Promise<ReplayReturnType> {
  const { genesis, paths } = loadHome(home);
  const chain = Chain.open(chainDir(paths.data), genesis, DEFAULT_MODULES);
  try {
    return await replayFromGenesis(chain, DEFAULT_MODULES);
  } finally {
    await chain.close();
  }
}
