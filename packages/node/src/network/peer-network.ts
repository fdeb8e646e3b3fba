import type { KeyPair, PublicKey } from '@pujiang/crypto';
import { dialPeer, type PeerLink, PeerListener } from '@pujiang/p2p';
import type { Genesis } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import type { PeerTransport } from '../validator-node.js';

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

export interface PeerNetworkOptions {
  readonly genesis: Genesis;
  readonly nodeKey: KeyPair;
  readonly listen: PeerAddress;
  /** Addresses to dial; who answers is learned (and checked against the membership) in the handshake. */
  readonly peers: readonly PeerAddress[];
  readonly log?: (line: string) => void;
}

const peerId = (key: PublicKey) => `${key.suite}:${bytesToHex(key.bytes)}`;

/**
 * The validators' mesh over authenticated links: it listens, dials every configured peer
 * (again, with backoff up to 30 s, whenever a link drops), and admits only the genesis
 * validators' node keys. Two nodes may hold two links (each dialed the other); messages go
 * out on the newest, and duplicates are harmless (consensus and mempool drop repeats).
 */
export class PeerNetwork implements PeerTransport {
  private readonly listener: PeerListener;
  private readonly links = new Map<string, PeerLink[]>();
  private readonly members: ReadonlySet<string>;
  private handler: (peer: string, payload: Uint8Array) => void = () => {};
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly o: PeerNetworkOptions) {
    this.members = new Set(o.genesis.validators.map((v) => peerId(v.publicKey)));
    this.listener = new PeerListener(this.linkOptions());
    this.listener.on('link', (link) => this.add(link));
    this.listener.on('refused', (error) => o.log?.(`p2p: refused a connection: ${error.code}`));
  }

  private linkOptions() {
    const g = this.o.genesis;
    return {
      chainId: g.chainId,
      nodeKey: this.o.nodeKey,
      isMember: (key: PublicKey) => this.members.has(peerId(key)),
      aead: g.chainHash === 'sm3' ? ('sm4-gcm' as const) : ('aes-256-gcm' as const),
    };
  }

  /** Where incoming payloads go (the node's `receive`). */
  onMessage(handler: (peer: string, payload: Uint8Array) => void): void {
    this.handler = handler;
  }

  async start(): Promise<number> {
    const port = await this.listener.listen(this.o.listen.port, this.o.listen.host);
    for (const address of this.o.peers) this.dial(address, 0);
    return port;
  }

  get peerCount(): number {
    let n = 0;
    for (const links of this.links.values()) if (links.length > 0) n++;
    return n;
  }

  private dial(address: PeerAddress, attempt: number): void {
    if (this.stopped) return;
    dialPeer(address.host, address.port, this.linkOptions()).then(
      (link) => {
        this.add(link);
        link.on('close', () => this.later(() => this.dial(address, 0), 1_000));
      },
      () => this.later(() => this.dial(address, attempt + 1), Math.min(30_000, 250 * 2 ** attempt)),
    );
  }

  private later(run: () => void, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private add(link: PeerLink): void {
    if (this.stopped) {
      link.close();
      return;
    }
    const id = peerId(link.peer);
    const links = this.links.get(id) ?? [];
    links.push(link);
    this.links.set(id, links);
    link.on('message', (payload) => this.handler(id, payload));
    link.on('close', (reason) => {
      const rest = (this.links.get(id) ?? []).filter((l) => l !== link);
      this.links.set(id, rest);
      if (reason) this.o.log?.(`p2p: link to ${id.slice(0, 20)} closed: ${reason.code}`);
    });
  }

  broadcast(payload: Uint8Array): void {
    for (const links of this.links.values()) links[links.length - 1]?.send(payload);
  }

  send(peer: string, payload: Uint8Array): void {
    const links = this.links.get(peer);
    links?.[links.length - 1]?.send(payload);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const links of this.links.values()) for (const link of links) link.close();
    await this.listener.close();
  }
}
