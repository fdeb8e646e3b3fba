import { type CertifiedValidator, type CommitCertificate, checkCertificate } from '@pujiang/consensus';
import {
  type Block,
  blockHash,
  decodeBlock,
  decodeCertificate,
  encodeWire,
  type Genesis,
  MAX_BLOCKS_PER_REQUEST,
} from '@pujiang/protocol';
import type { PeerOffence } from './peer-offence.js';

/** What block sync needs from the node around it. */
export interface BlockSyncHost {
  readonly genesis: Genesis;
  /** The validators that sign a height (undefined: not known yet, the block waits). */
  readonly validatorsAt: (height: bigint) => readonly CertifiedValidator[] | undefined;
  /** The committed height. */
  height(): bigint;
  send(peer: string, payload: Uint8Array): void;
  report(peer: string, offence: PeerOffence): void;
  /** Why a certified block cannot extend our chain (it must, if we agree on the past), or undefined. */
  problem(block: Block): string | undefined;
  /** Verifies the block's transactions (off the main thread) and commits it with its certificate. */
  apply(block: Block, certificate: CommitCertificate): Promise<void>;
  /** Blocks up to the certificate's height were committed here: consensus moves past them. */
  caughtUp(certificate: CommitCertificate): void;
}

export interface BlockSyncOptions {
  /** Blocks asked for in one request (default 16, at most MAX_BLOCKS_PER_REQUEST). */
  readonly blocksPerRequest?: number;
  /** Requests outstanding to one peer at a time (default 2). */
  readonly requestsPerPeer?: number;
  /** Heights beyond ours fetched ahead at most (default 256): bounds the memory held. */
  readonly window?: number;
  /** A request unanswered this long goes to another peer (default 5 s). */
  readonly requestTimeoutMs?: number;
}

interface Request {
  readonly peer: string;
  readonly from: bigint;
  readonly count: number;
  readonly sentAt: number;
}

interface Fetched {
  readonly block: Block;
  readonly certificate: CommitCertificate;
  readonly peer: string;
  /** Whether the certificate's signatures were checked on arrival (the height's set was known). */
  readonly checked: boolean;
}

/**
 * Block sync: follows the committed heights peers announce (`status`), fetches the decided
 * blocks this node lacks in ranges spread over every peer that has them (several peers feed
 * it at once, each with a bounded number of requests), checks each block against its commit
 * certificate and the validator set, and commits them in height order. A block whose
 * certificate fails, or that does not extend our chain, is the sender's offence and is
 * dropped; its heights are asked of someone else.
 */
export class BlockSync {
  private readonly peerHeights = new Map<string, bigint>();
  private readonly requests: Request[] = [];
  private readonly fetched = new Map<bigint, Fetched>();
  private applying = false;
  private readonly perRequest: number;
  private readonly perPeer: number;
  private readonly window: number;
  private readonly timeoutMs: number;
  /** Blocks committed by sync (for metrics and tests). */
  synced = 0;

  constructor(
    private readonly host: BlockSyncHost,
    o: BlockSyncOptions = {},
  ) {
    this.perRequest = Math.min(o.blocksPerRequest ?? 16, MAX_BLOCKS_PER_REQUEST);
    this.perPeer = o.requestsPerPeer ?? 2;
    this.window = o.window ?? 256;
    this.timeoutMs = o.requestTimeoutMs ?? 5_000;
  }

  /** The highest height a peer says it committed. */
  get bestPeerHeight(): bigint {
    let best = 0n;
    for (const h of this.peerHeights.values()) if (h > best) best = h;
    return best;
  }

  /** More than a block behind the best peer: this node is catching up, not deciding. */
  get syncing(): boolean {
    return this.bestPeerHeight > this.host.height() + 1n;
  }

  onStatus(peer: string, height: bigint): void {
    const known = this.peerHeights.get(peer) ?? 0n;
    if (height > known) this.peerHeights.set(peer, height);
    this.pump();
  }

  peerGone(peer: string): void {
    this.peerHeights.delete(peer);
    for (let i = this.requests.length - 1; i >= 0; i--)
      if (this.requests[i]!.peer === peer) this.requests.splice(i, 1);
    this.pump();
  }

  /** Consensus saw a later height than ours: a block was decided without us (ask for it now). */
  requestNext(): void {
    const next = this.host.height() + 1n;
    if (this.fetched.has(next) || this.covered(next)) return;
    const peers = [...this.peerHeights.keys()];
    // No peer has said it holds the block yet: ask one at random (statuses may be in flight).
    const peer =
      peers.find((p) => this.peerHeights.get(p)! >= next) ?? peers[Math.floor(Math.random() * peers.length)];
    if (peer !== undefined) this.request(peer, next, 1);
  }

