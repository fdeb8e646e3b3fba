import { createHash } from 'node:crypto';
import { getSuite, type PublicKey } from '@pujiang/crypto';
import { type CertifiedValidator, checkCertificate } from '../certificate.js';
import { advanceValidatorSet, newValidatorSet } from '../core/proposer.js';
import { type ConsensusState, initialState, step } from '../core/state-machine.js';
import type {
  CommitCertificate,
  Effect,
  Input,
  Proposal,
  Signed,
  ValidatorSet,
  Vote,
} from '../core/types.js';
import { signBytes } from '../signing.js';
import { EventQueue } from './event-queue.js';
import { Random } from './random.js';

/**
 * A deterministic simulation of a validator network around the pure core. One seed drives
 * the network (loss, delay, reordering, duplication, clogged links, partitions), clocks
 * (drift), crashes (at effect boundaries, losing the unsynced WAL tail) and restarts (with
 * or without data), and Byzantine behaviour by twins: extra honest nodes that share a
 * validator key with another node, so equivocation arises without attack code.
 *
 * Each node's driver follows the production order: log the input to its WAL, step the
 * core, then for each effect persist (WAL fsync) before signing with a durable last-signed
 * record, and only then send. Invariants are checked after every event.
 */

export interface ValidatorChange {
  /** The new powers (one per key; 0 = not a validator) take effect at this height. */
  readonly height: number;
  readonly powers: readonly number[];
}

export interface SimOptions {
  readonly seed: number;
  /** Validator keys at genesis, each with power 1 unless `powers` says otherwise. */
  readonly validators: number;
  /** Keys 0..twins-1 each get a second node (a twin). Keep their power at most f. */
  readonly twins?: number;
  readonly powers?: readonly number[];
  /** Extra keys outside the genesis set (they can join through `validatorChanges`). */
  readonly spareKeys?: number;
  readonly validatorChanges?: readonly ValidatorChange[];
  /** Length of the chaos (safety) phase, in simulated ms. */
  readonly safetyMs?: number;
  /** Time allowed to the liveness phase, in simulated ms. */
  readonly livenessMs?: number;
  /** Heights every live node must decide in the liveness phase. */
  readonly livenessHeights?: number;
  /** Chaos switches (all on by default). */
  readonly loss?: boolean;
  /** A fixed packet-loss rate for the chaos phase instead of a random 0-30 % (benchmarks). */
  readonly lossRate?: number;
  readonly partitions?: boolean;
  readonly crashes?: boolean;
  readonly duplication?: boolean;
  /** Nodes wiped (data lost, signing record kept) and restarted during chaos. */
  readonly wipeNodes?: readonly number[];
  /** A node whose links are slow throughout (clogged), with jittery timers. */
  readonly laggingNode?: number;
  /** The application's verdict on a proposed value; default: every value is valid. */
  readonly isValid?: (height: number, value: string) => boolean;
  /** Stop the run once every node has decided this height (default: run both phases fully). */
  readonly stopAtHeight?: number;
  /** Record a line per event in the trace (for debugging a failing seed). */
  readonly keepTrace?: boolean;
  /** Check that the liveness phase decides (default true; off for an app that rejects everything). */
  readonly expectLiveness?: boolean;
  /** Scripted message loss, on top of the random one: return true to drop. */
  readonly dropMessage?: (from: number, to: number, message: SimMessageSummary, now: number) => boolean;
  /** Scripted crashes: called after each step of a node; return true to crash it there (it restarts soon). */
  readonly crashAfterStep?: (node: number, before: SimNodeView, after: SimNodeView) => boolean;
}

export interface SimMessageSummary {
  readonly type: 'proposal' | 'prevote' | 'precommit' | 'sync';
  readonly height: number;
  readonly round: number;
}

export interface SimNodeView {
  readonly height: number;
  readonly round: number;
  readonly step: string;
  readonly lockedRound: number;
}

export interface SimResult {
  readonly violations: string[];
  readonly traceHash: string;
  readonly heightsDecided: number;
  readonly maxRound: number;
  readonly events: number;
  readonly messages: number;
  readonly evidence: number;
  /** The highest round any node reached. */
  readonly maxRoundReached: number;
  /** Decided value and round per height. */
  readonly decisions: ReadonlyMap<number, { value: string; round: number }>;
  readonly refusedToSign: number;
  readonly trace?: string[];
}

