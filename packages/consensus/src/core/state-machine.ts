import { proposerOf, totalPower } from './proposer.js';
import type {
  CommitCertificate,
  Effect,
  Input,
  Proposal,
  Signed,
  Step,
  TimeoutConfig,
  ValidatorSet,
  ValueId,
  Vote,
} from './types.js';
import { DEFAULT_TIMEOUTS } from './types.js';
import { VoteTally } from './vote-tally.js';

/**
 * The Tendermint consensus core as a pure state machine: `step(state, input)` returns the
 * state and the effects to carry out, in order. There is no I/O, clock, randomness or
 * async here; comments name the lines of Algorithm 1 in arXiv:1807.04938. Iteration is by
 * validator index or by sorted key only, so every run is reproducible.
 *
 * The state object is updated in place and returned (copying it per message would cost
 * O(validators) each time); treat the argument as consumed.
 */

/** Messages further ahead than this many rounds are ignored, so a faulty peer cannot make us keep unbounded rounds. */
export const MAX_ROUNDS_AHEAD = 64;

interface RoundState {
  proposal?: Signed<Proposal>;
  readonly prevotes: VoteTally;
  readonly precommits: VoteTally;
  /** Validators heard from at this round, for the f+1 round skip (line 55). */
  readonly senders: Set<number>;
  senderPower: number;
  prevoteTimeoutScheduled: boolean;
  precommitTimeoutScheduled: boolean;
  /** Line 36 runs once per round ("for the first time"). */
  lockRuleFired: boolean;
}

export interface ConsensusState {
  readonly timeouts: TimeoutConfig;
  height: number;
  round: number;
  step: Step;
  /** Our validator index at this height, or undefined for a node that follows without voting. */
  self: number | undefined;
  validators: ValidatorSet;
  total: number;
  lockedValue: ValueId | null;
  lockedRound: number;
  validValue: ValueId | null;
  validRound: number;
  rounds: Map<number, RoundState>;
  verdicts: Map<ValueId, boolean>;
  validationRequested: Set<ValueId>;
  awaitingValue: boolean;
  decision: CommitCertificate | undefined;
  /** Highest height we asked peers to send decided blocks from. */
  requestedFrom: number;
  started: boolean;
}

export interface StepResult {
  state: ConsensusState;
  effects: Effect[];
}

export function initialState(timeouts: TimeoutConfig = DEFAULT_TIMEOUTS): ConsensusState {
  return {
    timeouts,
    height: 0,
    round: 0,
    step: 'propose',
    self: undefined,
    validators: { powers: [], priorities: [] },
    total: 0,
    lockedValue: null,
    lockedRound: -1,
    validValue: null,
    validRound: -1,
    rounds: new Map(),
    verdicts: new Map(),
    validationRequested: new Set(),
    awaitingValue: false,
    decision: undefined,
    requestedFrom: -1,
    started: false,
  };
}

const quorum = (s: ConsensusState, power: number) => 3 * power > 2 * s.total; // "2f + 1"
const oneThird = (s: ConsensusState, power: number) => 3 * power > s.total; // "f + 1"

function roundState(s: ConsensusState, round: number): RoundState {
  let r = s.rounds.get(round);
  if (!r) {
    r = {
      prevotes: new VoteTally(),
      precommits: new VoteTally(),
      senders: new Set(),
      senderPower: 0,
      prevoteTimeoutScheduled: false,
      precommitTimeoutScheduled: false,
      lockRuleFired: false,
    };
    s.rounds.set(round, r);
  }
  return r;
}

function isProposer(s: ConsensusState, round: number): boolean {
  return s.self !== undefined && proposerOf(s.validators, round) === s.self;
}

function broadcast(effects: Effect[], message: Proposal | Vote, kind: 'proposal' | 'vote'): void {
  effects.push({ type: 'persist', message, kind }, { type: 'signAndBroadcast', message, kind });
}

function vote(s: ConsensusState, effects: Effect[], type: Vote['type'], value: ValueId | null): void {
  if (s.self === undefined) return; // a follower moves through steps but does not vote
  broadcast(effects, { type, height: s.height, round: s.round, value, validator: s.self }, 'vote');
}

function timeout(s: ConsensusState, effects: Effect[], kind: 'propose' | 'prevote' | 'precommit'): void {
  const t = s.timeouts;
  const durationMs =
    kind === 'propose'
      ? t.proposeMs + s.round * t.proposeDeltaMs
      : kind === 'prevote'
        ? t.prevoteMs + s.round * t.prevoteDeltaMs
        : t.precommitMs + s.round * t.precommitDeltaMs;
  effects.push({ type: 'scheduleTimeout', kind, height: s.height, round: s.round, durationMs });
}

