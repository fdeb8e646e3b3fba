import { type KeyPair, type PublicKey, sign, type VerifyPool, verify } from '@pujiang/crypto';
import {
  type AdmissionLimits,
  dialPeer,
  type PeerLink,
  type PeerLinkOptions,
  PeerListener,
  TokenBucket,
} from '@pujiang/p2p';
import type { Genesis } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, type PujiangError, PujiangError as PujiangErrorClass } from '@pujiang/types';
import { genesisHash } from '../chain/chain.js';
import type { PeerTransport } from '../validator-node.js';
import { BAN_SCORE, OFFENCE_PENALTY, type PeerOffence } from './peer-offence.js';
import { type PeerNetworkSnapshot, PeerWatch } from './peer-watch.js';
import { RefusalLog } from './refusal-log.js';

/** A peer to dial; with `key`, a dial answered by any other node key is refused. */
export interface PeerAddress {
  readonly host: string;
  readonly port: number;
  readonly key?: PublicKey;
}

export interface PeerNetworkOptions {
  readonly genesis: Genesis;
  readonly nodeKey: KeyPair;
  /** Where to accept peers; without it the node only dials. */
  readonly listen?: PeerAddress;
  /**
   * Addresses to dial, each with the node key that must answer there; an address without a
   * key takes the first member that answers and keeps it (the node warns: write the key).
   */
  readonly peers: readonly PeerAddress[];
  /** The listener's caps on handshakes and new connections (before anyone is authenticated). */
  readonly limits?: AdmissionLimits;
  /** Node keys admitted besides the validators (full nodes), as "suite:hex". */
  readonly admit?: readonly string[];
  /** How long a peer that reached the ban score stays refused (default 60 s). */
  readonly banMs?: number;
  /** Per-peer rate limits; beyond them messages are dropped and the peer is flooding (defaults: 5,000 messages/s, 128 MiB/s). */
  readonly maxMessagesPerSecond?: number;
  readonly maxBytesPerSecond?: number;
  readonly log?: (line: string) => void;
}

export const peerId = (key: PublicKey) => `${key.suite}:${bytesToHex(key.bytes)}`;

/** Score points a peer sheds per second: honest peers that slip once are not banned for it. */
const SCORE_DECAY_PER_SECOND = 5;

interface PeerState {
  readonly links: PeerLink[];
  /** When the peer's first link opened (ms since the epoch). */
  connectedAt: number;
  score: number;
  scoredAt: number;
  readonly messages: TokenBucket;
  readonly bytes: TokenBucket;
}

/**
 * The node's mesh over authenticated links: it listens, dials every configured peer (again,
 * with backoff up to 5 s, whenever it has no link to it), and admits only the chain's
 * members: the genesis validators' node keys and the full-node keys this node's config
 * admits. A peer has one link: when a second appears (both sides dialed at once, or a member
 * opens many), the one dialed by the side with the lower key stays, on both sides, and among
 * links dialed by the same side the newest. Handshake signatures and verifications run on the
 * node's worker pool (`useWorkers`). Each peer has rate limits and a score: offences the node
 * reports (and floods) raise it, time lowers it, and a peer reaching the ban score is
 * disconnected and refused for `banMs`.
 */
export class PeerNetwork implements PeerTransport {
  private readonly listener: PeerListener;
  private readonly state = new Map<string, PeerState>();
  /** Who may connect: the node's view of the chain's membership (genesis validators until it is set). */
  private membership: (key: PublicKey) => boolean;
  private readonly admitted: ReadonlySet<string>;
  private readonly banned = new Map<string, number>();
  private handler: (peer: string, payload: Uint8Array) => void = () => {};
  private connected: (peer: string) => void = () => {};
  private disconnected: (peer: string) => void = () => {};
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ownId: string;
  private pool: VerifyPool | undefined;
  private readonly refusals: RefusalLog;
  /** Keys learned at `host:port` entries written without one (kept for the run). */
  private readonly learned = new Map<string, PublicKey>();
  /** Peers banned so far (for tests and logs). */
  bans = 0;
  /** Offences, drops, bans and failed checks by source, for `GET /v1/peers`. */
  readonly watch = new PeerWatch();

  constructor(private readonly o: PeerNetworkOptions) {
    const validators = new Set(o.genesis.validators.map((v) => peerId(v.publicKey)));
    this.admitted = new Set(o.admit ?? []);
    this.membership = (key) => validators.has(peerId(key)) || this.admitted.has(peerId(key));
    this.ownId = peerId(o.nodeKey.publicKey);
    this.refusals = new RefusalLog((line) => o.log?.(line));
    this.listener = new PeerListener(this.linkOptions());
    this.listener.on('link', (link) => this.add(link));
    this.listener.on('refused', (error, remote) => {
      this.refusals.add(error.code);
      this.watch.refusedConnection(error.code);
      this.watch.handshakeFailed(remote, error);
    });
    for (const address of o.peers)
      if (!address.key)
        o.log?.(
          `p2p: peer ${address.host}:${address.port} is written without its node key; write it as suite:publicKeyHex@${address.host}:${address.port} so that a dial answered by another key is refused`,
        );
  }

