import {
  type CommitCertificate,
  ConsensusDriver,
  type ConsensusMessage,
  checkCertificate,
  newValidatorSet,
  type TimeoutConfig,
  type ValidatorSet,
} from '@pujiang/consensus';
import { getSuite, type PublicKey, type SecretKey, VerifyPool } from '@pujiang/crypto';
import {
  type Block,
  blockHash,
  consensusToWire,
  decodeBlock,
  decodeCertificate,
  decodeWire,
  encodeBlock,
  encodeCertificate,
  encodeWire,
  type Genesis,
  type SignedTx,
  senderKey,
  txSignBytesFromWire,
  type WireMessage,
  wireToConsensus,
} from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import { blockLimitProblem, Chain, type CommittedBlock } from './chain/chain.js';
import { chainDir, consensusDir } from './data-dir.js';
import type { BlockTx } from './execution/executor.js';
import type { ChainModule } from './execution/module.js';
import { Mempool, type MempoolOptions, senderId } from './mempool/mempool.js';
import { NodeMetrics } from './metrics.js';

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

/** What the node needs from a peer network; incoming payloads go to `ValidatorNode.receive`. */
export interface PeerTransport {
  /** Peers connected now (for metrics). */
  readonly peerCount?: number;
  /** Sends to every connected peer. */
  broadcast(payload: Uint8Array): void;
  /** Sends to one peer, named as in `receive`. */
  send(peer: string, payload: Uint8Array): void;
}

/** Proposed blocks held for heights not yet committed, at most (a peer cannot fill memory with them). */
const MAX_CANDIDATES = 64;

