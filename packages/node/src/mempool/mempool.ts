import type { HashAlgorithm, SuiteId } from '@pujiang/crypto';
import { decodeTx, type SignedTx, txHash } from '@pujiang/protocol';
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
  /** How far past the sender's next nonce a transaction may be (default 64). */
  readonly nonceWindow?: number;
  /** Signature check; the node passes one backed by the worker pool. */
  verify(tx: SignedTx): Promise<boolean>;
  /** How senders are named (default `senderId`: suite and public key); the node uses addresses. */
  senderOf?(tx: SignedTx): string;
  /** The sender's next nonce in the committed state. */
  accountNonce(sender: string): bigint;
  /** The height of the next block (transactions that expire before it are refused). */
  nextHeight(): bigint;
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

/**
 * Pending transactions, bounded in count, bytes and per sender. Admission decodes, checks
 * chain, suite, expiry, the nonce window and duplicates, then the signature (in the worker
 * pool); a full pool answers with a typed error instead of growing. Blocks are filled with
 * each sender's transactions in nonce order, starting at its committed nonce, senders taken
 * in arrival order.
 */
export class Mempool {
  private readonly byHash = new Map<string, MempoolEntry>();
  private readonly bySender = new Map<string, Map<bigint, MempoolEntry>>();
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

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** Admits a transaction from the wire and returns its hash, or throws a typed error. */
  async add(wire: Uint8Array): Promise<string> {
    const tx = decodeTx(wire);
    const hash = txHash(this.o.hash, tx);
    const sender = this.o.senderOf ? this.o.senderOf(tx) : senderId(tx);
    this.precheck(tx, hash, sender, wire.length);
    if (!(await this.o.verify(tx)))
      throw refuse('TX_BAD_SIGNATURE', 'the signature does not verify', { hash });
    this.precheck(tx, hash, sender, wire.length); // the pool may have changed while we waited
    const entry: MempoolEntry = { tx, wire, hash, sender, admittedAt: performance.now() };
    this.byHash.set(hash, entry);
    let mine = this.bySender.get(sender);
    if (!mine) {
      mine = new Map();
      this.bySender.set(sender, mine);
    }
    mine.set(tx.body.nonce, entry);
    this.bytes += wire.length;
    return hash;
  }

  private precheck(tx: SignedTx, hash: string, sender: string, size: number): void {
    const { body } = tx;
    if (body.chainId !== this.o.chainId) {
      throw refuse('TX_WRONG_CHAIN', `the transaction is for chain "${body.chainId}"`, {
        chainId: body.chainId,
      });
    }
    if (!this.o.acceptedSuites.includes(body.suite)) {
      throw refuse('TX_SUITE_NOT_ACCEPTED', `this chain does not accept ${body.suite} signatures`, {
        suite: body.suite,
      });
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
    const mine = this.bySender.get(sender);
    if (mine?.has(body.nonce))
      throw refuse('TX_NONCE_TAKEN', `nonce ${body.nonce} already has a pending transaction`);
    if ((mine?.size ?? 0) >= this.maxPerSender)
      throw refuse('MEMPOOL_SENDER_FULL', 'this sender has too many pending transactions');
    if (this.byHash.size >= this.maxTxs || this.bytes + size > this.maxBytes) {
      throw refuse('MEMPOOL_FULL', 'the mempool is full; try again later', {
        size: this.byHash.size,
        bytes: this.bytes,
      });
    }
  }

  /**
   * Transactions for the next block: per sender, contiguous nonces from its committed one;
   * senders in the order they first had a transaction pending (a Map keeps insertion order).
   */
  reap(maxTxs: number, maxBytes: number): MempoolEntry[] {
    const out: MempoolEntry[] = [];
    let bytes = 0;
    for (const [sender, mine] of this.bySender) {
      if (out.length >= maxTxs) break;
      for (let nonce = this.o.accountNonce(sender); ; nonce++) {
        const entry = mine.get(nonce);
        if (!entry || out.length >= maxTxs || bytes + entry.wire.length > maxBytes) break;
        out.push(entry);
        bytes += entry.wire.length;
      }
    }
    return out;
  }

  get(hash: string): MempoolEntry | undefined {
    return this.byHash.get(hash);
  }

  /** After a block: drop what was committed, what the new nonces made stale, and what expired. */
  update(committedHashes: readonly string[]): void {
    for (const hash of committedHashes) this.remove(hash);
    const next = this.o.nextHeight();
    for (const [sender, mine] of this.bySender) {
      const nonce = this.o.accountNonce(sender);
      for (const entry of [...mine.values()]) {
        if (entry.tx.body.nonce < nonce || entry.tx.body.expiresAtHeight < next) this.remove(entry.hash);
      }
    }
  }

  private remove(hash: string): void {
    const entry = this.byHash.get(hash);
    if (!entry) return;
    this.byHash.delete(hash);
    this.bytes -= entry.wire.length;
    const mine = this.bySender.get(entry.sender)!;
    mine.delete(entry.tx.body.nonce);
    if (mine.size === 0) this.bySender.delete(entry.sender);
  }

  /** The next nonce of a sender counting its pending transactions (what a client should sign next). */
  pendingNonce(sender: string): bigint {
    let nonce = this.o.accountNonce(sender);
    const mine = this.bySender.get(sender);
    while (mine?.has(nonce)) nonce++;
    return nonce;
  }
}
