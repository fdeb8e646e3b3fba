import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './fs-atomic.js';
import { homePaths } from './home.js';
import { readKeyFile } from './key-file.js';
import { formatPeer, parseHostPort } from './peer-address.js';

/**
 * Writes each local node's peers with their node keys (`suite:hex@host:port`), so that a dial
 * answered by another key is refused. Done when `pujiang up` creates a network, and when it
 * reuses one written before peers carried keys (the upgrade: same addresses, keys added).
 * A node whose peer list someone edited (not exactly the other nodes) is left as it is.
 */
export function writeKeyedPeers(nodes: readonly { home: string; p2p: string }[]): void {
  const keys = nodes.map((node) => readKeyFile(homePaths(node.home).nodeKey).publicKey);
  nodes.forEach((node, i) => {
    const others = nodes.flatMap((other, j) => (j === i ? [] : [{ other, key: keys[j]! }]));
    const path = homePaths(node.home).config;
    const config = JSON.parse(readFileSync(path, 'utf8'));
    const current: unknown = config.p2p?.peers;
    const plain = others.map(({ other }) => other.p2p);
    const keyed = others.map(({ other, key }) => formatPeer(parseHostPort(other.p2p, 'p2p'), key));
    const same = (a: readonly string[]) =>
      Array.isArray(current) && current.length === a.length && a.every((p, k) => current[k] === p);
    if (same(keyed) || !same(plain)) return;
    config.p2p = { ...config.p2p, peers: keyed };
    writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
  });
}
