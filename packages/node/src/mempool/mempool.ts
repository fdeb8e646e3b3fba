import { type HashAlgorithm, hash as hashBytes, type SuiteId } from '@pujiang/crypto';
import { decodeTx, type SignedTx, txIsForChain } from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';

export type MempoolErrorCode =
  | 'MEMPOOL_FULL'
  | 'MEMPOOL_SENDER_FULL'
  | 'TX_WRONG_CHAIN'
  | 'TX_SUITE_NOT_ACCEPTED'
  | 'TX_BAD_SIGNATURE'
  | 'TX_NONCE_TOO_LOW'
  | 'TX_NONCE_TOO_HIGH'
  | 'TX_NONCE_TAKEN'
  | 'TX_EXPIRED'
  | 'TX_GAS_LIMIT_TOO_HIGH'
  | 'TX_DUPLICATE';

export interface MempoolOptions {
  readonly chainId: string;
  readonly hash: HashAlgorithm;
  readonly acceptedSuites: readonly SuiteId[];
  /** Transactions held in all, at most (default 10,000). */
  readonly maxTxs?: number;
  /** Encoded bytes held in all, at most (default 64 MiB). */
  readonly maxBytes?: number;
  /** Transactions held per sender, at most (default 100). */
  readonly maxPerSender?: number;
  /** Largest gas limit a transaction may ask for (the block gas limit: more could never be included). */
  readonly maxTxGas?: number;
  /** How far past the sender's next nonce a transaction may be (default 64). */
  readonly nonceWindow?: number;
  /** Signature check; the node passes one backed by the worker pool. `wire` is the transaction's encoding. */
  verify(tx: SignedTx, wire: Uint8Array): Promise<boolean>;
  /** How senders are named (default `senderId`: suite and public key); the node uses addresses. */
  senderOf?(tx: SignedTx): string;
  /** The sender's next nonce in the committed state. */
  accountNonce(sender: string): bigint;
  /** The chain's admission rules (membership, roles, policies) in the latest state: throws a typed refusal. */
  authorize?(tx: SignedTx, sender: string): void;
  /** The height of the next block (transactions that expire before it are refused). */
  nextHeight(): bigint;
  /** A transaction became includable (an idle chain's next block need not wait any longer). */
  onIncludable?(): void;
}

/** A pending transaction as the mempool holds it. */
export interface MempoolEntry {
  readonly tx: SignedTx;
  readonly wire: Uint8Array;
  readonly hash: string;
  readonly sender: string;
  /** `performance.now()` at admission, for commit latency. */
  readonly admittedAt: number;
}

