import { encode } from '@pujiang/codec';
import type { Signed, Vote } from '@pujiang/consensus';
import { getSuite, type SecretKey } from '@pujiang/crypto';
import { Evidence, evidenceFromVotes, GOVERNANCE_MODULE } from '@pujiang/module-governance';
import { evidenceRecorded } from '@pujiang/module-governance/chain';
import { encodeTx, signTx } from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import type { Chain } from '../chain/chain.js';
import type { Mempool } from '../mempool/mempool.js';

/** Blocks an evidence transaction may wait for inclusion before it is submitted again. */
const EXPIRY_BLOCKS = 20n;
/** Gas for the evidence message: two signature checks and three writes, with room to spare. */
const EVIDENCE_GAS_LIMIT = 200_000n;
/** Equivocations remembered as recorded (the driver reports each pair once per run anyway). */
const MAX_REMEMBERED = 1_024;
/** Equivocations followed at once; past this a new one waits for the driver to report it again. */
const MAX_PENDING = 256;

/** Where the reporter reads and writes: the chain's state and the node's mempool (a fake in tests). */
export interface EvidenceLedger {
  /** Whether governance runs on this chain (no evidence to submit otherwise). */
  enabled(): boolean;
  recorded(evidence: Evidence): boolean;
  height(): bigint;
  /** Whether a transaction this node submitted still waits in its mempool. */
  pending(hash: string): boolean;
  /** Signs and submits the evidence transaction; resolves to its hash. */
  submit(evidence: Evidence, expiresAtHeight: bigint): Promise<string>;
}

export interface EvidenceReporterOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly secretKey: SecretKey;
  /** Admits a transaction and gossips it (the node's `submit`). */
  readonly submit: (wire: Uint8Array) => Promise<string>;
  readonly log?: (line: string) => void;
  /** Replaces the chain and mempool (tests). */
  readonly ledger?: EvidenceLedger;
  /** Submissions of one equivocation at most (default 5). */
  readonly maxAttempts?: number;
  /** The random delay before a first submission is up to this (default 2,000 ms). */
  readonly jitterMs?: number;
  /** How often a submitted transaction is looked for in the state (default 1,000 ms). */
  readonly checkMs?: number;
  readonly random?: () => number;
}

interface Pending {
  readonly evidence: Evidence;
  attempts: number;
  /** The transaction waiting for inclusion, if any. */
  tx?: { readonly hash: string; readonly expiresAt: bigint } | undefined;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Turns the consensus driver's equivocation evidence into a `governance/evidence`
 * transaction signed with this node's key, so the chain records and proves it. Every node
 * that sees both votes detects the same equivocation: each waits a random delay first (so N
 * validators do not all submit at once) and skips what the state already records. An
 * equivocation counts as reported only once the state records it; a submission refused,
 * expired or failed is retried, a bounded number of times. Never throws into the driver.
 */
export class EvidenceReporter {
  private readonly recordedIds = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly ledger: EvidenceLedger;
  private stopped = false;
  submitted = 0;

  constructor(private readonly o: EvidenceReporterOptions) {
    this.ledger = o.ledger ?? chainLedger(o);
  }

  /** The driver's `onEvidence`: returns at once; the transaction is built and submitted after a random delay. */
  report(first: Signed<Vote>, second: Signed<Vote>): void {
    const v = first.message;
    const id = `${v.height}/${v.round}/${v.type}/${v.validator}`;
    if (this.stopped || this.recordedIds.has(id) || this.pending.has(id)) return;
    if (this.pending.size >= MAX_PENDING) return;
    let evidence: Evidence;
    try {
      evidence = evidenceFromVotes(first, second);
    } catch (error) {
      this.o.log?.(`evidence: equivocation at ${id} not usable: ${describe(error)}`);
      return;
    }
    this.pending.set(id, { evidence, attempts: 0 });
    this.schedule(id, this.jitter());
  }

  /** Whether an equivocation is recorded in state (by `height/round/type/validator`). */
  isRecorded(id: string): boolean {
    return this.recordedIds.has(id);
  }