/**
 * One validator process's core: the chain (store, state, execution), the mempool, the
 * verification pool and the consensus driver, wired together. The API and (next) the peer
 * network attach from outside through `submit`, `onCommit` and the read methods of `chain`.
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
  private readonly candidates = new Map<string, Block>();
  /** For blocks this node built: their transactions as the mempool decoded and verified them. */
  private readonly preparedTxs = new Map<string, BlockTx[]>();
  /** Candidates already written to the store (a proposer's own block is saved once). */
  private readonly savedCandidates = new Set<string>();
  private readonly set: ValidatorSet;
  private readonly listeners = new Set<CommitListener>();
  private readonly senderAddresses = new Map<string, string>();
  private readonly waiters = new Map<
    string,
    Set<(at: { height: bigint; index: number } | undefined) => void>
  >();

  private readonly o: ValidatorNodeOptions;

  constructor(o: ValidatorNodeOptions) {
    this.o = o;
    const g = o.genesis;
    this.chain = Chain.open(chainDir(o.dataDir), g, o.modules, { keepBlocks: o.keepBlocks ?? 0 });
    this.pool = new VerifyPool(o.verifyWorkers === undefined ? {} : { workers: o.verifyWorkers });
    this.set = newValidatorSet(g.validators.map((v) => v.power));
    this.publicKey = {
      suite: o.secretKey.suite,
      bytes: getSuite(o.secretKey.suite).publicKeyFromSecretKey(o.secretKey.bytes),
    };
    this.nodeId = this.chain.addressOf(this.publicKey);
    this.mempool = new Mempool({
      ...o.mempool,
      chainId: g.chainId,
      hash: g.chainHash,
      acceptedSuites: g.acceptedSuites,
      maxTxGas: g.limits.maxBlockGas,
      verify: (tx, wire) =>
        this.pool.verify({
          suite: tx.body.suite,
          publicKey: tx.body.publicKey,
          message: txSignBytesFromWire(tx, wire),
          signature: tx.signature,
        }),
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
      requestDecided: () => this.requestBlock(this.chain.height + 1n),
      requestVotes: () => {},
      validatorsAt: () => ({ set: this.set, keys: g.validators.map((v) => v.publicKey) }),
      committedHeight: () => Number(this.chain.height),
      verify: (publicKey, message, signature) =>
        this.pool.verify({ suite: publicKey.suite, publicKey: publicKey.bytes, message, signature }),
      buildValue: async () => {
        let entries = this.mempool.reap({
          maxTxs: g.limits.maxBlockTxs,
          maxBytes: g.limits.maxBlockBytes - 1024, // the header and the count
          maxGas: g.limits.maxBlockGas,
        });
        let { block, hash } = this.chain.buildBlock(
          own,
          BigInt(Date.now()),
          entries.map((e) => e.wire),
        );
        // The header was just built from our head; what could be wrong is the reaping.
        const problem = blockLimitProblem(
          g.limits,
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
    const committed = this.chain.commit(
      block,
      certificate,
      (hash) => this.mempool.get(hash),
      this.preparedTxs.get(certificate.value),
    );
    this.candidates.clear();
    this.preparedTxs.clear();
    this.savedCandidates.clear();
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

  /** A proposal goes out after the block it proposes, on the same ordered links. */
  private broadcastConsensus(m: ConsensusMessage): void {
    const transport = this.o.transport;
    if (!transport) return;
    if (m.kind === 'proposal') {
      const block = this.candidates.get(m.signed.message.value);
      if (block) transport.broadcast(encodeWire({ type: 'block', value: encodeBlock(block) }));
    }
    transport.broadcast(encodeWire(consensusToWire(m)));
  }

  private requestBlock(height: bigint): void {
    this.o.transport?.broadcast(encodeWire({ type: 'blockRequest', value: { height } }));
  }

  /**
   * A decided block this node never received (it missed the proposal): ask the peers for it
   * and wait, re-asking, until it arrives as a candidate or a decided block.
   */
  private async awaitBlock(certificate: CommitCertificate): Promise<void> {
    const height = BigInt(certificate.height);
    const known = () =>
      height <= this.chain.height ||
      this.candidates.has(certificate.value) ||
      this.chain.candidate(height, certificate.value) !== undefined;
    for (let attempt = 0; !known(); attempt++) {
      if (!this.o.transport || attempt >= 60) return; // commit then reports the block as unknown
      this.requestBlock(height);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** A payload from a peer. Malformed input is dropped: it can never fail the node. */
  receive(peer: string, payload: Uint8Array): void {
    let message: WireMessage;
    try {
      message = decodeWire(payload);
    } catch {
      return; // the network layer scores peers; the node ignores what it cannot read
    }
    switch (message.type) {
      case 'proposal':
      case 'vote': {
        const consensus = wireToConsensus(message);
        if (consensus) this.driver.receive(consensus);
        return;
      }
      case 'block':
        this.receiveBlock(message.value);
        return;
      case 'blockRequest':
        this.answerBlockRequest(peer, message.value.height);
        return;
      case 'decidedBlock':
        this.receiveDecided(message.value.block, message.value.certificate);
        return;
      case 'tx':
        this.admit(message.value).catch(() => {});
        return;
    }
  }

  private receiveBlock(bytes: Uint8Array): Block | undefined {
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch {
      return undefined;
    }
    const height = block.header.height;
    if (height <= this.chain.height || height > this.chain.height + 2n) return undefined;
    if (this.candidates.size >= MAX_CANDIDATES) return undefined;
    this.candidates.set(blockHash(this.o.genesis.chainHash, block.header), block);
    return block;
  }

  private answerBlockRequest(peer: string, height: bigint): void {
    if (height < 1n || height > this.chain.height) return;
    const block = this.chain.block(height);
    const certificate = this.chain.certificate(height);
    if (!block || !certificate) return;
    this.o.transport?.send(
      peer,
      encodeWire({
        type: 'decidedBlock',
        value: { block: encodeBlock(block), certificate: encodeCertificate(certificate) },
      }),
    );
  }

  /** A decided block from a peer counts only with a valid certificate from our validator set. */
  private receiveDecided(blockBytes: Uint8Array, certificateBytes: Uint8Array): void {
    let certificate: CommitCertificate;
    try {
      certificate = decodeCertificate(certificateBytes);
    } catch {
      return;
    }
    const block = this.receiveBlock(blockBytes);
    if (!block || blockHash(this.o.genesis.chainHash, block.header) !== certificate.value) return;
    if (
      checkCertificate(
        this.o.genesis.chainId,
        certificate,
        this.o.genesis.validators,
        Number(block.header.height),
      )
    )
      return;
    // Behind by a block the others decided: commit it and move consensus on (block sync).
    if (
      block.header.height === this.chain.height + 1n &&
      this.driver.state.height === Number(block.header.height)
    ) {
      this.driver.synced(certificate);
    }
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
    const hash = await this.admit(wire);
    // Validators are fully connected, so one hop reaches every proposer; peers do not relay.
    this.o.transport?.broadcast(encodeWire({ type: 'tx', value: wire }));
    return hash;
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
    return this.o.transport?.peerCount ?? 0;
  }

  get round(): number {
    return this.driver.state.round;
  }

  async stop(): Promise<void> {
    this.driver.stop();
    await this.driver.idle();
    this.listeners.clear();
    for (const waiting of this.waiters.values()) for (const resolve of waiting) resolve(undefined);
    this.waiters.clear();
    await this.pool.close();
    await this.chain.close();
  }
}
