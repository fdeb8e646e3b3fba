import { createServer, type Server, type Socket } from 'node:net';

/**
 * TCP proxies between every ordered pair of nodes, so a test can partition real processes:
 * node i reaches node j only through the proxy (i, j). Isolating a node destroys every
 * connection through its proxies and refuses new ones until `heal`.
 */
export class LinkProxies {
  private readonly servers: Server[] = [];
  private readonly live = new Map<string, Set<Socket>>();
  private readonly isolated = new Set<number>();
  /** port of the proxy for the link from node `from` to node `to`. */
  readonly ports = new Map<string, number>();

  private constructor() {}

  /** Proxies for n nodes whose peer listeners are at `targets[j]` (loopback ports). */
  static async start(targets: readonly number[]): Promise<LinkProxies> {
    const proxies = new LinkProxies();
    for (let from = 0; from < targets.length; from++)
      for (let to = 0; to < targets.length; to++) if (from !== to) await proxies.open(from, to, targets[to]!);
    return proxies;
  }

  portFor(from: number, to: number): number {
    return this.ports.get(`${from}>${to}`)!;
  }

  private open(from: number, to: number, target: number): Promise<void> {
    const key = `${from}>${to}`;
    const sockets = new Set<Socket>();
    this.live.set(key, sockets);
    const server = createServer((inbound) => {
      if (this.isolated.has(from) || this.isolated.has(to)) {
        inbound.destroy();
        return;
      }
      const outbound = new (inbound.constructor as typeof Socket)();
      outbound.connect(target, '127.0.0.1');
      sockets.add(inbound).add(outbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
        sockets.delete(inbound);
        sockets.delete(outbound);
      };
      inbound.on('error', close).on('close', close);
      outbound.on('error', close).on('close', close);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    this.servers.push(server);
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        this.ports.set(key, (server.address() as { port: number }).port);
        resolve();
      }),
    );
  }

  /** Cuts every link to and from `node` (open connections and new ones). */
  isolate(node: number): void {
    this.isolated.add(node);
    for (const [key, sockets] of this.live) {
      const [from, to] = key.split('>').map(Number);
      if (from === node || to === node) for (const s of [...sockets]) s.destroy();
    }
  }

  heal(): void {
    this.isolated.clear();
  }

  async close(): Promise<void> {
    for (const sockets of this.live.values()) for (const s of sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
