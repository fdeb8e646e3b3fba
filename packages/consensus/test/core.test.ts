import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  advanceValidatorSet,
  type ConsensusState,
  type Effect,
  type Input,
  initialState,
  newValidatorSet,
  type Proposal,
  proposerOf,
  type Signed,
  step,
  type ValidatorSet,
  type Vote,
} from '../src/index.js';

const V = 'aa'.repeat(32);
const W = 'bb'.repeat(32);
const sig = new Uint8Array(64);
const signed = <M>(message: M): Signed<M> => ({ message, signature: sig });
const vote = (
  type: Vote['type'],
  round: number,
  value: string | null,
  validator: number,
  height = 1,
): Input => ({
  type: 'vote',
  vote: signed({ type, height, round, value, validator }),
});
const proposal = (round: number, value: string, proposer: number, validRound = -1, height = 1): Input => ({
  type: 'proposal',
  proposal: signed<Proposal>({ height, round, value, validRound, proposer }),
});

/** Runs inputs through one core and collects the effects. */
function run(state: ConsensusState, inputs: Input[]): Effect[] {
  const effects: Effect[] = [];
  for (const input of inputs) effects.push(...step(state, input).effects);
  return effects;
}

const signedVotes = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'signAndBroadcast' && e.kind === 'vote' ? [e.message as Vote] : []));

/** A 4-validator node that is validator `self` at height 1, not the round-0 proposer. */
function node(self: number, set: ValidatorSet = newValidatorSet([1, 1, 1, 1])): ConsensusState {
  const s = initialState();
  step(s, { type: 'startHeight', height: 1, validators: set, self });
  return s;
}

describe('proposer rotation', () => {
  it('is weighted by voting power over a window and deterministic', () => {
    const set = newValidatorSet([1, 2, 3, 4]);
    const counts = [0, 0, 0, 0];
    for (let r = 0; r < 100; r++) counts[proposerOf(set, r)]!++;
    assert.deepEqual(counts, [10, 20, 30, 40]);
    assert.equal(proposerOf(set, 7), proposerOf(newValidatorSet([1, 2, 3, 4]), 7));
  });
  it('moves on from height to height', () => {
    let set = newValidatorSet([1, 1, 1, 1]);
    const proposers: number[] = [];
    for (let h = 0; h < 4; h++) {
      proposers.push(proposerOf(set, 0));
      set = advanceValidatorSet(set);
    }
    assert.deepEqual([...proposers].sort(), [0, 1, 2, 3]);
  });
});

