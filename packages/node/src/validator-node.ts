import { join } from 'node:path';
import {
  type CommitCertificate,
  ConsensusDriver,
  type ConsensusMessage,
  newValidatorSet,
  type TimeoutConfig,
  type ValidatorSet,
} from '@pujiang/consensus';
import { getSuite, type SecretKey, VerifyPool } from '@pujiang/crypto';
import type { Block } from './chain/block.js';
import { Chain, type Genesis } from './chain/chain.js';
import type { ChainModule } from './execution/module.js';
import { Mempool } from './mempool/mempool.js';
import { decodeTx, txSignBytes } from './tx/transaction.js';

export interface ValidatorNodeOptions {
  readonly dataDir: string;
  readonly genesis: Genesis;
  readonly modules: readonly ChainModule[];
  readonly secretKey: SecretKey;
  /** Where consensus messages go (the peer network); a single validator needs none. */
  readonly broadcast?: (message: ConsensusMessage) => void;
  readonly timeouts?: TimeoutConfig;
  /** Pause after each committed block before the next height starts (default 500 ms). */
  readonly blockIntervalMs?: number;
}

/**
 * One validator process's core: the chain (store, state, execution), the mempool, the
 * verification pool and the consensus driver, wired together. The network and API attach
 * from outside (issue 5 and the API layer).
 */
export class ValidatorNode {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly pool: VerifyPool;
  readonly driver: ConsensusDriver;
  private readonly candidates = new Map<string, Block>();
  private readonly set: ValidatorSet;

  constructor(o: ValidatorNodeOptions) {
    const g = o.genesis;
    this.chain = Chain.open(join(o.dataDir, 'chain'), g, o.modules);
    this.pool = new VerifyPool();
    this.set = newValidatorSet(g.validators.map((v) => v.power));
    this.mempool = new Mempool({
      chainId: g.chainId,
      hash: g.chainHash,
      acceptedSuites: g.acceptedSuites,
      verify: (tx) =>
        this.pool.verify({
          suite: tx.body.suite,
          publicKey: tx.body.publicKey,
          message: txSignBytes(tx.body),
          signature: tx.signature,
        }),
      accountNonce: (sender) => this.chain.nonceOf(this.addressOfSender(sender)),
      nextHeight: () => this.chain.height + 1n,
    });
    const own = {
      suite: o.secretKey.suite,
      bytes: getSuite(o.secretKey.suite).publicKeyFromSecretKey(o.secretKey.bytes),
    };
    this.driver = ConsensusDriver.start({
      chainId: g.chainId,
      dataDir: join(o.dataDir, 'consensus'),
      secretKey: o.secretKey,
      ...(o.timeouts ? { timeouts: o.timeouts } : {}),
      commitDelayMs: o.blockIntervalMs ?? 500,
      setTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return () => clearTimeout(t);
      },
      broadcast: (m) => o.broadcast?.(m),
      requestDecided: () => {},
      requestVotes: () => {},
      validatorsAt: () => ({ set: this.set, keys: g.validators.map((v) => v.publicKey) }),
      committedHeight: () => Number(this.chain.height),
      verify: (publicKey, message, signature) =>
        this.pool.verify({ suite: publicKey.suite, publicKey: publicKey.bytes, message, signature }),
      buildValue: async () => {
        const txs = this.mempool.reap(g.limits.maxBlockTxs, g.limits.maxBlockBytes - 4096);
        const { block, hash } = this.chain.buildBlock(own, BigInt(Date.now()), txs);
        this.candidates.set(hash, block);
        return hash;
      },
      validateValue: async (_height, value) => {
        const block = this.candidates.get(value);
        return block !== undefined && this.chain.validateBlock(block);
      },
      commit: async (certificate: CommitCertificate) => {
        if (BigInt(certificate.height) <= this.chain.height) return;
        const block = this.candidates.get(certificate.value);
        if (!block) throw new Error(`decided block ${certificate.value} is not known here`);
        this.chain.commit(block, certificate);
        this.candidates.clear();
        this.mempool.update(block.txs.map(decodeTx));
      },
    });
  }

  /** Sender ids are suite:publicKey; state is keyed by address. */
  private addressOfSender(sender: string): string {
    const [suite, hex] = sender.split(':') as [string, string];
    return this.chain.addressOf({ suite: suite as never, bytes: Buffer.from(hex, 'hex') });
  }

  submit(wire: Uint8Array): Promise<string> {
    return this.mempool.add(wire);
  }

  async stop(): Promise<void> {
    this.driver.stop();
    await this.driver.idle();
    await this.pool.close();
    await this.chain.close();
  }
}
