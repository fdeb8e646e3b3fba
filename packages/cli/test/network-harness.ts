import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
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

/**
 * N homes of one chain: each node's own key, one genesis naming all N as validators (the
 * first home's operator funded), and configs that listen on their own p2p port and dial
 * every other one.
 */
export async function initNetwork(n: number, suite = 'ed25519'): Promise<InitOutput[]> {
  const homes = Array.from({ length: n }, () => initHome(suite));
  const ports = await Promise.all(homes.map(() => freePort()));
  const genesis = JSON.parse(readFileSync(homes[0]!.genesis, 'utf8'));
  genesis.validators = homes.map((h, i) => {
    const key = JSON.parse(readFileSync(join(h.home, 'node_key.json'), 'utf8'));
    return { name: `node${i}`, suite: key.suite, publicKey: key.publicKey, power: 10 };
  });
  homes.forEach((h, i) => {
    writeFileSync(h.genesis, JSON.stringify(genesis, null, 2));
    const configPath = join(h.home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.p2p = {
      listen: `127.0.0.1:${ports[i]}`,
      peers: ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`),
    };
    config.timeouts = FAST_CONFIG.timeouts;
    writeFileSync(configPath, JSON.stringify(config, null, 2));
  });
  return homes.map((h) => ({
    ...h,
    chainId: genesis.chainId,
    operatorKey: homes[0]!.operatorKey,
    operatorAddress: homes[0]!.operatorAddress,
  }));
}
