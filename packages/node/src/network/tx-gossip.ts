import { encodeWire, MAX_TX_HASHES } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import type { PeerOffence } from './peer-offence.js';

/** What transaction gossip needs from the node. */
export interface TxGossipHost {
  peers(): readonly string[];
  send(peer: string, payload: Uint8Array): void;
  report(peer: string, offence: PeerOffence): void;
  /** Whether the mempool holds the transaction. */
  has(hash: string): boolean;
  /** The encoded transaction, if the mempool holds it. */
  body(hash: string): Uint8Array | undefined;
  /** Admits to the mempool; resolves to the hash or rejects with a typed error. */
  admit(wire: Uint8Array): Promise<string>;
}

export interface TxGossipOptions {
  /** How long announcements gather before they go out (default 20 ms): one message carries many hashes. */
  readonly flushMs?: number;
  /** A pulled transaction not received in this time may be pulled from another peer (default 5 s). */
  readonly pullTimeoutMs?: number;
  /** Hashes queued for one peer at most; beyond it announcements to that peer are dropped (default 100,000). */
  readonly maxQueuedPerPeer?: number;
  /** Bytes of bodies in one answer at most (default 4 MiB). */
  readonly maxAnswerBytes?: number;
}

/** Hashes remembered as pulled (or admitted) at most: a bounded memory of what is under way. */
const MAX_REMEMBERED = 200_000;

/**
 * Transaction gossip that does not flood: a node announces the hashes of transactions it
 * admitted (batched, every few milliseconds), and each peer pulls only the bodies it does
 * not hold yet. A transaction crosses each link once, and a pulled one is announced on to
 * the other peers, so nodes that are not directly connected get it too. Bodies with forged
 * signatures count against the sender.
 */
export class TxGossip {
  private readonly queues = new Map<string, string[]>();
  /** Hashes pulled (or admitted here), with when, so a hash is not pulled twice at once. */
  private readonly pulled = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly flushMs: number;
  private readonly pullTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly maxAnswerBytes: number;
  /** Counters for metrics. */
  readonly stats = { announced: 0, pulled: 0, served: 0 };

  constructor(
    private readonly host: TxGossipHost,
    o: TxGossipOptions = {},
  ) {
    this.flushMs = o.flushMs ?? 20;
    this.pullTimeoutMs = o.pullTimeoutMs ?? 5_000;
    this.maxQueued = o.maxQueuedPerPeer ?? 100_000;
    this.maxAnswerBytes = o.maxAnswerBytes ?? 4 << 20;
  }

  /** A transaction this node admitted: announce it to every peer but the one it came from. */
  announce(hash: string, from?: string): void {
    this.remember(hash);
    for (const peer of this.host.peers()) {
      if (peer === from) continue;
      let queue = this.queues.get(peer);
      if (!queue) {
        queue = [];
        this.queues.set(peer, queue);
      }
      if (queue.length < this.maxQueued) queue.push(hash);
    }
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private flush(): void {
    this.timer = undefined;
    for (const [peer, queue] of this.queues) {
      for (let i = 0; i < queue.length; i += MAX_TX_HASHES) {
        const chunk = queue.slice(i, i + MAX_TX_HASHES).map(hexToBytes);
        this.host.send(peer, encodeWire({ type: 'txAnnounce', value: chunk }));
        this.stats.announced += chunk.length;
      }
    }
    this.queues.clear();
  }

  /** A peer holds these: pull the ones this node lacks and is not already pulling. */
  onAnnounce(peer: string, hashes: readonly Uint8Array[]): void {
    const now = performance.now();
    const wanted: Uint8Array[] = [];
    for (const bytes of hashes) {
      const hash = bytesToHex(bytes);
      if (this.host.has(hash)) continue;
      const at = this.pulled.get(hash);
      if (at !== undefined && now - at < this.pullTimeoutMs) continue;
      this.remember(hash, now);
      wanted.push(bytes);
    }
    if (wanted.length === 0) return;
    this.stats.pulled += wanted.length;
    this.host.send(peer, encodeWire({ type: 'txRequest', value: wanted }));
  }

  /** A peer pulls bodies: send what the mempool still holds, within the answer budget. */
  onRequest(peer: string, hashes: readonly Uint8Array[]): void {
    const bodies: Uint8Array[] = [];
    let bytes = 0;
    const flush = () => {
      if (bodies.length === 0) return;
      this.host.send(peer, encodeWire({ type: 'txs', value: bodies.splice(0) }));
      bytes = 0;
    };
    for (const hash of hashes) {
      const body = this.host.body(bytesToHex(hash));
      if (!body) continue;
      bodies.push(body);
      this.stats.served++;
      bytes += body.length;
      if (bytes >= this.maxAnswerBytes) flush();
    }
    flush();
  }

  /** Bodies from a peer: admit each; an admitted one is announced on, a forged one is the peer's offence. */
  onTxs(peer: string, wires: readonly Uint8Array[]): void {
    for (const wire of wires) {
      this.host.admit(wire).then(
        (hash) => this.announce(hash, peer),
        (error) => {
          // Stale nonces, a full pool and the like happen to honest peers; a bad signature or an undecodable body does not.
          if (
            isPujiangError(error) &&
            (error.code === 'TX_BAD_SIGNATURE' ||
              error.code === 'TX_UNDECODABLE' ||
              error.code === 'TX_TOO_LARGE')
          )
            this.host.report(peer, 'invalid-tx');
        },
      );
    }
  }

  peerGone(peer: string): void {
    this.queues.delete(peer);
  }

  private remember(hash: string, now = performance.now()): void {
    if (this.pulled.size >= MAX_REMEMBERED) {
      // Forget the oldest half (Map keeps insertion order).
      let drop = MAX_REMEMBERED / 2;
      for (const key of this.pulled.keys()) {
        this.pulled.delete(key);
        if (--drop === 0) break;
      }
    }
    this.pulled.set(hash, now);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queues.clear();
  }
}
