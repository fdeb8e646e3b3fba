import {
  advanceValidatorSet,
  type CommitCertificate,
  ConsensusDriver,
  type ConsensusMessage,
  newValidatorSet,
  type TimeoutConfig,
  type ValidatorSet,
} from '@pujiang/consensus';
import { getSuite, hash, type PublicKey, type SecretKey, type SuiteId, VerifyPool } from '@pujiang/crypto';
import type { ChainModule } from '@pujiang/module-kit';
import {
  type Block,
  blockHash,
  consensusToWire,
  decodeBlock,
  decodeTx,
  decodeWire,
  encodeBlock,
  encodeCertificate,
  encodeWire,
  type Genesis,
  type SignedTx,
  senderKey,
  txSignatureChecks,
  type WireMessage,
  wireToConsensus,
} from '@pujiang/protocol';
import { bytesToHex, equalBytes, isPujiangError } from '@pujiang/types';
import { blockLimitProblem, Chain, type CommittedBlock } from './chain/chain.js';
import { chainDir, consensusDir } from './data-dir.js';
import type { BlockTx } from './execution/executor.js';
import { Mempool, type MempoolOptions, senderId } from './mempool/mempool.js';
import { NodeMetrics } from './metrics.js';
import { BlockSync } from './network/block-sync.js';
import type { PeerOffence } from './network/peer-offence.js';
import { TxGossip } from './network/tx-gossip.js';

/** Roles whose identities may run nodes (validators; auditors and regulators run full nodes to verify for themselves). */

export interface ValidatorNodeOptions {
  readonly dataDir: string;
  readonly genesis: Genesis;
  readonly modules: readonly ChainModule[];
  readonly secretKey: SecretKey;
  /** The peer network (a validator alone needs none): how this node's messages reach the others. */
  readonly transport?: PeerTransport;
  readonly timeouts?: TimeoutConfig;
  /** Pause after each committed block before the next height starts (default 200 ms). */
  readonly blockIntervalMs?: number;
  /** Mempool bounds (count, bytes, per sender, nonce window). */
  readonly mempool?: Pick<MempoolOptions, 'maxTxs' | 'maxBytes' | 'maxPerSender' | 'nonceWindow'>;
  /** Where the node reports what an operator should know (default: nowhere). */
  readonly log?: (line: string) => void;
  /** Signature-verification workers (default: one per core). */
  readonly verifyWorkers?: number;
  /** Keep the bodies of only the latest this-many blocks (default 0: keep everything). */
  readonly keepBlocks?: number;
}

export type CommitListener = (committed: CommittedBlock) => void;

/**
 * What the node needs from a peer network. Incoming payloads go to `ValidatorNode.receive`,
 * links that open and close to `peerConnected` and `peerDisconnected`.
 */
export interface PeerTransport {
  /** Peers connected now. */
  peers(): readonly string[];
  /** Sends to every connected peer. */
  broadcast(payload: Uint8Array): void;
  /** Sends to one peer, named as in `receive`. */
  send(peer: string, payload: Uint8Array): void;
  /** A peer broke the protocol: the network scores it, and disconnects and bans it past a threshold. */
  report?(peer: string, offence: PeerOffence): void;
}

/** Proposed blocks held for heights not yet committed, at most (a peer cannot fill memory with them). */
const MAX_CANDIDATES = 64;

/**
 * One node process's core: the chain (store, state, execution), the mempool, the
 * verification pool and the consensus driver, wired together, with block sync and
 * transaction gossip over a peer transport. A node whose key is not a genesis validator is
 * a full node: it follows the chain (block sync, and consensus messages it hears) and
 * serves the API, but never signs. The API attaches from outside through `submit`,
 * `onCommit` and the read methods of `chain`.
 */
export class ValidatorNode {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly pool: VerifyPool;
  readonly driver: ConsensusDriver;
  readonly metrics = new NodeMetrics();
  readonly publicKey: PublicKey;
  /** The node's id: the address of its key under the chain hash. */
  readonly nodeId: string;
  readonly sync: BlockSync;
  readonly gossip: TxGossip;
  /** Per proposed block, the peers that were sent its body (a re-sent proposal does not re-send it). */
  private readonly bodiesSent = new Map<string, Set<string>>();
  private readonly candidates = new Map<string, Block>();
  /** For blocks this node built: their transactions as the mempool decoded and verified them. */
  private readonly preparedTxs = new Map<string, BlockTx[]>();
  /** Candidates already written to the store (a proposer's own block is saved once). */
  private readonly savedCandidates = new Set<string>();
  /** Recent heights' sets as consensus sees them (priorities advanced once per height, so proposers rotate). */
  private readonly sets = new Map<number, { set: ValidatorSet; keys: readonly PublicKey[]; since: bigint }>();
  private readonly listeners = new Set<CommitListener>();
  private readonly senderAddresses = new Map<string, string>();
  private readonly waiters = new Map<
    string,
    Set<(at: { height: bigint; index: number } | undefined) => void>
  >();