  /** Equivocations still followed (waiting, submitted, or to be retried). */
  get waiting(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private jitter(): number {
    return Math.floor((this.o.random ?? Math.random)() * (this.o.jitterMs ?? 2_000));
  }

  private schedule(id: string, ms: number): void {
    const p = this.pending.get(id);
    if (!p || this.stopped) return;
    p.timer = setTimeout(() => {
      this.step(id).catch((error: unknown) => this.o.log?.(`evidence: ${id}: ${describe(error)}`));
    }, ms);
    p.timer.unref();
  }

  /** One look at an equivocation: recorded (done), still waiting for inclusion, or (re)submitted. */
  private async step(id: string): Promise<void> {
    const p = this.pending.get(id);
    if (!p || this.stopped) return;
    const l = this.ledger;
    if (!l.enabled()) {
      this.pending.delete(id);
      return;
    }
    if (l.recorded(p.evidence)) {
      this.done(id, p);
      return;
    }
    const check = this.o.checkMs ?? 1_000;
    // Submitted and still waiting in the mempool, not expired: look again later.
    if (p.tx && l.pending(p.tx.hash) && l.height() <= p.tx.expiresAt) return this.schedule(id, check);
    if (p.tx) this.o.log?.(`evidence: transaction ${p.tx.hash} for ${id} left the mempool unrecorded`);
    p.tx = undefined;
    if (p.attempts >= (this.o.maxAttempts ?? 5)) {
      this.o.log?.(`evidence: equivocation at ${id} not recorded after ${p.attempts} submissions; giving up`);
      this.pending.delete(id);
      return;
    }
    p.attempts++;
    const expiresAt = l.height() + EXPIRY_BLOCKS;
    try {
      const hash = await l.submit(p.evidence, expiresAt);
      p.tx = { hash, expiresAt };
      this.submitted++;
      this.o.log?.(`evidence: equivocation at ${id} submitted in transaction ${hash}`);
      this.schedule(id, check);
    } catch (error) {
      // Refused as a duplicate: another validator's copy is in; the state will say so.
      const code = isPujiangError(error) ? error.code : '';
      if (code.startsWith('GOV_EVIDENCE_') && code !== 'GOV_EVIDENCE_DUPLICATE') {
        this.o.log?.(`evidence: equivocation at ${id} refused for good: ${describe(error)}`);
        this.pending.delete(id);
        return;
      }
      this.o.log?.(
        `evidence: equivocation at ${id} not submitted (attempt ${p.attempts}): ${describe(error)}`,
      );
      this.schedule(id, check * p.attempts + this.jitter());
    }
  }

  private done(id: string, p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (this.recordedIds.size >= MAX_REMEMBERED) this.recordedIds.clear();
    this.recordedIds.add(id);
  }
}

/** The ledger of a running node: its chain's latest state and its mempool. */
function chainLedger(o: EvidenceReporterOptions): EvidenceLedger {
  const chain = o.chain;
  return {
    enabled: () => chain.executor.enabledModules.some((m) => m.name === GOVERNANCE_MODULE),
    recorded: (evidence) =>
      evidenceRecorded(chain.executor.reader(chain.stateRoot, GOVERNANCE_MODULE), evidence),
    height: () => chain.height,
    pending: (hash) => o.mempool.has(hash),
    submit: async (evidence, expiresAtHeight) => {
      const key = o.secretKey;
      const publicKey = getSuite(key.suite).publicKeyFromSecretKey(key.bytes);
      const sender = chain.addressOf({ suite: key.suite, bytes: publicKey });
      const tx = signTx(
        {
          chainId: chain.genesis.chainId,
          suite: key.suite,
          publicKey,
          nonce: o.mempool.pendingNonce(sender),
          expiresAtHeight,
          gasLimit: EVIDENCE_GAS_LIMIT,
          module: GOVERNANCE_MODULE,
          type: 'evidence',
          payload: encode(Evidence, evidence),
        },
        key,
      );
      return o.submit(encodeTx(tx));
    },
  };
}

function describe(error: unknown): string {
  return isPujiangError(error) ? `${error.code}: ${error.message}` : String(error);
}
