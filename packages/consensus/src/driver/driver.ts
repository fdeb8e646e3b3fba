import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getSuite, type PublicKey, type SecretKey } from '@pujiang/crypto';
import { type ConsensusState, initialState, step } from '../core/state-machine.js';
import type {
  CommitCertificate,
  Effect,
  Input,
  Proposal,
  Signed,
  TimeoutConfig,
  ValidatorSet,
  Vote,
} from '../core/types.js';
import { signBytes } from '../signing.js';
import { ConsensusError } from './errors.js';
import { DurableSigner } from './signer.js';
import { Wal } from './wal.js';

/** A signed consensus message as it travels between nodes. */
export type ConsensusMessage =
  | { readonly kind: 'proposal'; readonly signed: Signed<Proposal> }
  | { readonly kind: 'vote'; readonly signed: Signed<Vote> };

export interface ValidatorsAtHeight {
  readonly set: ValidatorSet;
  readonly keys: readonly PublicKey[];
}

/** What the driver needs from the node around it; everything with I/O or time comes through here. */
export interface DriverEnvironment {
  readonly chainId: string;
  /** Directory for the WAL and the signer's record. */
  readonly dataDir: string;
  /** The validator key; a full node that only follows has none. */
  readonly secretKey?: SecretKey;
  readonly timeouts?: TimeoutConfig;
  /** How often our own messages of the current height are re-sent (Tendermint needs eventual delivery); default 1000 ms. */
  readonly gossipMs?: number;
  /** Pause between committing a height and starting the next; default 0 (still yields to the event loop). */
  readonly commitDelayMs?: number;
  /**
   * After the commit delay: resolves when the next height should start (an idle chain waits
   * for a transaction or its empty-block interval). A validly signed message of that height
   * from a peer starts it at once, whatever the gate says. Default: at once.
   */
  startGate?(height: number): Promise<void>;
  /** Calls `fire` after `ms`; returns a cancel function. */
  setTimer(ms: number, fire: () => void): () => void;
  broadcast(message: ConsensusMessage): void;
  requestDecided(fromHeight: number): void;
  requestVotes(height: number, round: number): void;
  validatorsAt(height: number): ValidatorsAtHeight;
  /** The height the block store has committed (0 at genesis). */
  committedHeight(): number;
  buildValue(height: number, round: number): Promise<string>;
  validateValue(height: number, value: string): Promise<boolean>;
  /** Commits a decided block durably; must be idempotent for a height already committed. */
  commit(certificate: CommitCertificate): Promise<void>;
  /** Signature checks of incoming messages (e.g. a VerifyPool); defaults to this thread. */
  verify?(publicKey: PublicKey, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  onEvidence?(first: Signed<Vote>, second: Signed<Vote>): void;
  /** A height went past round 0 (a proposal was missed or not agreed on in time): for the operator's log. */
  onRoundChange?(height: number, round: number): void;
}

/** Next-height messages kept per validator index, so no single peer can crowd out the rest. */
const MAX_FUTURE_PER_VALIDATOR = 64;
const MAX_EVIDENCE = 1000;
const HEX32 = /^[0-9a-f]{64}$/;

/** Structural checks on a peer's message before anything else touches it. */
function wellFormed(message: ConsensusMessage): boolean {
  const m = message?.signed?.message as Partial<Proposal & Vote> | undefined;
  if (!m || !(message.signed.signature instanceof Uint8Array) || message.signed.signature.length > 16_384)
    return false;
  const nat = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!nat(m.height) || !nat(m.round)) return false;
  if (message.kind === 'proposal') {
    return (
      typeof m.value === 'string' &&
      HEX32.test(m.value) &&
      nat(m.proposer) &&
      Number.isSafeInteger(m.validRound) &&
      m.validRound! >= -1
    );
  }
  if (message.kind !== 'vote') return false;
  return (
    (m.type === 'prevote' || m.type === 'precommit') &&
    nat(m.validator) &&
    (m.value === null || (typeof m.value === 'string' && HEX32.test(m.value)))
  );
}

/**
 * Runs the pure core against the world in the safe order. Every input is appended to the
 * WAL before the core sees it; a `persist` effect fsyncs the WAL; only then does the
 * durable signer sign, and only then is the message sent. Inputs are processed one at a
 * time, in arrival order. On start the WAL is replayed through a fresh core, so the node
 * resumes with its locks and re-sends (with the same signatures) what it had signed.
 */