type NetMessage =
  | { readonly type: 'proposal'; readonly signed: Signed<Proposal> }
  | { readonly type: 'vote'; readonly signed: Signed<Vote> }
  | { readonly type: 'syncRequest'; readonly fromHeight: number }
  | { readonly type: 'syncResponse'; readonly certificates: readonly CommitCertificate[] }
  | { readonly type: 'votesRequest'; readonly height: number; readonly round: number };

type SimEvent =
  | { readonly kind: 'deliver'; readonly from: number; readonly to: number; readonly msg: NetMessage }
  | { readonly kind: 'input'; readonly node: number; readonly incarnation: number; readonly input: Input }
  | { readonly kind: 'restart'; readonly node: number; readonly wipe: boolean }
  | { readonly kind: 'gossip'; readonly node: number; readonly incarnation: number }
  | { readonly kind: 'chaos' }
  | { readonly kind: 'heal' };

interface Durable {
  /** Committed heights 1..n: the block store. */
  certificates: CommitCertificate[];
  /** WAL of inputs since the current height started; entries past `synced` are lost on a crash. */
  wal: Input[];
  synced: number;
  /** The signer's durable record: (height, round, kind) -> what was signed. Survives wipes. */
  lastSigned: Map<string, { message: Proposal | Vote; kind: 'proposal' | 'vote'; signature: Uint8Array }>;
}

interface SimNode {
  readonly id: number;
  readonly key: number;
  readonly isTwin: boolean;
  core: ConsensusState;
  up: boolean;
  incarnation: number;
  replaying: boolean;
  readonly durable: Durable;
  readonly clockSkew: number;
  /** lockedRound as last seen by this incarnation, which may only grow within a height. */
  lastLock: { incarnation: number; height: number; round: number };
  /** The highest round at which this key precommitted a value: the replayed core must hold at least this lock. */
  signedLock: { height: number; round: number };
  /** Messages for the next height, fed (and logged) once that height starts. */
  future: Input[];
  evidence: number;
  /** Lost its data once: its signer may then rightly refuse what its fresh core asks. */
  wiped: boolean;
  refusedToSign: number;
  /** Simulated time of this node's latest signature. */
  lastSignedAt: number;
  /** Highest committed height this node ever reported; a restart must not go below it. */
  maxCommitted: number;
}

const MAX_SYNC_BATCH = 20;
const MAX_FUTURE_MESSAGES = 4096;

function heightOf(input: Input): number {
  switch (input.type) {
    case 'proposal':
      return input.proposal.message.height;
    case 'vote':
      return input.vote.message.height;
    case 'ownSigned':
      return input.message.message.height;
    default:
      return input.height;
  }
}

export function simulate(options: SimOptions): SimResult {
  return new Simulation(options).run();
}

class Simulation {
  private readonly rng: Random;
  private readonly chainId: string;
  private readonly keys: { publicKey: PublicKey; secretKey: Uint8Array }[];
  private readonly nodes: SimNode[] = [];
  private readonly queue = new EventQueue<SimEvent>();
  private readonly sets: { set: ValidatorSet; keys: number[] }[] = [];
  private readonly violations: string[] = [];
  private readonly decided = new Map<number, { value: string; round: number }>();
  private maxRoundReached = 0;
  private readonly signedByKey = new Map<string, string | null>();
  private readonly trace = createHash('sha256');
  private readonly traceLines: string[] = [];
  private readonly twinKeys = new Set<number>();
  /** Every node checks the same signatures; verify each distinct one once. */
  private readonly verifiedSignatures = new Map<string, boolean>();
  private readonly verifySignature = (
    publicKey: PublicKey,
    message: Uint8Array,
    signature: Uint8Array,
  ): boolean => {
    const id = `${Buffer.from(signature).toString('base64')}|${Buffer.from(message).toString('base64')}`;
    let ok = this.verifiedSignatures.get(id);
    if (ok === undefined) {
      ok = getSuite(publicKey.suite).verify(publicKey.bytes, message, signature);
      this.verifiedSignatures.set(id, ok);
    }
    return ok;
  };
  private now = 0;
  private events = 0;
  private messages = 0;
  private maxRound = 0;
  private phase: 'safety' | 'liveness' = 'safety';
  private healedAt = 0;
  private heightsAtHeal = new Map<number, number>();
  private loss = 0;
  private duplicate = 0;
  private maxDelay = 50;
  private groups: number[] | undefined;
  private blockedLinks = new Set<string>();
  private cloggedLinks = new Set<string>();