/** Lines 11-21: StartRound(round). */
function startRound(s: ConsensusState, effects: Effect[], round: number): void {
  s.round = round; // line 12
  s.step = 'propose'; // line 13
  s.awaitingValue = false;
  if (isProposer(s, round)) {
    // lines 14-19
    if (s.validValue !== null) {
      broadcast(
        effects,
        { height: s.height, round, value: s.validValue, validRound: s.validRound, proposer: s.self! },
        'proposal',
      );
    } else {
      s.awaitingValue = true; // line 18: getValue() is asynchronous here
      effects.push({ type: 'requestValue', height: s.height, round });
    }
  } else {
    timeout(s, effects, 'propose'); // line 21
  }
}

function requestValidation(s: ConsensusState, effects: Effect[], proposal: Proposal): void {
  if (s.verdicts.has(proposal.value) || s.validationRequested.has(proposal.value)) return;
  s.validationRequested.add(proposal.value);
  effects.push({ type: 'validateValue', height: s.height, round: proposal.round, value: proposal.value });
}

function decide(s: ConsensusState, effects: Effect[], round: number, value: ValueId, r: RoundState): void {
  const certificate: CommitCertificate = {
    height: s.height,
    round,
    value,
    precommits: r.precommits.votesFor(value),
  };
  s.decision = certificate; // line 51
  effects.push({ type: 'decide', certificate });
}

/** Applies every rule whose condition now holds, until none does. */
function evaluate(s: ConsensusState, effects: Effect[]): void {
  for (let changed = true; changed && s.decision === undefined; ) {
    changed = false;

    // Lines 49-54: a proposal and 2f+1 precommits for it, in any round, decide the height.
    for (const round of [...s.rounds.keys()].sort((a, b) => a - b)) {
      const r = s.rounds.get(round)!;
      const v = r.proposal?.message.value;
      if (v !== undefined && quorum(s, r.precommits.powerFor(v)) && s.verdicts.get(v) === true) {
        decide(s, effects, round, v, r);
        return;
      }
    }

    // Lines 55-56: f+1 of the power is already at a higher round: jump there.
    for (const round of [...s.rounds.keys()].sort((a, b) => a - b)) {
      if (round > s.round && oneThird(s, s.rounds.get(round)!.senderPower)) {
        startRound(s, effects, round);
        changed = true;
        break;
      }
    }
    if (changed) continue;

    const r = roundState(s, s.round);
    const proposal = r.proposal?.message;
    const verdict = proposal ? s.verdicts.get(proposal.value) : undefined;

    if (s.step === 'propose' && proposal && verdict !== undefined) {
      const v = proposal.value;
      if (proposal.validRound === -1) {
        // Lines 22-27.
        const ok = verdict && (s.lockedRound === -1 || s.lockedValue === v);
        vote(s, effects, 'prevote', ok ? v : null);
        s.step = 'prevote';
        changed = true;
      } else if (
        proposal.validRound < s.round &&
        quorum(s, roundState(s, proposal.validRound).prevotes.powerFor(v))
      ) {
        // Lines 28-33.
        const ok = verdict && (s.lockedRound <= proposal.validRound || s.lockedValue === v);
        vote(s, effects, 'prevote', ok ? v : null);
        s.step = 'prevote';
        changed = true;
      }
    }

    // Lines 34-35.
    if (s.step === 'prevote' && !r.prevoteTimeoutScheduled && quorum(s, r.prevotes.powerForAny)) {
      r.prevoteTimeoutScheduled = true;
      timeout(s, effects, 'prevote');
    }

    // Lines 36-43.
    if (
      (s.step === 'prevote' || s.step === 'precommit') &&
      !r.lockRuleFired &&
      proposal &&
      verdict === true &&
      quorum(s, r.prevotes.powerFor(proposal.value))
    ) {
      r.lockRuleFired = true;
      if (s.step === 'prevote') {
        s.lockedValue = proposal.value; // line 38
        s.lockedRound = s.round; // line 39
        vote(s, effects, 'precommit', proposal.value); // line 40
        s.step = 'precommit'; // line 41
      }
      s.validValue = proposal.value; // line 42
      s.validRound = s.round; // line 43
      changed = true;
    }

    // Lines 44-46.
    if (s.step === 'prevote' && quorum(s, r.prevotes.powerFor(null))) {
      vote(s, effects, 'precommit', null);
      s.step = 'precommit';
      changed = true;
    }

    // Lines 47-48.
    if (!r.precommitTimeoutScheduled && quorum(s, r.precommits.powerForAny)) {
      r.precommitTimeoutScheduled = true;
      timeout(s, effects, 'precommit');
    }
  }
}

function noteSender(s: ConsensusState, round: number, validator: number): void {
  const r = roundState(s, round);
  if (!r.senders.has(validator)) {
    r.senders.add(validator);
    r.senderPower += s.validators.powers[validator]!;
  }
}

/**
 * True if a message belongs to the current, undecided height. Messages for later heights are
 * the driver's to keep (it logs them when their height starts, so a WAL replay sees them);
 * here they only tell us we may be behind.
 */