  private readonly o: ValidatorNodeOptions;
  private stopped = false;

  constructor(o: ValidatorNodeOptions) {
    this.o = o;
    const g = o.genesis;
    const chain = Chain.open(chainDir(o.dataDir), g, o.modules, { keepBlocks: o.keepBlocks ?? 0 });
    this.chain = chain;
    this.pool = new VerifyPool(o.verifyWorkers === undefined ? {} : { workers: o.verifyWorkers });
    this.publicKey = {
      suite: o.secretKey.suite,
      bytes: getSuite(o.secretKey.suite).publicKeyFromSecretKey(o.secretKey.bytes),
    };
    this.nodeId = this.chain.addressOf(this.publicKey);
    const transport = o.transport;
    const report = (peer: string, offence: PeerOffence) => this.reportPeer(peer, offence);
    this.sync = new BlockSync({
      genesis: g,
      validatorsAt: (height) => this.chain.validatorsFor(height)?.validators,
      height: () => this.chain.height,
      send: (peer, payload) => transport?.send(peer, payload),
      report,
      problem: (block) => this.chain.blockProblem(block),
      apply: (block, certificate) => this.applySynced(block, certificate),
      caughtUp: (certificate) => this.driver.synced(certificate),
    });
    this.gossip = new TxGossip({
      peers: () => transport?.peers() ?? [],
      send: (peer, payload) => transport?.send(peer, payload),
      report,
      has: (hash) => this.mempool.has(hash),
      body: (hash) => this.mempool.get(hash)?.wire,
      admit: (wire) => this.admit(wire),
    });
    this.mempool = new Mempool({
      ...o.mempool,
      chainId: g.chainId,
      hash: g.chainHash,
      // Governance may change both: read them from the latest state on every arrival.
      get acceptedSuites() {
        return chain.config().acceptedSuites as SuiteId[];
      },
      get maxTxGas() {
        return chain.config().limits.maxBlockGas;
      },
      verify: (tx, wire) => this.verifyAll(tx, wire),
      authorize: (tx, sender) =>
        chain.executor.authorize(chain.stateRoot, tx, sender, chain.height + 1n, chain.lastBlockTime),
      senderOf: (tx) => this.addressOfSender(tx),
      accountNonce: (address) => this.chain.nonceOf(address),
      nextHeight: () => this.chain.height + 1n,
    });
    const own = this.publicKey;
    this.driver = ConsensusDriver.start({
      chainId: g.chainId,
      dataDir: consensusDir(o.dataDir),
      secretKey: o.secretKey,
      ...(o.timeouts ? { timeouts: o.timeouts } : {}),
      commitDelayMs: o.blockIntervalMs ?? 200,
      setTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return () => clearTimeout(t);
      },
      broadcast: (m) => this.broadcastConsensus(m),
      requestDecided: () => this.sync.requestNext(),
      requestVotes: () => {},
      validatorsAt: (height) => this.setAt(height),
      committedHeight: () => Number(this.chain.height),
      verify: (publicKey, message, signature) =>
        this.pool.verify({ suite: publicKey.suite, publicKey: publicKey.bytes, message, signature }),
      buildValue: async () => {
        const limits = chain.config().limits;
        let entries = this.mempool.reap({
          maxTxs: limits.maxBlockTxs,
          maxBytes: limits.maxBlockBytes - 1024, // the header and the count
          maxGas: limits.maxBlockGas,
        });
        let { block, hash } = this.chain.buildBlock(
          own,
          BigInt(Date.now()),
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
          o.log?.(`proposer: own block invalid (${problem}); proposing an empty block`);
          entries = [];
          ({ block, hash } = this.chain.buildBlock(own, BigInt(Date.now()), []));
        }
        this.saveCandidate(block, hash);
        this.preparedTxs.set(hash, entries);
        return hash;
      },
      validateValue: async (_height, value) => {
        const block = this.candidates.get(value);
        if (block === undefined || !this.chain.validateBlock(block)) return false;
        this.saveCandidate(block, value);
        return true;
      },
      commit: async (certificate: CommitCertificate) => {
        await this.awaitBlock(certificate);
        this.commit(certificate);
      },
    });
  }

  private commit(certificate: CommitCertificate): void {
    if (BigInt(certificate.height) <= this.chain.height) return;
    const block =
      this.candidates.get(certificate.value) ??
      this.chain.candidate(BigInt(certificate.height), certificate.value);
    if (!block) throw new Error(`decided block ${certificate.value} is not known here`);
    this.commitBlock(
      block,
      certificate,
      (hash) => this.mempool.get(hash),
      this.preparedTxs.get(certificate.value),
    );
  }

  /**
   * A decided block from block sync: its transactions' signatures are checked on the worker
   * pool first (the mempool's entries already were), so the commit does no crypto here.
   */
  private async applySynced(block: Block, certificate: CommitCertificate): Promise<void> {
    const algorithm = this.o.genesis.chainHash;
    const verified = new Map<string, { tx: SignedTx; sender: string }>();
    await Promise.all(
      block.txs.map(async (wire) => {
        const txHash = bytesToHex(hash(algorithm, wire));
        const known = this.mempool.get(txHash);
        if (known) {
          verified.set(txHash, known);
          return;
        }
        let tx: SignedTx;
        try {
          tx = decodeTx(wire);
        } catch {
          return; // the executor fails it, as every node does
        }
        const ok = await this.verifyAll(tx, wire).catch(() => false);
        // A bad signature in a decided block fails in execution, deterministically, on every node.
        if (ok) verified.set(txHash, { tx, sender: this.addressOfSender(tx) });
      }),
    );
    // Consensus may have committed this height while the signatures were being checked,
    // or the node stopped (its store is closing).
    if (this.stopped || block.header.height !== this.chain.height + 1n) return;
    this.commitBlock(block, certificate, (h) => verified.get(h));
  }

  private commitBlock(
    block: Block,
    certificate: CommitCertificate,
    verified: (hash: string) => { readonly tx: SignedTx; readonly sender: string } | undefined,
    prepared?: readonly BlockTx[],
  ): void {
    const committed = this.chain.commit(block, certificate, verified, prepared);
    this.candidates.clear();
    this.preparedTxs.clear();
    this.savedCandidates.clear();
    this.bodiesSent.clear();
    const now = performance.now();
    for (const { hash } of committed.txs) {
      const entry = this.mempool.get(hash);
      if (entry) this.metrics.commitLatency.observe((now - entry.admittedAt) / 1000);
    }
    this.metrics.blocks++;
    this.metrics.committedTxs += committed.txs.length;
    this.metrics.failedTxs += committed.receipts.filter((r) => r.code !== 'OK').length;
    this.metrics.committedRate.add(committed.txs.length, now);
    this.mempool.update(committed.txs.map((t) => t.hash));
    // Peers learn our height (block sync follows it); then fetch more if we are behind.
    this.o.transport?.broadcast(encodeWire({ type: 'status', value: { height: this.chain.height } }));
    this.sync.pump();
    if (this.waiters.size > 0) {
      committed.txs.forEach((t, index) => {
        const waiting = this.waiters.get(t.hash);
        if (!waiting) return;
        this.waiters.delete(t.hash);
        for (const resolve of waiting) resolve({ height: committed.block.header.height, index });
      });
    }
    for (const listener of this.listeners) {
      try {
        listener(committed);
      } catch {
        // A subscriber's failure is its own; the chain goes on.
      }
    }
  }

  /** The sender's and every endorser's signature, on the worker pool. */
  private async verifyAll(tx: SignedTx, wire: Uint8Array): Promise<boolean> {
    const checks = txSignatureChecks(tx, wire);
    if (checks.length === 1) return this.pool.verify(checks[0]!);
    const results = await Promise.all(checks.map((c) => this.pool.verify(c)));
    return results.every(Boolean);
  }

  /**
   * The validator set of a height as consensus needs it: the chain's set for that height
   * (governance may have changed it), its priorities advanced once per height since the set
   * took effect (CometBFT's rotation; a changed set starts from zero).
   */
  private setAt(height: number): { set: ValidatorSet; keys: readonly PublicKey[] } {
    const cached = this.sets.get(height);
    if (cached) return cached;
    // Consensus asks about the next heights only; anything further uses the furthest known set
    // (such messages are dropped or buffered, never counted toward a decision here).
    const exact = this.chain.validatorsFor(BigInt(height));
    const recorded = exact ?? this.chain.validatorsFor(this.chain.height + 2n)!;
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

  /**
   * Whether a node key may hold a peer link. On a permissioned chain: a registered identity
   * of a node-running role (validator, or an auditor's or regulator's full node), valid and
   * not revoked. On an open chain: a validator of the next heights. Either way, a key this
   * node's config admits, unless the chain revoked it.
   */
  isPeerMember(key: PublicKey, admitted: boolean): boolean {
    // Membership is the chain's policy (governance's kernel service), not the node's.
    const at = {
      time: this.chain.lastBlockTime,
      chainHash: this.o.genesis.chainHash,
      admittedByConfig: admitted,
    };
    const verdict = this.chain.executor.kernelCall('admitsPeer', this.chain.stateRoot, (admits, read) =>
      admits(read, key, at),
    );
    if (verdict !== undefined) return verdict;
    if (admitted) return true;
    const same = (v: { publicKey: PublicKey }) =>
      v.publicKey.suite === key.suite && equalBytes(v.publicKey.bytes, key.bytes);
    const h = this.chain.height;
    return [h + 1n, h + 2n].some((height) => this.chain.validatorsFor(height)?.validators.some(same));
  }

  /** Whether this node's key signs the next height (else it follows as a full node). */
  get isValidator(): boolean {
    const set = this.chain.validatorsFor(this.chain.height + 1n);
    return (
      set?.validators.some(
        (v) =>
          v.publicKey.suite === this.publicKey.suite && equalBytes(v.publicKey.bytes, this.publicKey.bytes),
      ) ?? false
    );
  }

  /**
   * A proposal goes out after the block it proposes, on the same ordered links. The body goes
   * to each peer once; the driver's periodic re-sends of the proposal do not repeat it.
   */
  private broadcastConsensus(m: ConsensusMessage): void {
    const transport = this.o.transport;
    if (!transport) return;
    const wire = encodeWire(consensusToWire(m));
    if (m.kind !== 'proposal') {
      transport.broadcast(wire);
      return;
    }
    const value = m.signed.message.value;
    const block = this.candidates.get(value);
    let sent = this.bodiesSent.get(value);
    if (!sent) {
      sent = new Set();
      this.bodiesSent.set(value, sent);
    }
    const body = block ? encodeWire({ type: 'block', value: encodeBlock(block) }) : undefined;
    for (const peer of transport.peers()) {
      if (body && !sent.has(peer)) {
        transport.send(peer, body);
        sent.add(peer);
      }
      transport.send(peer, wire);
    }
  }

  /**
   * A decided block this node never received (it missed the proposal): ask the peers for it
   * and wait, re-asking, until it arrives as a candidate or is committed by block sync.
   */
  private async awaitBlock(certificate: CommitCertificate): Promise<void> {
    const height = BigInt(certificate.height);
    const known = () =>
      height <= this.chain.height ||
      this.candidates.has(certificate.value) ||
      this.chain.candidate(height, certificate.value) !== undefined;
    for (let attempt = 0; !known(); attempt++) {
      if (!this.o.transport || attempt >= 120) return; // commit then reports the block as unknown
      if (attempt % 4 === 0) this.sync.requestNext();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Counts a peer's offence and hands it to the network, which scores (and may ban) the peer. */
  private reportPeer(peer: string, offence: PeerOffence): void {
    this.metrics.peerOffences++;
    this.o.transport?.report?.(peer, offence);
  }

  /** A link to a peer opened: tell it our height (it may sync from us, or we from it). */
  peerConnected(peer: string): void {
    this.o.transport?.send(peer, encodeWire({ type: 'status', value: { height: this.chain.height } }));
  }

  peerDisconnected(peer: string): void {
    this.sync.peerGone(peer);
    this.gossip.peerGone(peer);
    for (const sent of this.bodiesSent.values()) sent.delete(peer);
  }

  /** A payload from a peer. Malformed input is the peer's offence: it can never fail the node. */
  receive(peer: string, payload: Uint8Array): void {
    if (this.stopped) return;
    let message: WireMessage;
    try {
      message = decodeWire(payload);
    } catch {
      this.reportPeer(peer, 'undecodable');
      return;
    }
    switch (message.type) {
      case 'proposal':
      case 'vote': {
        const consensus = wireToConsensus(message);
        if (consensus) this.driver.receive(consensus, () => this.reportPeer(peer, 'invalid-signature'));
        return;
      }
      case 'block':
        this.receiveBlock(message.value);
        return;
      case 'status':
        this.sync.onStatus(peer, message.value.height);
        return;
      case 'blockRequest':
        this.answerBlockRequest(peer, message.value.from, message.value.count);
        return;
      case 'decidedBlock':
        this.sync.onDecided(peer, message.value.block, message.value.certificate);
        return;
      case 'txAnnounce':
        this.gossip.onAnnounce(peer, message.value);
        return;
      case 'txRequest':
        this.gossip.onRequest(peer, message.value);
        return;
      case 'txs':
        this.gossip.onTxs(peer, message.value);
        return;
    }
  }

  private receiveBlock(bytes: Uint8Array): void {
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch {
      return;
    }
    const height = block.header.height;
    if (height <= this.chain.height || height > this.chain.height + 2n) return;
    if (this.candidates.size >= MAX_CANDIDATES) return;
    this.candidates.set(blockHash(this.o.genesis.chainHash, block.header), block);
  }

  private answerBlockRequest(peer: string, from: bigint, count: number): void {
    const messages = BlockSync.answer(from, count, this.chain.height, (h) => {
      const block = this.chain.block(h);
      const certificate = this.chain.certificate(h);
      if (!block || !certificate) return undefined;
      return encodeWire({
        type: 'decidedBlock',
        value: { block: encodeBlock(block), certificate: encodeCertificate(certificate) },
      });
    });
    for (const message of messages) this.o.transport?.send(peer, message);
  }

  private saveCandidate(block: Block, hash: string): void {
    this.candidates.set(hash, block);
    if (this.savedCandidates.has(hash)) return;
    this.chain.saveCandidate(block, hash);
    this.savedCandidates.add(hash);
  }

  /** Senders are named by address in the mempool, derived once per key. */
  private addressOfSender(tx: SignedTx): string {
    const id = senderId(tx);
    let address = this.senderAddresses.get(id);
    if (address === undefined) {
      address = this.chain.addressOf(senderKey(tx.body));
      if (this.senderAddresses.size >= 100_000) this.senderAddresses.clear();
      this.senderAddresses.set(id, address);
    }
    return address;
  }

  /** Admits a transaction to the mempool; resolves to its hash or rejects with a typed error. */
  async submit(wire: Uint8Array): Promise<string> {
    const txHash = await this.admit(wire);
    this.gossip.announce(txHash);
    return txHash;
  }

  private async admit(wire: Uint8Array): Promise<string> {
    try {
      const hash = await this.mempool.add(wire);
      this.metrics.admittedTxs++;
      return hash;
    } catch (error) {
      if (isPujiangError(error)) this.metrics.refusedTxs++;
      throw error;
    }
  }

  /** Resolves with where the transaction was committed, or undefined after `timeoutMs`. */
  waitForCommit(hash: string, timeoutMs: number): Promise<{ height: bigint; index: number } | undefined> {
    const at = this.chain.locate(hash);
    if (at) return Promise.resolve(at);
    return new Promise((resolve) => {
      let waiting = this.waiters.get(hash);
      if (!waiting) {
        waiting = new Set();
        this.waiters.set(hash, waiting);
      }
      const done = (found: { height: bigint; index: number } | undefined) => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0 && this.waiters.get(hash) === waiting) this.waiters.delete(hash);
        resolve(found);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiting.add(done);
    });
  }

  /** Calls `listener` after every committed block; returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get peerCount(): number {
    return this.o.transport?.peers().length ?? 0;
  }

  /** More than a block behind the best peer's height. */
  get syncing(): boolean {
    return this.sync.syncing;
  }

  get round(): number {
    return this.driver.state.round;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.gossip.stop();
    this.driver.stop();
    await this.driver.idle();
    this.listeners.clear();
    for (const waiting of this.waiters.values()) for (const resolve of waiting) resolve(undefined);
    this.waiters.clear();
    await this.pool.close();
    await this.chain.close();
  }
}
