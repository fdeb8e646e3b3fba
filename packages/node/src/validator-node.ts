import { type CommitCertificate, ConsensusDriver, type TimeoutConfig } from '@pujiang/consensus';
import {
  ED25519_IMPLEMENTATION,
  getSuite,
  hash,
  type PublicKey,
  type SecretKey,
  type SuiteId,
  VerifyPool,
} from '@pujiang/crypto';
import type { ChainModule } from '@pujiang/module-kit';
import {
  type Block,
  decodeTx,
  encodeWire,
  type Genesis,
  type SignedTx,
  senderKey,
  txSignatureChecks,
} from '@pujiang/protocol';
import { bytesToHex, equalBytes, isPujiangError } from '@pujiang/types';
import { Chain } from './chain/chain.js';
import { NodeClock } from './clock.js';
import { chainDir, consensusDir } from './data-dir.js';
import type { BlockTx } from './execution/executor.js';
import { Mempool, type MempoolOptions, senderId } from './mempool/mempool.js';
import { NodeMetrics } from './metrics.js';
import { BlockSync } from './network/block-sync.js';
import type { PeerOffence } from './network/peer-offence.js';
import { PeerRouter, type PeerTransport } from './network/peer-router.js';
import type { PeerNetworkSnapshot } from './network/peer-watch.js';
import { TxGossip } from './network/tx-gossip.js';
import { Serial } from './serial.js';
import { type CommitListener, CommitWaiters } from './validator/commit-waiters.js';
import { ConsensusGlue } from './validator/consensus-glue.js';
import { EvidenceReporter } from './validator/evidence-reporter.js';
import { Pacing } from './validator/pacing.js';