export class ConsensusDriver {
  private core: ConsensusState;
  private readonly wal: Wal;
  private readonly signer: DurableSigner | undefined;
  private readonly ownKey: PublicKey | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Next-height messages, with whom to tell if one turns out forged. */
  private future: { message: ConsensusMessage; onInvalid: (() => void) | undefined }[] = [];
  /** Our own signed messages of the current height, re-sent on every gossip tick. */
  private own: ConsensusMessage[] = [];
  /** Equivocation evidence seen (first and second vote), for the chain to act on. */
  readonly evidence: { first: Signed<Vote>; second: Signed<Vote> }[] = [];
  /** Signatures the durable signer refused (after data loss, for example); nothing was sent for them. */
  refusedToSign = 0;
  private timers = new Set<() => void>();
  private replaying = false;
  private stopped = false;
  private requestedFrom = 0;
  /** A peer showed us a later height since ours started: we may be behind. */
  private aheadSeen = false;
  /** While the next height waits at the start gate: starts it now (a peer has started it). */
  private startNow: (() => void) | undefined;
  /** The first error that stopped the driver (a fatal WAL or signer error), if any. */
  failure: Error | undefined;
  /** WAL records read at start, consumed by the first task (replay). */
  private replayed: ReturnType<typeof Wal.open>['records'];

  private constructor(private readonly env: DriverEnvironment) {
    mkdirSync(env.dataDir, { recursive: true });
    this.core = initialState(env.timeouts);
    const opened = Wal.open(join(env.dataDir, 'consensus.wal'));
    this.wal = opened.wal;
    this.signer = env.secretKey
      ? new DurableSigner(join(env.dataDir, 'signer.json'), env.secretKey)
      : undefined;
    this.ownKey = env.secretKey
      ? {
          suite: env.secretKey.suite,
          bytes: getSuite(env.secretKey.suite).publicKeyFromSecretKey(env.secretKey.bytes),
        }
      : undefined;
    this.replayed = opened.records;
  }

  /** Opens the WAL and signer, replays, and starts the next height. */
  static start(env: DriverEnvironment): ConsensusDriver {
    const driver = new ConsensusDriver(env);
    driver.enqueue(() => driver.recover());
    driver.scheduleGossip();
    return driver;
  }

  get state(): Readonly<ConsensusState> {
    return this.core;
  }

  /** Resolves when every input received so far has been processed. */
  idle(): Promise<void> {
    return this.queue;
  }

  /**
   * A message from a peer: its signature is checked before the core sees it. `onInvalid`
   * hears of a message that was malformed or whose signature failed (the sender's fault,
   * for peer scoring).
   */
  receive(message: ConsensusMessage, onInvalid?: () => void): void {
    this.enqueue(() => this.accept(message, onInvalid));
  }

  /**
   * What this node holds of a round of its current height, as signed (a peer asked for it):
   * the round's proposal and its prevotes and precommits. Empty for any other height.
   */
  roundMessages(height: number, round: number): ConsensusMessage[] {
    if (height !== this.core.height || this.stopped) return [];
    const r = this.core.rounds.get(round);
    if (!r) return [];
    const out: ConsensusMessage[] = [];
    if (r.proposal) out.push({ kind: 'proposal', signed: r.proposal });
    for (const signed of [...r.prevotes.all(), ...r.precommits.all()]) out.push({ kind: 'vote', signed });
    return out;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.startNow?.();
    this.cancelGossip?.();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.wal.close();
  }

  private cancelGossip: (() => void) | undefined;

  private scheduleGossip(): void {
    this.cancelGossip = this.env.setTimer(this.env.gossipMs ?? 1000, () => {
      if (this.stopped) return;
      for (const message of this.own) this.env.broadcast(message);
      // Peers are a height ahead and we have not caught up since: ask for the blocks again.
      if (this.aheadSeen) this.env.requestDecided(this.core.height);
      this.scheduleGossip();
    });
  }

  private enqueue(task: () => Promise<void> | void): void {
    this.queue = this.queue.then(async () => {
      if (this.stopped || this.failure) return;
      try {
        await task();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.stop();
      }
    });
  }

  private async recover(): Promise<void> {
    const next = this.env.committedHeight() + 1;
    const records = this.replayed;
    this.replayed = [];
    const first = records[0];
    if (first?.type !== 'startHeight' || first.height !== next) {
      this.wal.reset(); // nothing to resume at this height
      await this.input({ type: 'startHeight', height: next, ...this.selfAt(next) });
      return;
    }
    this.replaying = true;
    for (const record of records) {
      const input: Input =
        record.type === 'startHeight'
          ? { type: 'startHeight', height: record.height, ...this.selfAt(record.height) }
          : record;
      await this.run(input);
    }
    this.replaying = false;
  }