  /** Handshake signatures and verifications on the node's worker pool, off the consensus thread. */
  useWorkers(pool: VerifyPool): void {
    this.pool = pool;
  }

  private linkOptions(): PeerLinkOptions {
    const g = this.o.genesis;
    const key = this.o.nodeKey;
    return {
      chainId: g.chainId,
      genesisHash: hexToBytes(genesisHash(g)),
      nodeKey: key,
      isMember: (k: PublicKey) => this.admits(k),
      aead: g.chainHash === 'sm3' ? 'sm4-gcm' : 'aes-256-gcm',
      signer: (message) => (this.pool ? this.pool.sign(key.secretKey, message) : signHere(key, message)),
      verifier: async (k, message, signature) => {
        const valid = await (this.pool
          ? this.pool.verify({ suite: k.suite, publicKey: k.bytes, message, signature })
          : verifyHere(k, message, signature));
        // Not counted here: the key is only claimed; the refusal is counted by address.
        return valid;
      },
      ...this.o.limits,
      peerAddresses: new Set(this.o.peers.map((p) => p.host)),
    };
  }

  /**
   * The chain's membership as the node reads it from its latest state (validator sets,
   * registered node identities, revocations), and the keys `admit` lists in this node's
   * config unless the chain has revoked them. Asked at every handshake.
   */
  setMembership(isMember: (key: PublicKey, admitted: boolean) => boolean): void {
    this.membership = (key) => isMember(key, this.admitted.has(peerId(key)));
  }

  private isMember(key: PublicKey): boolean {
    return this.membership(key);
  }

  /**
   * Whether a handshake may go on with `key`. The key is only claimed here (its signature is
   * checked after), so a refusal is remembered by the remote address, not by this key.
   */
  private admits(key: PublicKey): boolean {
    return this.isMember(key) && !this.isBanned(peerId(key));
  }

  /** Closes the links of peers that are no longer members (revoked, removed): call after the membership changes. */
  revalidate(): void {
    for (const s of this.state.values()) {
      const link = s.links[0];
      if (link && !this.isMember(link.peer)) {
        this.o.log?.(`p2p: ${peerId(link.peer).slice(0, 20)} is no longer a member; disconnecting`);
        for (const l of [...s.links]) l.close();
      }
    }
  }

  /** Where incoming payloads go (the node's `receive`). */
  onMessage(handler: (peer: string, payload: Uint8Array) => void): void {
    this.handler = handler;
  }

  /** Called when a peer's first link opens and when its last link closes. */
  onPeer(connected: (peer: string) => void, disconnected: (peer: string) => void): void {
    this.connected = connected;
    this.disconnected = disconnected;
  }

  private isBanned(id: string): boolean {
    const until = this.banned.get(id);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.banned.delete(id);
    return false;
  }

  /** A peer broke the protocol: raise its score; at the ban score, disconnect and refuse it for a while. */
  report(peer: string, offence: PeerOffence): void {
    const s = this.state.get(peer);
    if (!s) return;
    this.watch.offence(peer, offence);
    s.score = scoreNow(s, performance.now());
    s.scoredAt = performance.now();
    s.score += OFFENCE_PENALTY[offence];
    if (s.score < BAN_SCORE) return;
    const banMs = this.o.banMs ?? 60_000;
    this.banned.set(peer, Date.now() + banMs);
    this.bans++;
    this.watch.banned(peer, offence, s.score, banMs);
    this.o.log?.(
      `p2p: peer ${peer.slice(0, 20)} banned for ${banMs} ms (${offence}, score ${Math.round(s.score)})`,
    );
    for (const link of [...s.links]) link.close();
  }

  /** Listens (if asked to) and dials the peers; resolves to the port listened on (0: none). */
  async start(): Promise<number> {
    const port = this.o.listen ? await this.listener.listen(this.o.listen.port, this.o.listen.host) : 0;
    for (const address of this.o.peers) this.dial(address, 0);
    return port;
  }

  /** Open links, to all peers (one per peer once duplicates are settled). */
  linkCount(): number {
    let n = 0;
    for (const s of this.state.values()) n += s.links.length;
    return n;
  }

  peers(): string[] {
    const out: string[] = [];
    for (const [id, s] of this.state) if (s.links.length > 0) out.push(id);
    return out;
  }