  /** Sends requests for missing heights within the window, spread over the peers that have them. */
  pump(): void {
    const now = performance.now();
    for (let i = this.requests.length - 1; i >= 0; i--)
      if (now - this.requests[i]!.sentAt > this.timeoutMs) this.requests.splice(i, 1);
    const ours = this.host.height();
    const last = ours + BigInt(this.window);
    let from = ours + 1n;
    while (from <= last) {
      if (this.fetched.has(from) || this.covered(from)) {
        from++;
        continue;
      }
      let count = 1;
      while (
        count < this.perRequest &&
        from + BigInt(count) <= last &&
        !this.fetched.has(from + BigInt(count)) &&
        !this.covered(from + BigInt(count))
      )
        count++;
      const end = from + BigInt(count) - 1n;
      const peer = this.idlestPeerWith(from);
      if (peer === undefined) return;
      const theirs = this.peerHeights.get(peer)!;
      const upTo = theirs < end ? theirs : end;
      const n = Number(upTo - from) + 1;
      this.request(peer, from, n);
      from += BigInt(n);
    }
  }

  private covered(height: bigint): boolean {
    return this.requests.some((r) => r.from <= height && height < r.from + BigInt(r.count));
  }

  private idlestPeerWith(height: bigint): string | undefined {
    let best: string | undefined;
    let bestLoad = this.perPeer;
    for (const [peer, h] of this.peerHeights) {
      if (h < height) continue;
      const load = this.requests.filter((r) => r.peer === peer).length;
      if (load < bestLoad) {
        best = peer;
        bestLoad = load;
      }
    }
    return best;
  }

  private request(peer: string, from: bigint, count: number): void {
    this.requests.push({ peer, from, count, sentAt: performance.now() });
    this.host.send(peer, encodeWire({ type: 'blockRequest', value: { from, count } }));
  }

  /** A decided block from a peer. */
  onDecided(peer: string, blockBytes: Uint8Array, certificateBytes: Uint8Array): void {
    let block: Block;
    let certificate: CommitCertificate;
    try {
      block = decodeBlock(blockBytes);
      certificate = decodeCertificate(certificateBytes);
    } catch {
      this.host.report(peer, 'undecodable');
      return;
    }
    const height = block.header.height;
    this.settle(peer, height);
    const ours = this.host.height();
    if (height <= ours || height > ours + BigInt(this.window) || this.fetched.has(height)) return;
    // The set of a height is known once the block two below it is committed: a block further
    // ahead has its certificate checked when its turn to commit comes.
    if (!this.certified(block, certificate, height)) {
      this.host.report(peer, 'invalid-block');
      return;
    }
    this.fetched.set(height, {
      block,
      certificate,
      peer,
      checked: this.host.validatorsAt(height) !== undefined,
    });
    void this.applyReady();
  }

  /** Whether the certificate is for this block and, if the height's validators are known yet, signed by them. */
  private certified(block: Block, certificate: CommitCertificate, height: bigint): boolean {
    const g = this.host.genesis;
    if (BigInt(certificate.height) !== height || blockHash(g.chainHash, block.header) !== certificate.value)
      return false;
    const validators = this.host.validatorsAt(height);
    return (
      validators === undefined ||
      checkCertificate(g.chainId, certificate, validators, Number(height)) === undefined
    );
  }

  /** The request that covered this height is answered (in part): forget it once its last block arrived. */
  private settle(peer: string, height: bigint): void {
    const i = this.requests.findIndex(
      (r) => r.peer === peer && r.from <= height && height < r.from + BigInt(r.count),
    );
    if (i < 0) return;
    const r = this.requests[i]!;
    if (height === r.from + BigInt(r.count) - 1n) this.requests.splice(i, 1);
  }

  /** Commits fetched blocks in height order, one at a time. */
  private async applyReady(): Promise<void> {
    if (this.applying) return;
    this.applying = true;
    let last: CommitCertificate | undefined;
    try {
      for (;;) {
        const next = this.host.height() + 1n;
        for (const h of this.fetched.keys()) if (h < next) this.fetched.delete(h);
        const item = this.fetched.get(next);
        if (!item) break;
        this.fetched.delete(next);
        if (
          !item.checked &&
          (this.host.validatorsAt(next) === undefined || !this.certified(item.block, item.certificate, next))
        ) {
          this.host.report(item.peer, 'invalid-block');
          continue;
        }
        const problem = this.host.problem(item.block);
        if (problem !== undefined) {
          // The header is certified but the body does not match it (tx root, count, limits):
          // the sender altered it. Drop it; the height is asked of someone else.
          this.host.report(item.peer, 'invalid-block');
          continue;
        }
        await this.host.apply(item.block, item.certificate);
        this.synced++;
        last = item.certificate;
      }
    } finally {
      this.applying = false;
    }
    if (last) this.host.caughtUp(last);
    this.pump();
  }

  /** Answers a peer's request with the decided blocks this node holds (bounded). */
  static answer(
    from: bigint,
    count: number,
    height: bigint,
    read: (h: bigint) => Uint8Array | undefined,
    maxBytes = 32 << 20,
  ): Uint8Array[] {
    const out: Uint8Array[] = [];
    let bytes = 0;
    const n = Math.min(count, MAX_BLOCKS_PER_REQUEST);
    for (let h = from; h < from + BigInt(n) && h <= height; h++) {
      if (h < 1n) continue;
      const message = read(h);
      if (!message) break;
      bytes += message.length;
      out.push(message);
      if (bytes >= maxBytes) break;
    }
    return out;
  }
}