function refuse(
  code: MempoolErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<MempoolErrorCode> {
  return new PujiangError(code, message, details);
}

/** A sender is its suite and public key. */
export function senderId(tx: SignedTx): string {
  return `${tx.body.suite}:${bytesToHex(tx.body.publicKey)}`;
}

/** What one block may hold: transactions, their encoded bytes, and the sum of their gas limits. */
export interface ReapLimits {
  readonly maxTxs: number;
  readonly maxBytes: number;
  readonly maxGas?: number;
}

/** One sender's pending transactions by nonce, and where its contiguous (includable) run ends. */
interface SenderQueue {
  readonly entries: Map<bigint, MempoolEntry>;
  /** First nonce not includable: the committed nonce plus the contiguous pending run after it. */
  nextReady: bigint;
}

/**
 * Pending transactions, bounded in count, bytes and per sender. Admission decodes, checks
 * chain, suite, expiry, the nonce window and duplicates, then the signature (in the worker
 * pool); a full pool answers with a typed error instead of growing. Blocks are filled with
 * each sender's transactions in nonce order, starting at its committed nonce, senders taken
 * in arrival order.
 *
 * A transaction behind a nonce gap cannot be included until the gap fills, so such
 * "future" transactions never keep out an includable one: when the pool is full, an
 * includable arrival evicts the oldest future transaction. Without this, a few keys
 * submitting gapped nonces could fill the pool and stall the chain.
 */
export class Mempool {
  private readonly byHash = new Map<string, MempoolEntry>();
  private readonly bySender = new Map<string, SenderQueue>();
  /** Entries behind a nonce gap, oldest first (a Map keeps insertion order). */
  private readonly future = new Map<string, MempoolEntry>();
  private bytes = 0;
  private readonly maxTxs: number;
  private readonly maxBytes: number;
  private readonly maxPerSender: number;
  private readonly nonceWindow: bigint;

  constructor(private readonly o: MempoolOptions) {
    this.maxTxs = o.maxTxs ?? 10_000;
    this.maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
    this.maxPerSender = o.maxPerSender ?? 100;
    this.nonceWindow = BigInt(o.nonceWindow ?? 64);
  }

  get size(): number {
    return this.byHash.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Transactions waiting behind a nonce gap. */
  get futureSize(): number {
    return this.future.size;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** Admits a transaction from the wire and returns its hash, or throws a typed error. */
  async add(wire: Uint8Array): Promise<string> {
    const tx = decodeTx(wire);
    // Decoding is canonical, so the wire bytes are the encoding the hash is defined over.
    const hash = bytesToHex(hashBytes(this.o.hash, wire));
    const sender = this.o.senderOf ? this.o.senderOf(tx) : senderId(tx);
    this.precheck(tx, hash, sender, wire.length, false);
    if (!(await this.o.verify(tx, wire)))
      throw refuse('TX_BAD_SIGNATURE', 'the signature does not verify', { hash });
    this.precheck(tx, hash, sender, wire.length, true); // the pool may have changed while we waited
    this.insert({ tx, wire, hash, sender, admittedAt: performance.now() });
    return hash;
  }

  private insert(entry: MempoolEntry): void {
    this.byHash.set(entry.hash, entry);
    this.bytes += entry.wire.length;
    let queue = this.bySender.get(entry.sender);
    if (!queue) {
      queue = { entries: new Map(), nextReady: this.o.accountNonce(entry.sender) };
      this.bySender.set(entry.sender, queue);
    }
    queue.entries.set(entry.tx.body.nonce, entry);
    if (entry.tx.body.nonce !== queue.nextReady) {
      this.future.set(entry.hash, entry);
      return;
    }
    // This one closes the gap: it and the run after it become includable.
    for (let e = queue.entries.get(queue.nextReady); e; e = queue.entries.get(queue.nextReady)) {
      this.future.delete(e.hash);
      queue.nextReady++;
    }
    this.o.onIncludable?.();
  }

  private precheck(tx: SignedTx, hash: string, sender: string, size: number, final: boolean): void {
    const { body } = tx;
    if (!txIsForChain(tx, this.o.chainId)) {
      throw refuse('TX_WRONG_CHAIN', `the transaction is for chain "${body.chainId}"`, {
        chainId: body.chainId,
      });
    }
    if (!this.o.acceptedSuites.includes(body.suite)) {
      throw refuse('TX_SUITE_NOT_ACCEPTED', `this chain does not accept ${body.suite} signatures`, {
        suite: body.suite,
      });
    }
    // Once, before the signature check: a refused member costs no verification.
    if (!final) this.o.authorize?.(tx, sender);
    if (this.o.maxTxGas !== undefined && body.gasLimit > BigInt(this.o.maxTxGas)) {
      throw refuse(
        'TX_GAS_LIMIT_TOO_HIGH',
        `the gas limit ${body.gasLimit} exceeds the block's ${this.o.maxTxGas}`,
        {
          gasLimit: String(body.gasLimit),
        },
      );
    }
    if (body.expiresAtHeight < this.o.nextHeight()) {
      throw refuse('TX_EXPIRED', `the transaction expired at height ${body.expiresAtHeight}`, { hash });
    }
    if (this.byHash.has(hash)) throw refuse('TX_DUPLICATE', 'the transaction is already pending', { hash });
    const next = this.o.accountNonce(sender);
    if (body.nonce < next) {
      throw refuse('TX_NONCE_TOO_LOW', `nonce ${body.nonce} is used; the next is ${next}`, {
        nonce: String(body.nonce),
      });
    }
    if (body.nonce >= next + this.nonceWindow) {
      throw refuse('TX_NONCE_TOO_HIGH', `nonce ${body.nonce} is too far ahead of ${next}`, {
        nonce: String(body.nonce),
      });
    }
    const queue = this.bySender.get(sender);
    if (queue?.entries.has(body.nonce))
      throw refuse('TX_NONCE_TAKEN', `nonce ${body.nonce} already has a pending transaction`);
    if ((queue?.entries.size ?? 0) >= this.maxPerSender)
      throw refuse('MEMPOOL_SENDER_FULL', 'this sender has too many pending transactions');
    const full = () => this.byHash.size >= this.maxTxs || this.bytes + size > this.maxBytes;
    if (!full()) return;
    // An includable arrival may displace transactions stuck behind gaps; nothing else may.
    const includable = body.nonce === (queue?.nextReady ?? next);
    if (includable && this.future.size > 0) {
      if (!final) return; // evict only once the signature is known to be good
      for (const victim of this.future.values()) {
        if (!full()) break;
        this.remove(victim.hash);
      }
      if (!full()) return;
    }
    throw refuse('MEMPOOL_FULL', 'the mempool is full; try again later', {
      size: this.byHash.size,
      bytes: this.bytes,
    });
  }

  /**
   * Transactions for the next block: per sender, its includable run in nonce order; senders
   * in the order they first had a transaction pending (a Map keeps insertion order).
   */
  reap(limits: ReapLimits): MempoolEntry[] {
    const out: MempoolEntry[] = [];
    let bytes = 0;
    let gas = 0n;
    const maxGas = BigInt(limits.maxGas ?? Number.MAX_SAFE_INTEGER);
    for (const [sender, queue] of this.bySender) {
      if (out.length >= limits.maxTxs) break;
      for (let nonce = this.o.accountNonce(sender); nonce < queue.nextReady; nonce++) {
        const entry = queue.entries.get(nonce);
        if (!entry || out.length >= limits.maxTxs) break;
        // Each transaction takes its bytes plus a length prefix (at most 3 bytes) in the block.
        const size = entry.wire.length + 3;
        if (bytes + size > limits.maxBytes || gas + entry.tx.body.gasLimit > maxGas) break; // next sender
        out.push(entry);
        bytes += size;
        gas += entry.tx.body.gasLimit;
      }
    }
    return out;
  }

  get(hash: string): MempoolEntry | undefined {
    return this.byHash.get(hash);
  }

  /**
   * After a block: drop what was committed, what the new nonces made stale, and what
   * expired; then recompute each sender's includable run from its new committed nonce.
   */
  update(committedHashes: readonly string[]): void {
    for (const hash of committedHashes) this.remove(hash);
    const next = this.o.nextHeight();
    for (const [sender, queue] of this.bySender) {
      const nonce = this.o.accountNonce(sender);
      for (const entry of [...queue.entries.values()]) {
        if (entry.tx.body.nonce < nonce || entry.tx.body.expiresAtHeight < next) this.remove(entry.hash);
      }
      if (queue.entries.size === 0) continue;
      queue.nextReady = nonce;
      while (queue.entries.has(queue.nextReady)) queue.nextReady++;
      for (const entry of queue.entries.values()) {
        if (entry.tx.body.nonce < queue.nextReady) this.future.delete(entry.hash);
        else if (!this.future.has(entry.hash)) this.future.set(entry.hash, entry);
      }
    }
  }

  private remove(hash: string): void {
    const entry = this.byHash.get(hash);
    if (!entry) return;
    this.byHash.delete(hash);
    this.future.delete(hash);
    this.bytes -= entry.wire.length;
    const queue = this.bySender.get(entry.sender)!;
    queue.entries.delete(entry.tx.body.nonce);
    // Only `update` removes includable entries, and it recomputes every sender's run after.
    if (queue.entries.size === 0) this.bySender.delete(entry.sender);
  }

  /** The next nonce of a sender counting its includable pending transactions (what a client should sign next). */
  pendingNonce(sender: string): bigint {
    return this.bySender.get(sender)?.nextReady ?? this.o.accountNonce(sender);
  }
}