  private selfAt(height: number): { validators: ValidatorSet; self?: number } {
    const { set, keys } = this.env.validatorsAt(height);
    const own = this.ownKey;
    const self = own
      ? keys.findIndex((k) => k.suite === own.suite && Buffer.compare(k.bytes, own.bytes) === 0)
      : -1;
    return { validators: set, ...(self >= 0 ? { self } : {}) };
  }

  private async accept(message: ConsensusMessage, onInvalid?: () => void): Promise<void> {
    if (!wellFormed(message)) {
      onInvalid?.();
      return; // malformed input never reaches the WAL or the core
    }
    const m = message.signed.message;
    const height = m.height;
    if (height < this.core.height) return; // that height is committed
    if (height > this.core.height) this.aheadSeen = true;
    if (height === this.core.height + 1) {
      const index = message.kind === 'proposal' ? (m as Proposal).proposer : (m as Vote).validator;
      const mine = this.future.filter(
        ({ message: f }) =>
          (f.kind === 'proposal'
            ? (f.signed.message as Proposal).proposer
            : (f.signed.message as Vote).validator) === index,
      );
      if (mine.length < MAX_FUTURE_PER_VALIDATOR) this.future.push({ message, onInvalid });
      // Waiting at the start gate while a validator has started the height: follow it.
      if (this.startNow && (await this.checkSignature(message))) this.startNow?.();
      return;
    }
    if (height > this.core.height) {
      // We are behind. Nothing from that far ahead is logged or kept; ask for blocks (once per height).
      if (this.requestedFrom < this.core.height) {
        this.requestedFrom = this.core.height;
        this.env.requestDecided(this.core.height);
      }
      return;
    }
    if (this.alreadyCounted(message)) return; // re-sent copies would only grow the WAL
    if (!(await this.checkSignature(message))) {
      onInvalid?.();
      return; // a forged or corrupted message never reaches the core
    }
    await this.input(
      message.kind === 'proposal'
        ? { type: 'proposal', proposal: message.signed as Signed<Proposal> }
        : { type: 'vote', vote: message.signed as Signed<Vote> },
    );
  }

  private alreadyCounted(message: ConsensusMessage): boolean {
    const round = this.core.rounds.get(message.signed.message.round);
    if (!round) return false;
    if (message.kind === 'proposal') return round.proposal !== undefined;
    const v = message.signed.message as Vote;
    return (v.type === 'prevote' ? round.prevotes : round.precommits).has(v.validator, v.value);
  }

  private async checkSignature(message: ConsensusMessage): Promise<boolean> {
    try {
      const m = message.signed.message;
      const index = message.kind === 'proposal' ? (m as Proposal).proposer : (m as Vote).validator;
      const key = this.env.validatorsAt(m.height).keys[index];
      if (!key) return false;
      const bytes = signBytes(this.env.chainId, message.kind, m);
      if (this.env.verify) return await this.env.verify(key, bytes, message.signed.signature);
      return getSuite(key.suite).verify(key.bytes, bytes, message.signed.signature);
    } catch {
      return false;
    }
  }

  /** Log, then step. */
  private async input(input: Input): Promise<void> {
    if (this.stopped) return; // a task that was waiting (e.g. on a signature check) when we stopped
    // Between a decision and the next height nothing is logged: the WAL must start with startHeight.
    if (this.core.decision !== undefined && input.type !== 'startHeight') return;
    if (!this.replaying)
      this.wal.append(input.type === 'startHeight' ? { type: 'startHeight', height: input.height } : input);
    await this.run(input);
  }

  private async run(input: Input): Promise<void> {
    const round = this.core.round;
    const { effects } = step(this.core, input);
    if (this.core.round > round && !this.replaying)
      this.env.onRoundChange?.(this.core.height, this.core.round);
    for (const effect of effects) {
      if (this.stopped) return;
      await this.execute(effect);
    }
  }

  private timer(ms: number, input: Input): void {
    const cancel = this.env.setTimer(ms, () => {
      this.timers.delete(cancel);
      this.enqueue(() => this.input(input));
    });
    this.timers.add(cancel);
  }