  constructor(private readonly o: SimOptions) {
    this.rng = new Random(o.seed);
    this.chainId = `sim-${o.seed}`;
    const keyCount = o.validators + (o.spareKeys ?? 0);
    const ed = getSuite('ed25519');
    this.keys = Array.from({ length: keyCount }, () => {
      const secretKey = this.rng.bytes(32);
      return {
        secretKey,
        publicKey: { suite: 'ed25519' as const, bytes: ed.publicKeyFromSecretKey(secretKey) },
      };
    });
    const twins = o.twins ?? 0;
    for (let k = 0; k < keyCount + twins; k++) {
      const key = k < keyCount ? k : k - keyCount;
      if (k >= keyCount) this.twinKeys.add(key);
      this.nodes.push({
        id: k,
        key,
        isTwin: k >= keyCount,
        core: initialState(),
        up: true,
        incarnation: 0,
        replaying: false,
        durable: { certificates: [], wal: [], synced: 0, lastSigned: new Map() },
        clockSkew: 0.8 + this.rng.next() * 0.45,
        lastLock: { incarnation: 0, height: 0, round: -1 },
        signedLock: { height: 0, round: -1 },
        future: [],
        evidence: 0,
        wiped: false,
        refusedToSign: 0,
        lastSignedAt: -1,
        maxCommitted: 0,
      });
    }
  }

  // ---- chain configuration -------------------------------------------------

  private powersAt(height: number): readonly number[] {
    const genesis = this.o.powers ?? this.keys.map((_, i) => (i < this.o.validators ? 1 : 0));
    let powers = genesis;
    for (const change of this.o.validatorChanges ?? []) if (change.height <= height) powers = change.powers;
    return powers;
  }

  /** The validator set of a height, derived from genesis and the changes decided on chain. */
  private setAt(height: number): { set: ValidatorSet; keys: number[] } {
    while (this.sets.length < height) {
      const h = this.sets.length + 1;
      const powers = this.powersAt(h);
      const keys = powers.flatMap((p, k) => (p > 0 ? [k] : []));
      const previous = this.sets[h - 2];
      const same =
        previous !== undefined &&
        previous.keys.join() === keys.join() &&
        this.powersAt(h - 1).join() === powers.join();
      const set = same ? advanceValidatorSet(previous.set) : newValidatorSet(keys.map((k) => powers[k]!));
      this.sets.push({ set, keys });
    }
    return this.sets[height - 1]!;
  }

  private certifiedValidators(height: number): CertifiedValidator[] {
    const { set, keys } = this.setAt(height);
    return keys.map((k, i) => ({ publicKey: this.keys[k]!.publicKey, power: set.powers[i]! }));
  }

  // ---- running ---------------------------------------------------------------

  run(): SimResult {
    const safetyMs = this.o.safetyMs ?? 15_000;
    const livenessMs = this.o.livenessMs ?? 60_000;
    for (const node of this.nodes) this.startNode(node);
    this.queue.push(0, { kind: 'chaos' });
    this.queue.push(safetyMs, { kind: 'heal' });
    for (const [i, n] of (this.o.wipeNodes ?? []).entries()) {
      this.queue.push(safetyMs * (0.3 + 0.2 * i), { kind: 'restart', node: n, wipe: true });
    }
    const end = safetyMs + livenessMs;
    while (this.queue.size > 0) {
      const next = this.queue.pop()!;
      if (next.time > end) break;
      this.now = next.time;
      this.events++;
      this.handle(next.event);
      if (this.violations.length > 0) break;
      if (this.done()) break;
    }
    if (this.violations.length === 0 && this.o.expectLiveness !== false) this.checkLiveness();
    return {
      violations: this.violations,
      traceHash: this.trace.digest('hex'),
      heightsDecided: this.decided.size,
      maxRound: this.maxRound,
      events: this.events,
      messages: this.messages,
      evidence: this.nodes.reduce((n, x) => n + x.evidence, 0),
      maxRoundReached: this.maxRoundReached,
      decisions: this.decided,
      refusedToSign: this.nodes.reduce((n, x) => n + x.refusedToSign, 0),
      ...(this.o.keepTrace ? { trace: this.traceLines } : {}),
    };
  }