describe('Tendermint core (Algorithm 1)', () => {
  const set = newValidatorSet([1, 1, 1, 1]);
  const p0 = proposerOf(set, 0);
  const me = (p0 + 1) % 4;

  it('lines 11-21: a non-proposer schedules the propose timeout; the proposer asks for a value and proposes it', () => {
    const follower = initialState();
    const e1 = step(follower, { type: 'startHeight', height: 1, validators: set, self: me }).effects;
    assert.deepEqual(
      e1.map((e) => e.type),
      ['scheduleTimeout'],
    );
    const leader = initialState();
    const e2 = step(leader, { type: 'startHeight', height: 1, validators: set, self: p0 }).effects;
    assert.deepEqual(e2, [{ type: 'requestValue', height: 1, round: 0 }]);
    const e3 = step(leader, { type: 'proposeValue', height: 1, round: 0, value: V }).effects;
    assert.deepEqual(
      e3.map((e) => e.type),
      ['persist', 'signAndBroadcast'],
    );
  });

  it('lines 22-54: proposal, prevotes and precommits lead to one decision with a certificate', () => {
    const s = node(me);
    const effects = run(s, [proposal(0, V, p0)]);
    assert.deepEqual(
      effects.map((e) => e.type),
      ['validateValue'],
    );
    const prevote = signedVotes(run(s, [{ type: 'valueVerdict', height: 1, value: V, valid: true }]));
    assert.deepEqual(prevote, [{ type: 'prevote', height: 1, round: 0, value: V, validator: me }]);
    const precommit = signedVotes(
      run(
        s,
        [0, 1, 2].map((i) => vote('prevote', 0, V, i)),
      ),
    );
    assert.deepEqual(precommit, [{ type: 'precommit', height: 1, round: 0, value: V, validator: me }]);
    assert.equal(s.lockedValue, V);
    assert.equal(s.lockedRound, 0);
    const decided = run(
      s,
      [0, 1, 2].map((i) => vote('precommit', 0, V, i)),
    ).filter((e) => e.type === 'decide');
    assert.equal(decided.length, 1);
    const cert = (decided[0] as Extract<Effect, { type: 'decide' }>).certificate;
    assert.equal(cert.value, V);
    assert.deepEqual(
      cert.precommits.map((p) => p.message.validator),
      [0, 1, 2],
    );
  });

  it('lines 22-27: an invalid value, or one other than the lock, gets a nil prevote', () => {
    const s = node(me);
    run(s, [proposal(0, V, p0)]);
    assert.deepEqual(
      signedVotes(run(s, [{ type: 'valueVerdict', height: 1, value: V, valid: false }]))[0]?.value,
      null,
    );
  });

  it('lines 28-33: a locked node prevotes a later proposal backed by a newer proof-of-lock', () => {
    const s = node(me);
    // Round 0: lock on V.
    run(s, [proposal(0, V, p0), { type: 'valueVerdict', height: 1, value: V, valid: true }]);
    run(
      s,
      [0, 1, 2].map((i) => vote('prevote', 0, V, i)),
    );
    assert.equal(s.lockedRound, 0);
    // Round 1 ends without decision; round 2's proposer re-proposes W with validRound 1 and a polka for W at round 1.
    run(s, [{ type: 'timeout', kind: 'precommit', height: 1, round: 0 }]);
    run(s, [{ type: 'timeout', kind: 'propose', height: 1, round: 1 }]);
    run(
      s,
      [0, 1, 2, 3].map((i) => vote('prevote', 1, null, i)),
    );
    run(s, [{ type: 'timeout', kind: 'precommit', height: 1, round: 1 }]);
    assert.equal(s.round, 2);
    const p2 = proposerOf(set, 2);
    const others = [0, 1, 2, 3].filter((i) => i !== me).slice(0, 3);
    run(
      s,
      others.map((i) => vote('prevote', 1, W, i)),
    );
    const votes = signedVotes(
      run(s, [proposal(2, W, p2, 1), { type: 'valueVerdict', height: 1, value: W, valid: true }]),
    );
    assert.deepEqual(votes[0], { type: 'prevote', height: 1, round: 2, value: W, validator: me });
  });

  it('lines 55-56: f+1 of the power at a higher round makes a node jump there', () => {
    const s = node(me);
    run(s, [vote('prevote', 5, null, (me + 1) % 4)]);
    assert.equal(s.round, 0);
    run(s, [vote('prevote', 5, null, (me + 2) % 4)]);
    assert.equal(s.round, 5);
  });

  it('lines 57-64: propose and prevote timeouts send nil votes', () => {
    const s = node(me);
    assert.deepEqual(signedVotes(run(s, [{ type: 'timeout', kind: 'propose', height: 1, round: 0 }])), [
      { type: 'prevote', height: 1, round: 0, value: null, validator: me },
    ]);
    // Three other validators prevote (our own vote reaches the core only via the driver's ownSigned input).
    const scheduled = run(
      s,
      [0, 1, 2, 3].filter((i) => i !== me).map((i) => vote('prevote', 0, W, i)),
    );
    assert.deepEqual(
      scheduled.filter((x) => x.type === 'scheduleTimeout').map((x) => (x as { kind: string }).kind),
      ['prevote'],
      'line 34: 2f+1 prevotes of any kind schedule the prevote timeout, once',
    );
    assert.deepEqual(signedVotes(run(s, [{ type: 'timeout', kind: 'prevote', height: 1, round: 0 }])), [
      { type: 'precommit', height: 1, round: 0, value: null, validator: me },
    ]);
    // A stale timeout (other round) does nothing.
    assert.equal(run(s, [{ type: 'timeout', kind: 'prevote', height: 1, round: 3 }]).length, 0);
  });

  it('lines 65-67: a precommit timeout starts the next round, and timeouts grow with the round', () => {
    const s = node(me);
    const durations: number[] = [];
    for (let r = 0; r < 8; r++) {
      const effects = run(s, [{ type: 'timeout', kind: 'precommit', height: 1, round: r }]);
      assert.equal(s.round, r + 1);
      assert.ok(
        effects.some((e) => e.type === 'requestVotes'),
        'asks peers for the votes it lacks',
      );
      const t = effects.find((e) => e.type === 'scheduleTimeout');
      if (t && t.type === 'scheduleTimeout') durations.push(t.durationMs);
    }
    assert.ok(durations.length >= 4, `only ${durations.length} propose timeouts`);
    for (let i = 1; i < durations.length; i++) assert.ok(durations[i]! > durations[i - 1]!, `${durations}`);
  });

  it('equivocation: two different votes of one validator for one step are reported once, as evidence', () => {
    const s = node(me);
    const e = run(s, [vote('prevote', 0, V, 3), vote('prevote', 0, W, 3), vote('prevote', 0, W, 3)]);
    const evidence = e.filter((x) => x.type === 'evidence');
    assert.equal(evidence.length, 1);
  });

  it('a message from a later height asks peers for decided blocks, once', () => {
    const s = node(me);
    const e = run(s, [vote('prevote', 0, V, 1, 5), vote('prevote', 0, V, 2, 5)]);
    assert.deepEqual(
      e.filter((x) => x.type === 'requestDecided'),
      [{ type: 'requestDecided', fromHeight: 1 }],
    );
  });

  it('ignores votes from unknown validators, rounds too far ahead, and proposals from the wrong proposer', () => {
    const s = node(me);
    assert.equal(run(s, [vote('prevote', 0, V, 9)]).length, 0);
    assert.equal(run(s, [vote('prevote', 1000, V, 1)]).length, 0);
    assert.equal(run(s, [proposal(0, V, (p0 + 1) % 4)]).length, 0);
  });
});