  private async execute(effect: Effect): Promise<void> {
    switch (effect.type) {
      case 'persist':
        this.wal.sync(); // every input that led here is durable before anything is signed
        return;
      case 'signAndBroadcast':
        return this.signAndBroadcast(effect.message, effect.kind);
      case 'scheduleTimeout':
        this.timer(effect.durationMs, {
          type: 'timeout',
          kind: effect.kind,
          height: effect.height,
          round: effect.round,
        });
        return;
      case 'requestValue': {
        const { height, round } = effect;
        void this.env
          .buildValue(height, round)
          .then((value) => this.enqueue(() => this.input({ type: 'proposeValue', height, round, value })));
        return;
      }
      case 'validateValue': {
        const { height, value } = effect;
        void this.env.validateValue(height, value).then(
          (valid) => this.enqueue(() => this.input({ type: 'valueVerdict', height, value, valid })),
          () => this.enqueue(() => this.input({ type: 'valueVerdict', height, value, valid: false })),
        );
        return;
      }
      case 'decide':
        return this.decide(effect.certificate);
      case 'evidence':
        if (this.evidence.length < MAX_EVIDENCE)
          this.evidence.push({ first: effect.first, second: effect.second });
        this.env.onEvidence?.(effect.first, effect.second);
        return;
      case 'requestDecided':
        this.env.requestDecided(effect.fromHeight);
        return;
      case 'requestVotes':
        this.env.requestVotes(effect.height, effect.round);
        return;
    }
  }

  private async signAndBroadcast(message: Proposal | Vote, kind: 'proposal' | 'vote'): Promise<void> {
    if (!this.signer) return;
    const stepName = kind === 'proposal' ? 'proposal' : (message as Vote).type;
    const bytes = signBytes(this.env.chainId, kind, message);
    let signature: Uint8Array;
    try {
      signature = this.signer.sign(message.height, message.round, stepName, message.value, bytes);
    } catch (error) {
      // The durable record says no (e.g. the node lost its data but kept its signer state):
      // sending nothing is the safe answer, and the node goes on following the chain.
      if (
        error instanceof ConsensusError &&
        (error.code === 'SIGNER_DOUBLE_SIGN' || error.code === 'SIGNER_REGRESSION')
      ) {
        this.refusedToSign++;
        return;
      }
      throw error;
    }
    const out: ConsensusMessage =
      kind === 'proposal'
        ? { kind: 'proposal', signed: { message: message as Proposal, signature } }
        : { kind: 'vote', signed: { message: message as Vote, signature } };
    this.env.broadcast(out);
    this.own.push(out);
    // Our own message is an input too; during replay the WAL already holds it.
    await this.input({ type: 'ownSigned', kind, message: out.signed });
  }

  /** Commit the block, then start the next height with a fresh WAL and the messages that arrived early. */
  private async decide(certificate: CommitCertificate): Promise<void> {
    if (this.env.committedHeight() < certificate.height) await this.env.commit(certificate);
    this.replaying = false;
    this.wal.reset();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.own = [];
    this.aheadSeen = false;
    // The next height starts after the commit delay (CometBFT's timeout_commit): it paces blocks,
    // lets transactions gather, and hands the event loop back between heights.
    const next = certificate.height + 1;
    const cancel = this.env.setTimer(this.env.commitDelayMs ?? 0, () => {
      this.timers.delete(cancel);
      void this.passGate(next);
    });
    this.timers.add(cancel);
  }

  /** Waits at the environment's start gate (or until a peer starts the height), then starts it. */
  private async passGate(next: number): Promise<void> {
    const gate = this.env.startGate?.(next);
    if (gate) {
      const peerStarted = new Promise<void>((resolve) => {
        this.startNow = resolve;
      });
      await Promise.race([gate, peerStarted]).catch(() => undefined);
      this.startNow = undefined;
    }
    if (this.stopped) return;
    this.enqueue(() => this.startHeight(next));
  }

  private async startHeight(next: number): Promise<void> {
    if (this.core.height >= next) return;
    await this.input({ type: 'startHeight', height: next, ...this.selfAt(next) });
    this.wal.sync();
    const early = this.future.filter((f) => f.message.signed.message.height === next);
    this.future = this.future.filter((f) => f.message.signed.message.height > next);
    for (const { message, onInvalid } of early) await this.accept(message, onInvalid);
  }

  /**
   * Blocks decided elsewhere (block sync) were committed by the node, up to the certificate's
   * height: leave the current height and start the one after (its votes are moot now).
   */
  synced(certificate: CommitCertificate): void {
    this.enqueue(() => (certificate.height >= this.core.height ? this.decide(certificate) : undefined));
  }
}