export type { PeerTransport } from './network/peer-router.js';
export type { CommitListener } from './validator/commit-waiters.js';

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
  /** Block time's offset from the wall clock at start (default 0); only a test genesis allows one. */
  readonly clockOffsetMs?: number;
}

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
  /** Submits the driver's equivocation evidence as a `governance/evidence` transaction. */
  readonly evidence: EvidenceReporter;
  /** Block time's clock: the wall clock, plus the offset a test chain may set (`clock.ts`). */
  readonly clock: NodeClock;
  private readonly glue: ConsensusGlue;
  private readonly pacing: Pacing;
  private readonly router: PeerRouter;
  private readonly waiters = new CommitWaiters();
  private readonly senderAddresses = new Map<string, string>();
  /** Modules' node services, by module: what their peers send them. */
  private readonly moduleHandlers = new Map<string, (peer: string, payload: Uint8Array) => void>();

  private readonly o: ValidatorNodeOptions;
  private stopped = false;
  /**
   * Consensus and block sync commit through this, one at a time, each checking the height
   * once its turn comes (the chain's own lock would refuse the second of one height).
   */
  private readonly commits = new Serial();

  constructor(o: ValidatorNodeOptions) {
    this.o = o;
    const g = o.genesis;
    this.clock = NodeClock.forGenesis(g, o.clockOffsetMs ?? 0);
    const chain = Chain.open(chainDir(o.dataDir), g, o.modules, { keepBlocks: o.keepBlocks ?? 0 });
    this.chain = chain;
    this.pool = new VerifyPool(o.verifyWorkers === undefined ? {} : { workers: o.verifyWorkers });
    this.publicKey = {
      suite: o.secretKey.suite,
      bytes: getSuite(o.secretKey.suite).publicKeyFromSecretKey(o.secretKey.bytes),
    };
    this.nodeId = this.chain.addressOf(this.publicKey);
    const transport = o.transport;
    const report = (peer: string, offence: PeerOffence) => this.router.report(peer, offence);
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
      onIncludable: () => this.pacing.txArrived(),
    });
    this.pacing = new Pacing(chain, this.mempool, this.clock);
    this.evidence = new EvidenceReporter({
      chain,
      mempool: this.mempool,
      secretKey: o.secretKey,
      submit: (wire) => this.submit(wire),
      ...(o.log ? { log: o.log } : {}),
    });
    this.glue = new ConsensusGlue({
      chain,
      mempool: this.mempool,
      proposer: this.publicKey,
      clock: this.clock,
      requestBlocks: () => this.sync.requestNext(),
      networked: transport !== undefined,
      ...(o.log ? { log: o.log } : {}),
    });
    this.router = new PeerRouter({
      transport,
      chain,
      glue: this.glue,
      sync: () => this.sync,
      gossip: () => this.gossip,
      consensus: (message, invalid) => this.driver.receive(message, invalid),
      roundMessages: (height, round) => this.driver.roundMessages(height, round),
      offence: (type) => this.metrics.peerOffence(type),
      moduleData: (peer, module, payload) => this.moduleHandlers.get(module)?.(peer, payload),
    });
    this.driver = ConsensusDriver.start({
      chainId: g.chainId,
      dataDir: consensusDir(o.dataDir),
      secretKey: o.secretKey,
      ...(o.timeouts ? { timeouts: o.timeouts } : {}),
      commitDelayMs: o.blockIntervalMs ?? 200,
      startGate: () => this.pacing.gate(),
      onRoundChange: (height, round) => o.log?.(`consensus: height ${height} round ${round}`),
      setTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return () => clearTimeout(t);
      },
      broadcast: (m) => this.router.broadcastConsensus(m),
      requestDecided: () => this.sync.requestNext(),
      requestVotes: (height, round) => this.router.requestVotes(height, round),
      onEvidence: (first, second) => this.evidence.report(first, second),
      validatorsAt: (height) => this.glue.validatorsAt(height),
      committedHeight: () => Number(this.chain.height),
      verify: (publicKey, message, signature) =>
        this.pool.verify({ suite: publicKey.suite, publicKey: publicKey.bytes, message, signature }),
      buildValue: () => this.glue.buildValue(),
      validateValue: (height, value) => this.glue.validateValue(height, value),
      commit: async (certificate: CommitCertificate) => {
        await this.glue.awaitBlock(certificate);
        await this.commit(certificate);
      },
    });
    this.metrics.observe(() => ({
      height: Number(this.chain.height),
      round: this.round,
      mempoolSize: this.mempool.size,
      mempoolBytes: this.mempool.totalBytes,
      peers: this.peerCount,
      syncing: this.syncing,
      syncedBlocks: this.sync.synced,
      txsPulled: this.gossip.stats.pulled,
      txsServed: this.gossip.stats.served,
    }));
    this.metrics.buildInfo({
      chainId: g.chainId,
      chainHash: g.chainHash,
      suite: this.publicKey.suite,
      ed25519: ED25519_IMPLEMENTATION,
    });
  }

  /** A decided block from consensus (skipped if block sync committed its height meanwhile). */
  private commit(certificate: CommitCertificate): Promise<void> {
    return this.commits.run(async () => {
      if (BigInt(certificate.height) <= this.chain.height) return;
      const block = this.glue.candidate(BigInt(certificate.height), certificate.value);
      if (!block) throw new Error(`decided block ${certificate.value} is not known here`);
      await this.commitBlock(
        block,
        certificate,
        (hash) => this.mempool.get(hash),
        this.glue.preparedTxs(certificate.value),
      );
    });
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
    await this.commits.run(async () => {
      // Consensus may have committed this height while the signatures were being checked,
      // or the node stopped (its store is closing).
      if (this.stopped || block.header.height !== this.chain.height + 1n) return;
      await this.commitBlock(block, certificate, (h) => verified.get(h));
    });
  }

  /** Commits a block and tells the mempool, peers, block sync and waiting clients (inside `commits`). */
  private async commitBlock(
    block: Block,
    certificate: CommitCertificate,
    verified: (hash: string) => { readonly tx: SignedTx; readonly sender: string } | undefined,
    prepared?: readonly BlockTx[],
  ): Promise<void> {
    const committed = await this.chain.commit(block, certificate, verified, prepared);
    this.glue.settled();
    this.router.settled();
    const now = performance.now();
    // Receipts past the transactions' are block hooks', not transactions.
    committed.txs.forEach(({ hash, tx }, i) => {
      const entry = this.mempool.get(hash);
      if (entry) this.metrics.commitLatencySeconds((now - entry.admittedAt) / 1000);
      this.metrics.txCommitted(tx.body.module, committed.receipts[i]?.code ?? 'OK');
    });
    this.metrics.blockCommitted();
    this.metrics.committedRate.add(committed.txs.length, now);
    this.mempool.update(committed.txs.map((t) => t.hash));
    // Peers learn our height (block sync follows it); then fetch more if we are behind.
    this.router.announceHeight();
    this.sync.pump();
    this.waiters.committed(committed);
  }

  /** The sender's and every endorser's signature, on the worker pool. */
  private async verifyAll(tx: SignedTx, wire: Uint8Array): Promise<boolean> {
    const checks = txSignatureChecks(tx, wire);
    if (checks.length === 1) return this.pool.verify(checks[0]!);
    const results = await Promise.all(checks.map((c) => this.pool.verify(c)));
    return results.every(Boolean);
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

  /** A link to a peer opened: tell it our height (it may sync from us, or we from it). */
  peerConnected(peer: string): void {
    this.router.announceHeight(peer);
  }

  peerDisconnected(peer: string): void {
    this.router.peerGone(peer);
  }

  /** A payload from a peer. Malformed input is the peer's offence: it can never fail the node. */
  receive(peer: string, payload: Uint8Array): void {
    if (this.stopped) return;
    this.router.receive(peer, payload);
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
      this.metrics.txAdmitted();
      return hash;
    } catch (error) {
      if (isPujiangError(error)) this.metrics.txRefused(error.code);
      throw error;
    }
  }

  /** Resolves with where the transaction was committed, or undefined after `timeoutMs`. */
  waitForCommit(hash: string, timeoutMs: number): Promise<{ height: bigint; index: number } | undefined> {
    return this.waiters.waitFor(hash, timeoutMs, (h) => this.chain.locate(h));
  }

  /** Calls `listener` after every committed block; returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    return this.waiters.onCommit(listener);
  }

  /** Routes the payloads peers send `module` to `handler` (a module's node service). */
  onModuleData(module: string, handler: (peer: string, payload: Uint8Array) => void): void {
    this.moduleHandlers.set(module, handler);
  }

  /** Sends a module's payload to one linked peer. */
  sendModuleData(peer: string, module: string, payload: Uint8Array): void {
    this.o.transport?.send(peer, encodeWire({ type: 'moduleData', value: { module, payload } }));
  }

  /** The peers linked now ("suite:hex" of their node keys). */
  peerIds(): readonly string[] {
    return this.o.transport?.peers() ?? [];
  }

  /** The peer network's view of its peers (undefined without a network, or one that keeps none). */
  peerSnapshot(): PeerNetworkSnapshot | undefined {
    return this.o.transport?.snapshot?.();
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
    this.evidence.stop();
    this.gossip.stop();
    this.pacing.release();
    this.driver.stop();
    await this.driver.idle();
    // A block sync commit in progress finishes (queued ones see `stopped` and skip).
    await this.commits.idle();
    this.waiters.close();
    await this.pool.close();
    await this.chain.close();
  }
}