describe('Tendermint core: the conditions that keep it safe', () => {
  const set = newValidatorSet([1, 1, 1, 1]);
  const p0 = proposerOf(set, 0);
  const me = (p0 + 1) % 4;
  const others = [0, 1, 2, 3].filter((i) => i !== me);

  /** Locks `s` on `value` at `round` (proposal + our verdict + 3 prevotes from others). */
  function lockAt(s: ConsensusState, round: number, value: string): void {
    while (s.round < round) run(s, [{ type: 'timeout', kind: 'precommit', height: 1, round: s.round }]);
    run(s, [
      proposal(round, value, proposerOf(set, round)),
      { type: 'valueVerdict', height: 1, value, valid: true },
    ]);
    run(
      s,
      others.map((i) => vote('prevote', round, value, i)),
    );
    assert.equal(s.lockedRound, round);
    assert.equal(s.lockedValue, value);
  }

  function toRound(s: ConsensusState, round: number): void {
    while (s.round < round) run(s, [{ type: 'timeout', kind: 'precommit', height: 1, round: s.round }]);
  }

  it('line 29: locked at round 1, a proposal with an older proof-of-lock (vr 0) gets a nil prevote', () => {
    const s = node(me);
    run(
      s,
      others.map((i) => vote('prevote', 0, W, i)),
    ); // a polka for W at round 0
    lockAt(s, 1, V);
    toRound(s, 2);
    const votes = signedVotes(
      run(s, [
        proposal(2, W, proposerOf(set, 2), 0),
        { type: 'valueVerdict', height: 1, value: W, valid: true },
      ]),
    );
    assert.deepEqual(votes, [{ type: 'prevote', height: 1, round: 2, value: null, validator: me }]);
  });

  it('line 29: lockedRound equal to vr is enough (<=, not <)', () => {
    const s = node(me);
    lockAt(s, 0, V);
    run(
      s,
      others.map((i) => vote('prevote', 1, W, i)),
    );
    toRound(s, 2);
    const votes = signedVotes(
      run(s, [
        proposal(2, W, proposerOf(set, 2), 1),
        { type: 'valueVerdict', height: 1, value: W, valid: true },
      ]),
    );
    assert.deepEqual(votes[0]?.value, W);
    const s2 = node(me);
    run(
      s2,
      others.map((i) => vote('prevote', 0, W, i)),
    );
    lockAt(s2, 1, V);
    run(
      s2,
      others.map((i) => vote('prevote', 1, W, i)),
    );
    toRound(s2, 2);
    // Locked at 1 on V; a proposal of W with vr = 1 and a polka for W at 1: lockedRound (1) <= vr (1).
    const v2 = signedVotes(
      run(s2, [
        proposal(2, W, proposerOf(set, 2), 1),
        { type: 'valueVerdict', height: 1, value: W, valid: true },
      ]),
    );
    assert.deepEqual(v2[0]?.value, W);
  });

  it('line 28: a claimed proof-of-lock without the 2f+1 prevotes behind it gets no vote for the value', () => {
    const s = node(me);
    lockAt(s, 0, V);
    toRound(s, 2);
    // Round 2's proposer claims validRound 1 for W, but nobody prevoted W in round 1.
    const votes = signedVotes(
      run(s, [
        proposal(2, W, proposerOf(set, 2), 1),
        { type: 'valueVerdict', height: 1, value: W, valid: true },
      ]),
    );
    assert.deepEqual(votes, []);
    // Only the timeout moves it on, with nil.
    const onTimeout = signedVotes(run(s, [{ type: 'timeout', kind: 'propose', height: 1, round: 2 }]));
    assert.deepEqual(onTimeout[0]?.value, null);
  });

  it('line 28: a value the application rejects gets nil even with a proof-of-lock', () => {
    const s = node(me);
    run(
      s,
      others.map((i) => vote('prevote', 0, W, i)),
    );
    toRound(s, 1);
    const votes = signedVotes(
      run(s, [
        proposal(1, W, proposerOf(set, 1), 0),
        { type: 'valueVerdict', height: 1, value: W, valid: false },
      ]),
    );
    assert.deepEqual(votes[0]?.value, null);
  });

  it('line 36: no precommit or lock for an invalid value, even with a polka', () => {
    const s = node(me);
    run(s, [proposal(0, V, p0), { type: 'valueVerdict', height: 1, value: V, valid: false }]);
    const votes = signedVotes(
      run(
        s,
        others.map((i) => vote('prevote', 0, V, i)),
      ),
    );
    assert.ok(!votes.some((v) => v.type === 'precommit' && v.value === V));
    assert.equal(s.lockedRound, -1);
    assert.equal(s.validValue, null);
  });

  it('line 36 in step precommit: validValue moves on, no second precommit', () => {
    const s = node(me);
    run(s, [proposal(0, V, p0), { type: 'valueVerdict', height: 1, value: V, valid: true }]);
    run(s, [{ type: 'timeout', kind: 'propose', height: 1, round: 0 }]); // already prevoted; no-op
    run(
      s,
      others.map((i) => vote('prevote', 0, null, i)),
    ); // nil polka: precommit nil (line 44)
    assert.equal(s.step, 'precommit');
    const late = signedVotes(
      run(
        s,
        others.map((i) => vote('prevote', 0, V, i)),
      ),
    );
    assert.deepEqual(late, []);
    assert.equal(s.validValue, V);
    assert.equal(s.validRound, 0);
    assert.equal(s.lockedRound, -1);
  });

  it('line 49: no decision on an invalid value, whatever the precommits say', () => {
    const s = node(me);
    run(s, [proposal(0, V, p0), { type: 'valueVerdict', height: 1, value: V, valid: false }]);
    const effects = run(
      s,
      [0, 1, 2, 3].map((i) => vote('precommit', 0, V, i)),
    );
    assert.ok(!effects.some((e) => e.type === 'decide'));
  });

  it('the first verdict on a value stands', () => {
    const s = node(me);
    run(s, [proposal(0, V, p0), { type: 'valueVerdict', height: 1, value: V, valid: false }]);
    run(s, [{ type: 'valueVerdict', height: 1, value: V, valid: true }]);
    assert.equal(s.verdicts.get(V), false);
  });
});
