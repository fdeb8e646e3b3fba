import {
  advanceValidatorSet,
  type CommitCertificate,
  newValidatorSet,
  type ValidatorSet,
} from '@pujiang/consensus';
import type { PublicKey } from '@pujiang/crypto';
import { type Block, blockHash, decodeBlock } from '@pujiang/protocol';
import { blockLimitProblem, type Chain } from '../chain/chain.js';
import type { NodeClock } from '../clock.js';
import type { BlockTx } from '../execution/executor.js';
import type { Mempool } from '../mempool/mempool.js';

/** Proposed blocks held for heights not yet committed, at most (a peer cannot fill memory with them). */
const MAX_CANDIDATES = 64;
/** How long a proposal waits for its block before the verdict is "invalid". */
const BODY_WAIT_MS = 5_000;

export interface ConsensusGlueOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  /** This node's key: the proposer of the blocks it builds. */
  readonly proposer: PublicKey;
  /** Where the blocks it builds take their time (the wall clock, plus a test chain's offset). */
  readonly clock: NodeClock;
  /** Asks peers for decided blocks (block sync). */
  readonly requestBlocks: () => void;
  /** Whether there are peers to ask at all. */
  readonly networked: boolean;
  readonly log?: (line: string) => void;
}

/**
 * What the consensus driver asks of the application: build a block to propose, judge a
 * proposed one, the validator set of a height, and the block behind a decision. It holds
 * the block candidates (own and peers') until their height is committed.
 */
export class ConsensusGlue {
  private readonly candidates = new Map<string, Block>();
  /** Verdicts waiting for a proposal's block to arrive, by block hash. */
  private readonly bodyWaiters = new Map<string, (() => void)[]>();
  /** For blocks this node built: their transactions as the mempool decoded and verified them. */
  private readonly prepared = new Map<string, BlockTx[]>();
  /** Candidates already written to the store (a proposer's own block is saved once). */
  private readonly saved = new Set<string>();
  /** Recent heights' sets as consensus sees them (priorities advanced once per height, so proposers rotate). */
  private readonly sets = new Map<number, { set: ValidatorSet; keys: readonly PublicKey[]; since: bigint }>();

  constructor(private readonly o: ConsensusGlueOptions) {}

  /** Builds the next block from the mempool within the limits in force, stores it, returns its hash. */
  async buildValue(): Promise<string> {
    const { chain, mempool, proposer, clock } = this.o;
    const limits = chain.config().limits;
    let entries = mempool.reap({
      maxTxs: limits.maxBlockTxs,
      maxBytes: limits.maxBlockBytes - 1024, // the header and the count
      maxGas: limits.maxBlockGas,
    });
    let { block, hash } = chain.buildBlock(
      proposer,
      clock.now(),
      entries.map((e) => e.wire),
    );
    // The header was just built from our head; what could be wrong is the reaping.
    const problem = blockLimitProblem(
      limits,
      block,
      entries.map((e) => e.tx),
    );
    if (problem !== undefined) {
      // Never propose what the others would refuse: an empty block keeps the chain going.
      this.o.log?.(`proposer: own block invalid (${problem}); proposing an empty block`);
      entries = [];
      ({ block, hash } = chain.buildBlock(proposer, clock.now(), []));
    }
    this.save(block, hash);
    this.prepared.set(hash, entries);
    return hash;
  }

  /**
   * The application's verdict on a proposed value (a block hash whose body arrived first, or
   * that this node stored before it signed for it and so still has after a restart).
   */
  async validateValue(height: number, value: string): Promise<boolean> {
    const block = this.candidate(BigInt(height), value) ?? (await this.awaitBody(value));
    if (block === undefined || !this.o.chain.validateBlock(block)) return false;
    this.save(block, value);
    return true;
  }