function admitHeight(s: ConsensusState, effects: Effect[], height: number): boolean {
  if (!s.started || height < s.height) return false;
  if (height === s.height) return s.decision === undefined;
  if (s.requestedFrom < s.height) {
    s.requestedFrom = s.height;
    effects.push({ type: 'requestDecided', fromHeight: s.height });
  }
  return false;
}

function validRoundNumber(s: ConsensusState, round: number): boolean {
  return Number.isInteger(round) && round >= 0 && round <= s.round + MAX_ROUNDS_AHEAD;
}

function onProposal(s: ConsensusState, effects: Effect[], signed: Signed<Proposal>): void {
  const p = signed.message;
  if (!validRoundNumber(s, p.round)) return;
  if (!Number.isInteger(p.validRound) || p.validRound < -1 || p.validRound >= p.round) return;
  if (p.proposer !== proposerOf(s.validators, p.round)) return;
  const r = roundState(s, p.round);
  if (r.proposal) return; // the first proposal of a round counts
  r.proposal = signed;
  noteSender(s, p.round, p.proposer);
  requestValidation(s, effects, p);
  // Line 28 needs the 2f+1 prevotes of the proposal's valid round. A validator that formed that
  // quorum may have crashed after only some of us heard it: ask the peers who did.
  if (p.validRound >= 0 && !quorum(s, s.rounds.get(p.validRound)?.prevotes.powerFor(p.value) ?? 0))
    effects.push({ type: 'requestVotes', height: s.height, round: p.validRound });
}

function onVote(s: ConsensusState, effects: Effect[], signed: Signed<Vote>): void {
  const v = signed.message;
  if (!validRoundNumber(s, v.round)) return;
  const power = s.validators.powers[v.validator];
  if (power === undefined) return;
  const r = roundState(s, v.round);
  const tally = v.type === 'prevote' ? r.prevotes : r.precommits;
  const { conflict } = tally.add(signed, power);
  if (conflict) effects.push({ type: 'evidence', first: conflict, second: signed });
  noteSender(s, v.round, v.validator);
}

function startHeight(
  s: ConsensusState,
  effects: Effect[],
  input: Extract<Input, { type: 'startHeight' }>,
): void {
  s.height = input.height;
  s.validators = input.validators;
  s.total = totalPower(input.validators);
  s.self = input.self;
  s.lockedValue = null;
  s.lockedRound = -1;
  s.validValue = null;
  s.validRound = -1;
  s.rounds = new Map();
  s.verdicts = new Map();
  s.validationRequested = new Set();
  s.decision = undefined;
  s.started = true;
  startRound(s, effects, 0);
}

function apply(s: ConsensusState, effects: Effect[], input: Input): void {
  switch (input.type) {
    case 'startHeight':
      if (input.height > s.height || !s.started) startHeight(s, effects, input);
      return;
    case 'proposal':
      if (admitHeight(s, effects, input.proposal.message.height)) onProposal(s, effects, input.proposal);
      break;
    case 'vote':
      if (admitHeight(s, effects, input.vote.message.height)) onVote(s, effects, input.vote);
      break;
    case 'ownSigned':
      if (input.message.message.height !== s.height || s.decision !== undefined) return;
      if (input.kind === 'proposal') onProposal(s, effects, input.message as Signed<Proposal>);
      else onVote(s, effects, input.message as Signed<Vote>);
      break;
    case 'valueVerdict':
      if (input.height !== s.height || s.decision !== undefined) return;
      // The first verdict stands: a node must not change its mind about a value it may have voted on.
      if (!s.verdicts.has(input.value)) s.verdicts.set(input.value, input.valid);
      break;
    case 'proposeValue': {
      // Line 19 continued: our value arrived; propose it if we are still waiting for it.
      if (input.height !== s.height || input.round !== s.round || !s.awaitingValue || s.step !== 'propose')
        return;
      s.awaitingValue = false;
      s.verdicts.set(input.value, true); // we built it
      broadcast(
        effects,
        { height: s.height, round: s.round, value: input.value, validRound: -1, proposer: s.self! },
        'proposal',
      );
      return;
    }
    case 'timeout':
      if (input.height !== s.height || input.round !== s.round || s.decision !== undefined) return;
      if (input.kind === 'propose' && s.step === 'propose') {
        vote(s, effects, 'prevote', null); // lines 57-60
        s.step = 'prevote';
      } else if (input.kind === 'prevote' && s.step === 'prevote') {
        vote(s, effects, 'precommit', null); // lines 61-64
        s.step = 'precommit';
      } else if (input.kind === 'precommit') {
        effects.push({ type: 'requestVotes', height: s.height, round: s.round });
        startRound(s, effects, s.round + 1); // lines 65-67
      }
      break;
  }
  evaluate(s, effects);
}

/** The core's single entry point. */
export function step(state: ConsensusState, input: Input): StepResult {
  const effects: Effect[] = [];
  apply(state, effects, input);
  return { state, effects };
}