  /**
   * Dials `address` unless its peer is already linked (the other side's dial may be the
   * link both keep); checks again whenever that link closes, and every few seconds.
   */
  private dial(address: PeerAddress, attempt: number): void {
    if (this.stopped) return;
    const where = `${address.host}:${address.port}`;
    const expected = address.key ?? this.learned.get(where);
    if (expected && this.linked(peerId(expected))) {
      this.later(() => this.dial(address, 0), 2_000);
      return;
    }
    dialPeer(address.host, address.port, this.linkOptions(), expected).then(
      (link) => {
        if (!address.key && !this.learned.has(where)) this.learned.set(where, link.peer);
        this.add(link);
        link.on('close', () => this.later(() => this.dial(address, 0), 1_000));
      },
      (error: PujiangError) => {
        if (error.code === 'P2P_UNEXPECTED_PEER' || error.code === 'P2P_SELF_LINK')
          this.refusals.add(error.code, `dial to ${where}`);
        this.watch.handshakeFailed(address.host, error);
        this.later(() => this.dial(address, attempt + 1), Math.min(5_000, 250 * 2 ** attempt));
      },
    );
  }

  private linked(id: string): boolean {
    return (this.state.get(id)?.links.length ?? 0) > 0;
  }

  /**
   * Of two links to one peer, the one both sides keep: dialed by the side with the lower key;
   * between links dialed by the same side, the newer.
   */
  private keeps(newer: PeerLink, older: PeerLink, id: string): PeerLink {
    const weDialFirst = this.ownId < id;
    const preferred = (l: PeerLink) => l.initiator === weDialFirst;
    if (preferred(newer) === preferred(older)) return newer;
    return preferred(newer) ? newer : older;
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
    const id = peerId(link.peer);
    if (this.stopped || this.isBanned(id)) {
      link.close();
      return;
    }
    let s = this.state.get(id);
    if (!s) {
      const messagesPerSecond = this.o.maxMessagesPerSecond ?? 5_000;
      const bytesPerSecond = this.o.maxBytesPerSecond ?? 128 << 20;
      s = {
        links: [],
        connectedAt: Date.now(),
        score: 0,
        scoredAt: performance.now(),
        messages: new TokenBucket(messagesPerSecond, messagesPerSecond * 4),
        bytes: new TokenBucket(bytesPerSecond, bytesPerSecond * 2),
      };
      this.state.set(id, s);
    }
    const state = s;
    const existing = state.links[0];
    if (existing) {
      const kept = this.keeps(link, existing, id);
      if (kept === existing) {
        link.close(duplicate);
        return;
      }
      // Out of the list first: the peer stays connected through the new link (no disconnect event).
      state.links.splice(state.links.indexOf(existing), 1);
      existing.close(duplicate);
    }
    state.links.push(link);
    if (state.links.length === 1 && !existing) {
      state.connectedAt = Date.now();
      this.connected(id);
    }
    link.on('message', (payload) => {
      if (!state.messages.take(1) || !state.bytes.take(payload.length)) {
        this.watch.drop(id);
        this.report(id, 'flood');
        return;
      }
      this.handler(id, payload);
    });
    link.on('close', (reason) => {
      const i = state.links.indexOf(link);
      if (i < 0) return; // a duplicate this side closed: the peer stays connected
      state.links.splice(i, 1);
      if (reason && reason !== duplicate)
        this.o.log?.(`p2p: link to ${id.slice(0, 20)} closed: ${reason.code}`);
      if (state.links.length === 0) this.disconnected(id);
    });
  }

  broadcast(payload: Uint8Array): void {
    for (const s of this.state.values()) s.links[s.links.length - 1]?.send(payload);
  }

  send(peer: string, payload: Uint8Array): void {
    const links = this.state.get(peer)?.links;
    links?.[links.length - 1]?.send(payload);
  }

  /** The linked and banned peers and the failed checks, for `GET /v1/peers` (identities are the node's to add). */
  snapshot(): PeerNetworkSnapshot {
    const now = performance.now();
    const peers = [];
    for (const [key, s] of this.state) {
      const link = s.links[s.links.length - 1];
      if (!link) continue;
      peers.push({
        key,
        endpoint: link.remote ?? null,
        initiator: link.initiator,
        connectedAt: s.connectedAt,
        score: scoreNow(s, now),
        drops: this.watch.dropsOf(key),
        offences: this.watch.offencesOf(key),
      });
    }
    return this.watch.snapshot(this.ownId, peers);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.refusals.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const s of this.state.values()) for (const link of [...s.links]) link.close();
    await this.listener.close();
  }
}

const duplicate = p2pDuplicate();

/** A peer's score with the decay since it was last raised. */
function scoreNow(s: PeerState, now: number): number {
  return Math.max(0, s.score - ((now - s.scoredAt) / 1000) * SCORE_DECAY_PER_SECOND);
}

function p2pDuplicate(): PujiangError {
  return new PujiangErrorClass('P2P_DUPLICATE_LINK', 'a second link to a peer already linked');
}

function signHere(key: KeyPair, message: Uint8Array): Uint8Array {
  return sign(key.secretKey, message).bytes;
}

function verifyHere(key: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  return verify(key, message, { suite: key.suite, bytes: signature });
}
