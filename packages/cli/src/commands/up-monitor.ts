import { readFileSync, writeFileSync } from 'node:fs';
import type { LocalNetwork } from '@pujiang/node';
import { homePaths } from '@pujiang/node';

/**
 * `up --monitor`: a security monitor beside the local network, listening on the port after
 * the nodes' (base port + 2 × nodes), and every node's console pointed at it, so the
 * console's alerts page shows what it raises.
 */
export function monitorUrl(network: LocalNetwork): string | undefined {
  const port = network.basePort + 2 * network.nodes.length;
  return port <= 65535 ? `http://127.0.0.1:${port}` : undefined;
}

/**
 * The monitor's command line: every node of the network, serving on `url`, readable from
 * the nodes' own origins only (each node's console shows the alerts).
 */
export function monitorArgs(network: LocalNetwork, url: string): string[] {
  return [
    'monitor',
    ...network.nodes.flatMap((n) => ['--node', n.api]),
    '--listen',
    new URL(url).host,
    ...[...new Set(network.nodes.map((n) => new URL(n.api).origin))].flatMap((o) => ['--cors', o]),
  ];
}

/**
 * Points each node's console at the monitor `up --monitor` runs (`url`), or, run without
 * `--monitor` (`url` undefined), takes back a pointer an earlier `up --monitor` wrote, so the
 * console does not look for a monitor that is not running. A node reads its config at start,
 * so this runs before the nodes start; a monitor the operator chose stays.
 */
export function pointConsolesAt(network: LocalNetwork, url: string | undefined): void {
  const ours = monitorUrl(network);
  for (const node of network.nodes) {
    const path = homePaths(node.home).config;
    const config = JSON.parse(readFileSync(path, 'utf8')) as { console?: Record<string, unknown> };
    const current = config.console?.monitor;
    if (url !== undefined && current === undefined) config.console = { ...config.console, monitor: url };
    else if (url === undefined && current !== undefined && current === ours) {
      const { monitor: _, ...rest } = config.console ?? {};
      config.console = rest;
    } else continue;
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  }
}