  /** A proposed block's body from a peer (it travels before its proposal). */
  receiveBlock(bytes: Uint8Array): void {
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch {
      return;
    }
    const chain = this.o.chain;
    const height = block.header.height;
    if (height <= chain.height || height > chain.height + 2n) return;
    if (this.candidates.size >= MAX_CANDIDATES) return;
    const hash = blockHash(chain.genesis.chainHash, block.header);
    this.candidates.set(hash, block);
    const waiting = this.bodyWaiters.get(hash);
    this.bodyWaiters.delete(hash);
    for (const wake of waiting ?? []) wake();
  }

  /**
   * A proposal whose block has not arrived (it came from a peer answering for a round, or its
   * block was lost with a crashed proposer): the verdict is final for the height, so wait a
   * while for the block rather than judge the value invalid for want of it.
   */
  private async awaitBody(value: string): Promise<Block | undefined> {
    if (!this.o.networked || this.bodyWaiters.size >= MAX_CANDIDATES) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, BODY_WAIT_MS);
      const waiting = this.bodyWaiters.get(value) ?? [];
      waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.bodyWaiters.set(value, waiting);
    });
    this.bodyWaiters.delete(value);
    return this.candidates.get(value);
  }

  /** A block this node holds as a candidate (in memory, or stored before it signed for it). */
  candidate(height: bigint, value: string): Block | undefined {
    return this.candidates.get(value) ?? this.o.chain.candidate(height, value);
  }

  /** The block's transactions as this node's mempool prepared them, when it built the block. */
  preparedTxs(value: string): BlockTx[] | undefined {
    return this.prepared.get(value);
  }

  /** A height was committed: its candidates are settled. */
  settled(): void {
    this.candidates.clear();
    this.prepared.clear();
    this.saved.clear();
  }

  /**
   * A decided block this node never received (it missed the proposal): ask the peers for it
   * and wait, re-asking, until it arrives as a candidate or is committed by block sync.
   */
  async awaitBlock(certificate: CommitCertificate): Promise<void> {
    const chain = this.o.chain;
    const height = BigInt(certificate.height);
    const known = () =>
      height <= chain.height ||
      this.candidates.has(certificate.value) ||
      chain.candidate(height, certificate.value) !== undefined;
    for (let attempt = 0; !known(); attempt++) {
      if (!this.o.networked || attempt >= 120) return; // commit then reports the block as unknown
      if (attempt % 4 === 0) this.o.requestBlocks();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * The validator set of a height as consensus needs it: the chain's set for that height
   * (governance may have changed it), its priorities advanced once per height since the set
   * took effect (CometBFT's rotation; a changed set starts from zero).
   */
  validatorsAt(height: number): { set: ValidatorSet; keys: readonly PublicKey[] } {
    const chain = this.o.chain;
    const cached = this.sets.get(height);
    if (cached) return cached;
    // Consensus asks about the next heights only; anything further uses the furthest known set
    // (such messages are dropped or buffered, never counted toward a decision here).
    const exact = chain.validatorsFor(BigInt(height));
    const recorded = exact ?? chain.validatorsFor(chain.height + 2n)!;
    // Advance from the nearest lower height of the same set, else from where the set began.
    let at = Number(recorded.since);
    let set = newValidatorSet(recorded.validators.map((v) => v.power));
    const keys = recorded.validators.map((v) => v.publicKey);
    for (const [h, s] of this.sets)
      if (h <= height && h > at && s.since === recorded.since)
        ({ height: at, set } = { height: h, set: s.set });
    for (; at < height; at++) set = advanceValidatorSet(set);
    const entry = { set, keys, since: recorded.since };
    if (exact === undefined) return entry; // a stand-in: not cached
    if (this.sets.size >= 16) this.sets.delete(this.sets.keys().next().value!);
    this.sets.set(height, entry);
    return entry;
  }

  private save(block: Block, hash: string): void {
    this.candidates.set(hash, block);
    if (this.saved.has(hash)) return;
    this.o.chain.saveCandidate(block, hash);
    this.saved.add(hash);
  }
}