  private record(line: string): void {
    this.trace.update(`${this.now}|${line}\n`);
    if (this.o.keepTrace) this.traceLines.push(`${this.now} ${line}`);
  }

  private done(): boolean {
    const target = this.o.stopAtHeight;
    if (target !== undefined) return this.nodes.every((n) => n.durable.certificates.length >= target);
    if (this.phase !== 'liveness') return false;
    const need = this.o.livenessHeights ?? 2;
    return this.nodes.every(
      (n) =>
        n.up &&
        n.durable.certificates.length >= (this.heightsAtHeal.get(n.id) ?? 0) + need &&
        (n.core.self === undefined || n.lastSignedAt >= this.healedAt),
    );
  }

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case 'chaos':
        this.chaos();
        return;
      case 'heal':
        this.heal();
        return;
      case 'restart':
        this.restart(this.nodes[event.node]!, event.wipe);
        return;
      case 'gossip': {
        const node = this.nodes[event.node]!;
        if (!node.up || node.incarnation !== event.incarnation) return;
        this.gossip(node);
        return;
      }
      case 'input': {
        const node = this.nodes[event.node]!;
        if (!node.up || node.incarnation !== event.incarnation) return;
        this.feed(node, event.input);
        return;
      }
      case 'deliver':
        this.deliver(event.from, this.nodes[event.to]!, event.msg);
        return;
    }
  }

  // ---- chaos ----------------------------------------------------------------

  /** Re-draws the network conditions every few hundred ms during the safety phase. */
  private chaos(): void {
    if (this.phase !== 'safety') return;
    const r = this.rng;
    const drawn = r.next() * 0.3;
    this.loss = this.o.loss === false ? 0 : (this.o.lossRate ?? drawn);
    this.duplicate = this.o.duplication === false ? 0 : r.next() * 0.1;
    this.maxDelay = r.int(5, 200);
    this.groups = undefined;
    this.blockedLinks.clear();
    this.cloggedLinks.clear();
    const n = this.nodes.length;
    if (this.o.partitions !== false) {
      const shape = r.int(0, 5);
      if (shape === 0) {
        this.groups = this.nodes.map(() => r.int(0, 1)); // uniform split
      } else if (shape === 1) {
        const isolated = r.int(0, n - 1);
        this.groups = this.nodes.map((x) => (x.id === isolated ? 1 : 0));
      } else if (shape === 2) {
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) if (i !== j && r.chance(0.2)) this.blockedLinks.add(`${i}>${j}`); // asymmetric
      } else if (shape === 3) {
        for (let k = 0; k < 3; k++) this.cloggedLinks.add(`${r.int(0, n - 1)}>${r.int(0, n - 1)}`);
      }
    }
    if (this.o.crashes !== false && r.chance(0.35)) {
      const victim = this.nodes[r.int(0, n - 1)]!;
      if (victim.up) {
        this.crash(victim, 'chaos');
        this.queue.push(this.now + r.int(100, 3000), { kind: 'restart', node: victim.id, wipe: false });
      }
    }
    this.record(
      `chaos loss=${this.loss.toFixed(3)} groups=${this.groups?.join('') ?? '-'} blocked=${this.blockedLinks.size}`,
    );
    this.queue.push(this.now + r.int(200, 1500), { kind: 'chaos' });
  }

  private heal(): void {
    this.phase = 'liveness';
    this.healedAt = this.now;
    this.loss = 0;
    this.duplicate = 0;
    this.maxDelay = 20;
    this.groups = undefined;
    this.blockedLinks.clear();
    this.cloggedLinks.clear();
    for (const node of this.nodes) {
      if (!node.up) this.restart(node, false);
    }
    for (const node of this.nodes) this.heightsAtHeal.set(node.id, node.durable.certificates.length);
    this.record('heal');
  }

  private linkUsable(from: number, to: number): boolean {
    if (this.groups && this.groups[from] !== this.groups[to]) return false;
    return !this.blockedLinks.has(`${from}>${to}`);
  }

  private send(from: number, to: number, msg: NetMessage): void {
    if (from === to) return;
    this.messages++;
    if (!this.linkUsable(from, to) || this.rng.chance(this.loss)) return;
    if (this.o.dropMessage?.(from, to, summarize(msg), this.now)) return;
    const lag = this.o.laggingNode === from || this.o.laggingNode === to ? 300 : 0;
    const clog = this.cloggedLinks.has(`${from}>${to}`) ? 1000 : 0;
    const copies = this.rng.chance(this.duplicate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      this.queue.push(this.now + 1 + this.rng.int(0, this.maxDelay) + lag + clog, {
        kind: 'deliver',
        from,
        to,
        msg,
      });
    }
  }

  private broadcast(from: SimNode, msg: NetMessage): void {
    for (const node of this.nodes) this.send(from.id, node.id, msg);
  }

  // ---- node lifecycle ---------------------------------------------------------

  private startNode(node: SimNode): void {
    const height = node.durable.certificates.length + 1;
    node.core = initialState();
    node.future = [];
    this.scheduleGossip(node);
    if (node.durable.wal.length === 0) {
      this.beginHeight(node, height);
      return;
    }
    // Replay the WAL through a fresh core; the signer returns the same signatures as before.
    node.replaying = true;
    const records = node.durable.wal.slice();
    for (const input of records) {
      if (!node.up) break;
      this.stepNode(node, input);
    }
    node.replaying = false;
  }

  /** Starts a height in the core, then feeds the messages that arrived for it early. */
  private beginHeight(node: SimNode, height: number): void {
    this.feed(node, this.startHeightInput(node, height));
    const early = node.future.filter((input) => heightOf(input) === height);
    node.future = node.future.filter((input) => heightOf(input) > height);
    for (const input of early) this.feed(node, input);
  }

  private scheduleGossip(node: SimNode): void {
    this.queue.push(this.now + Math.round(this.rng.int(300, 700) * node.clockSkew), {
      kind: 'gossip',
      node: node.id,
      incarnation: node.incarnation,
    });
  }

  /**
   * Tendermint needs every message between honest nodes delivered eventually; with a lossy
   * network that takes retransmission. Each tick re-sends our own messages of every round of
   * the current height (old rounds' prevotes are the proof-of-lock that line 28 needs to
   * unlock others), and asks a random peer for blocks we lack.
   */
  private gossip(node: SimNode): void {
    const { height } = node.core;
    for (const entry of node.durable.lastSigned.values()) {
      const m = entry.message;
      if (m.height !== height) continue;
      this.broadcast(
        node,
        entry.kind === 'proposal'
          ? { type: 'proposal', signed: { message: m as Proposal, signature: entry.signature } }
          : { type: 'vote', signed: { message: m as Vote, signature: entry.signature } },
      );
    }
    this.send(node.id, this.rng.int(0, this.nodes.length - 1), {
      type: 'syncRequest',
      fromHeight: node.durable.certificates.length + 1,
    });
    this.scheduleGossip(node);
  }

  private startHeightInput(node: SimNode, height: number): Input {
    const { set, keys } = this.setAt(height);
    const self = keys.indexOf(node.key);
    return { type: 'startHeight', height, validators: set, ...(self >= 0 ? { self } : {}) };
  }

  private crash(node: SimNode, why: string): void {
    node.up = false;
    node.incarnation++;
    // Whatever was appended after the last fsync is gone.
    node.durable.wal.length = node.durable.synced;
    this.record(`crash n${node.id} (${why})`);
  }

  private restart(node: SimNode, wipe: boolean): void {
    if (node.up && !wipe) return;
    if (node.up) this.crash(node, 'wipe');
    if (wipe) {
      node.wiped = true;
      node.maxCommitted = 0;
      node.signedLock = { height: 0, round: -1 };
      node.durable.certificates = [];
      node.durable.wal = [];
      node.durable.synced = 0;
    }
    node.up = true;
    this.record(`restart n${node.id}${wipe ? ' wiped' : ''}`);
    this.startNode(node);
  }

  // ---- the driver ------------------------------------------------------------

  /** Log the input, step the core, carry out its effects in order. */
  private feed(node: SimNode, input: Input): void {
    if (!node.up) return;
    node.durable.wal.push(input);
    this.stepNode(node, input);
  }

  private stepNode(node: SimNode, input: Input): void {
    const before = view(node.core);
    const { effects } = step(node.core, input);
    this.maxRoundReached = Math.max(this.maxRoundReached, node.core.round);
    this.checkLocks(node, effects);
    if (!node.replaying && this.o.crashAfterStep?.(node.id, before, view(node.core))) {
      this.crash(node, 'scripted');
      this.queue.push(this.now + this.rng.int(50, 500), { kind: 'restart', node: node.id, wipe: false });
      return;
    }
    for (const effect of effects) {
      if (!node.up) return;
      // A crash may strike between any two effects (never during replay: that is just recovery).
      if (!node.replaying && this.phase === 'safety' && this.o.crashes !== false && this.rng.chance(0.002)) {
        this.crash(node, `before ${effect.type}`);
        this.queue.push(this.now + this.rng.int(50, 2000), { kind: 'restart', node: node.id, wipe: false });
        return;
      }
      this.execute(node, effect);
    }
  }

  private later(node: SimNode, delayMs: number, input: Input): void {
    const jitter = this.o.laggingNode === node.id ? this.rng.int(0, 200) : 0;
    this.queue.push(this.now + Math.max(1, Math.round(delayMs * node.clockSkew)) + jitter, {
      kind: 'input',
      node: node.id,
      incarnation: node.incarnation,
      input,
    });
  }

  private execute(node: SimNode, effect: Effect): void {
    switch (effect.type) {
      case 'persist':
        if (!node.replaying) node.durable.synced = node.durable.wal.length; // fsync: every record so far is durable
        return;
      case 'signAndBroadcast':
        this.signAndSend(node, effect.message, effect.kind);
        return;
      case 'scheduleTimeout':
        this.later(node, effect.durationMs, {
          type: 'timeout',
          kind: effect.kind,
          height: effect.height,
          round: effect.round,
        });
        return;
      case 'requestValue': {
        const value = createHash('sha256')
          .update(`${this.o.seed}/${effect.height}/${effect.round}/${node.id}`)
          .digest('hex');
        this.later(node, this.rng.int(1, 20), {
          type: 'proposeValue',
          height: effect.height,
          round: effect.round,
          value,
        });
        return;
      }
      case 'validateValue': {
        const valid = this.o.isValid ? this.o.isValid(effect.height, effect.value) : true;
        this.later(node, this.rng.int(1, 20), {
          type: 'valueVerdict',
          height: effect.height,
          value: effect.value,
          valid,
        });
        return;
      }
      case 'decide':
        this.commit(node, effect.certificate);
        return;
      case 'evidence':
        node.evidence++;
        this.record(`evidence n${node.id} v${effect.first.message.validator}`);
        return;
      case 'requestDecided':
        this.send(node.id, this.rng.int(0, this.nodes.length - 1), {
          type: 'syncRequest',
          fromHeight: effect.fromHeight,
        });
        return;
      case 'requestVotes':
        this.broadcast(node, { type: 'votesRequest', height: effect.height, round: effect.round });
        // Also ask one peer for decided blocks, in case we are the one behind.
        this.send(node.id, this.rng.int(0, this.nodes.length - 1), {
          type: 'syncRequest',
          fromHeight: node.durable.certificates.length + 1,
        });
        return;
    }
  }

  private signAndSend(node: SimNode, message: Proposal | Vote, kind: 'proposal' | 'vote'): void {
    const slot = kind === 'proposal' ? 'proposal' : (message as Vote).type;
    const id = `${message.height}/${message.round}/${slot}`;
    const existing = node.durable.lastSigned.get(id);
    let signature: Uint8Array;
    if (existing) {
      if (existing.message.value !== message.value) {
        node.refusedToSign++;
        if (node.wiped) return; // the durable signer record doing its job after data loss
        this.violations.push(
          `honest node n${node.id} was asked to sign ${slot} ${id} for ${short(message.value)} after signing ${short(existing.message.value)}`,
        );
        return;
      }
      signature = existing.signature; // asked again for the same value: the same signature
    } else {
      const bytes = signBytes(this.chainId, kind, message);
      signature = getSuite('ed25519').sign(this.keys[node.key]!.secretKey, bytes);
      node.durable.lastSigned.set(id, { message, kind, signature });
      this.checkEquivocation(node, id, message.value);
      if (kind === 'vote' && slot === 'precommit' && message.value !== null) {
        node.signedLock = { height: message.height, round: message.round };
      }
    }
    node.lastSignedAt = this.now;
    this.record(`sign n${node.id} ${id} ${short(message.value)}`);
    const msg: NetMessage =
      kind === 'proposal'
        ? { type: 'proposal', signed: { message: message as Proposal, signature } }
        : { type: 'vote', signed: { message: message as Vote, signature } };
    this.broadcast(node, msg);
    const own = msg.type === 'proposal' ? msg.signed : (msg as { signed: Signed<Vote> }).signed;
    this.feedOrReplay(node, { type: 'ownSigned', message: own, kind });
  }

  /** Live, our own message is a new logged input; during replay it is stepped unlogged (duplicates are ignored). */
  private feedOrReplay(node: SimNode, input: Input): void {
    if (node.replaying) this.stepNode(node, input);
    else this.feed(node, input);
  }

  private commit(node: SimNode, certificate: CommitCertificate): void {
    const height = node.durable.certificates.length + 1;
    if (certificate.height !== height) return;
    this.checkDecision(node, certificate);
    // The block and the WAL reset are one atomic write.
    node.durable.certificates.push(certificate);
    node.durable.wal = [];
    node.durable.synced = 0;
    node.replaying = false;
    this.record(`commit n${node.id} h${height} r${certificate.round} ${short(certificate.value)}`);
    this.beginHeight(node, height + 1);
    node.durable.synced = node.durable.wal.length;
  }

  /** The driver keeps next-height messages itself, so that they enter the WAL when their height starts. */
  private receive(node: SimNode, input: Input): void {
    if (heightOf(input) === node.core.height + 1) {
      if (node.future.length < MAX_FUTURE_MESSAGES) node.future.push(input);
      return;
    }
    this.feed(node, input);
  }

  private deliver(from: number, node: SimNode, msg: NetMessage): void {
    if (!node.up) return;
    switch (msg.type) {
      case 'proposal':
        this.receive(node, { type: 'proposal', proposal: msg.signed });
        return;
      case 'vote':
        this.receive(node, { type: 'vote', vote: msg.signed });
        return;
      case 'syncRequest': {
        const certificates = node.durable.certificates.slice(
          msg.fromHeight - 1,
          msg.fromHeight - 1 + MAX_SYNC_BATCH,
        );
        if (certificates.length > 0) this.send(node.id, from, { type: 'syncResponse', certificates });
        return;
      }
      case 'syncResponse':
        for (const certificate of msg.certificates) {
          const height = node.durable.certificates.length + 1;
          if (certificate.height !== height) continue;
          const problem = checkCertificate(
            this.chainId,
            certificate,
            this.certifiedValidators(height),
            height,
          );
          if (problem) {
            this.violations.push(
              `n${node.id} received a synced certificate for h${height} that fails: ${problem}`,
            );
            return;
          }
          this.commit(node, certificate);
          if (!node.up) return;
        }
        return;
      case 'votesRequest': {
        if (node.core.height !== msg.height) return;
        const round = node.core.rounds.get(msg.round);
        if (!round) return;
        if (round.proposal) this.send(node.id, from, { type: 'proposal', signed: round.proposal });
        for (const v of [...round.prevotes.all(), ...round.precommits.all()])
          this.send(node.id, from, { type: 'vote', signed: v });
        return;
      }
    }
  }

  // ---- invariants --------------------------------------------------------------

  private checkDecision(node: SimNode, certificate: CommitCertificate): void {
    const { height, value, round } = certificate;
    this.maxRound = Math.max(this.maxRound, round);
    const agreed = this.decided.get(height);
    if (agreed === undefined) this.decided.set(height, { value, round });
    else if (agreed.value !== value) {
      this.violations.push(
        `agreement: n${node.id} decided ${short(value)} at h${height}, others decided ${short(agreed.value)}`,
      );
    }
    const problem = checkCertificate(
      this.chainId,
      certificate,
      this.certifiedValidators(height),
      height,
      this.verifySignature,
    );
    if (problem) this.violations.push(`certificate of n${node.id} for h${height} is invalid: ${problem}`);
    if (
      this.phase === 'liveness' &&
      height > (this.heightsAtHeal.get(node.id) ?? 0) + 1 &&
      round > this.livenessRoundBound()
    ) {
      this.violations.push(`liveness: h${height} took ${round + 1} rounds after the network healed`);
    }
  }

  /** After healing, an honest proposer comes up within n rounds; allow for twins and stragglers. */
  private livenessRoundBound(): number {
    return 2 * this.nodes.length + 4;
  }

  private checkEquivocation(node: SimNode, slot: string, value: string | null): void {
    if (this.twinKeys.has(node.key)) return; // twins are the Byzantine keys
    const id = `k${node.key}/${slot}`;
    if (!this.signedByKey.has(id)) {
      this.signedByKey.set(id, value);
    } else if (this.signedByKey.get(id) !== value) {
      this.violations.push(`equivocation: honest key ${node.key} signed two values for ${slot}`);
    }
  }

  private checkLocks(node: SimNode, effects: readonly Effect[]): void {
    const s = node.core;
    for (const e of effects) {
      if (e.type !== 'signAndBroadcast' || e.kind !== 'vote') continue;
      const v = e.message as Vote;
      if (v.type !== 'precommit' || v.value === null) continue;
      const prevotes = s.rounds.get(v.round)?.prevotes.powerFor(v.value) ?? 0;
      if (!(3 * prevotes > 2 * s.total)) {
        this.violations.push(
          `lock discipline: n${node.id} precommitted ${short(v.value)} at h${v.height}r${v.round} without a prevote quorum`,
        );
      }
    }
    const last = node.lastLock;
    if (last.incarnation === node.incarnation && last.height === s.height && s.lockedRound < last.round) {
      this.violations.push(
        `lock discipline: n${node.id} lockedRound fell from ${last.round} to ${s.lockedRound} at h${s.height}`,
      );
    }
    node.lastLock = { incarnation: node.incarnation, height: s.height, round: s.lockedRound };
    if (
      !node.replaying &&
      s.height === node.signedLock.height &&
      s.lockedRound < node.signedLock.round &&
      !s.decision
    ) {
      this.violations.push(
        `lock discipline: n${node.id} resumed h${s.height} with lockedRound ${s.lockedRound} after precommitting at round ${node.signedLock.round}`,
      );
    }
    // No regression: committed heights are contiguous and never fall, across restarts (wipes aside).
    const committed = node.durable.certificates.length;
    if (committed < node.maxCommitted) {
      this.violations.push(`regression: n${node.id} fell back from h${node.maxCommitted} to h${committed}`);
    }
    node.maxCommitted = Math.max(node.maxCommitted, committed);
    const top = node.durable.certificates[committed - 1];
    if (top && top.height !== committed)
      this.violations.push(`regression: n${node.id} has non-contiguous heights`);
  }

  private checkLiveness(): void {
    if (this.o.stopAtHeight !== undefined) {
      for (const n of this.nodes) {
        if (n.durable.certificates.length < this.o.stopAtHeight) {
          this.violations.push(
            `liveness: n${n.id} reached only h${n.durable.certificates.length} of ${this.o.stopAtHeight}`,
          );
        }
      }
      return;
    }
    if (this.phase !== 'liveness') return;
    const need = this.o.livenessHeights ?? 2;
    for (const n of this.nodes) {
      const gained = n.durable.certificates.length - (this.heightsAtHeal.get(n.id) ?? 0);
      if (gained < need) {
        this.violations.push(
          `liveness: n${n.id} decided ${gained} of ${need} heights in ${this.now - this.healedAt} ms after healing (at h${n.core.height} r${n.core.round})`,
        );
      }
      // Every validator, restarted or wiped ones included, takes part again.
      if (n.core.self !== undefined && n.lastSignedAt < this.healedAt) {
        this.violations.push(`liveness: validator node n${n.id} signed nothing after the network healed`);
      }
    }
  }
}

function view(s: ConsensusState): SimNodeView {
  return { height: s.height, round: s.round, step: s.step, lockedRound: s.lockedRound };
}

function summarize(msg: NetMessage): SimMessageSummary {
  switch (msg.type) {
    case 'proposal':
      return { type: 'proposal', height: msg.signed.message.height, round: msg.signed.message.round };
    case 'vote':
      return {
        type: msg.signed.message.type,
        height: msg.signed.message.height,
        round: msg.signed.message.round,
      };
    default:
      return { type: 'sync', height: -1, round: -1 };
  }
}

function short(value: string | null): string {
  return value === null ? 'nil' : value.slice(0, 8);
}
