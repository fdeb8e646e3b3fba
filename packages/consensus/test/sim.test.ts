import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SimOptions, type SimResult, simulate } from '../src/index.js';

function clean(result: SimResult, label: string): void {
  assert.deepEqual(result.violations, [], `${label}: ${result.violations.join('; ')}`);
}

describe('deterministic simulation: 300 seeds with chaos and twins', () => {
  for (const validators of [4, 7, 10]) {
    it(`${validators} validators, ${Math.floor((validators - 1) / 3)} twins, seeds 1..100: safety, then liveness`, () => {
      const twins = Math.floor((validators - 1) / 3);
      let decided = 0;
      let evidence = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const result = simulate({ seed, validators, twins });
        clean(result, `npm run sim -- --seed ${seed} --validators ${validators} --twins ${twins}`);
        decided += result.heightsDecided;
        evidence += result.evidence;
      }
      // The runs did real work: heights were decided and the twins were caught equivocating.
      assert.ok(decided > 300, `only ${decided} heights decided over 100 seeds`);
      assert.ok(evidence > 0, 'twins never equivocated');
    });
  }

  it('the same seed gives the same trace hash; another seed does not', () => {
    const options: SimOptions = { seed: 42, validators: 7, twins: 2 };
    const a = simulate(options);
    const b = simulate(options);
    const c = simulate({ ...options, seed: 43 });
    assert.equal(a.traceHash, b.traceHash);
    assert.equal(a.events, b.events);
    assert.notEqual(a.traceHash, c.traceHash);
  });
});

describe('named regression scenarios', () => {
  it('restart during a round change', () => {
    let crashes = 0;
    const result = simulate({
      seed: 11,
      validators: 4,
      twins: 0,
      partitions: false,
      crashAfterStep: (_node, before, after) => {
        const roundChanged = after.height === before.height && after.round > before.round;
        if (roundChanged && crashes < 5) {
          crashes++;
          return true;
        }
        return false;
      },
    });
    clean(result, 'restart during a round change');
    assert.ok(crashes > 0, 'the scenario never reached a round change');
  });

  it('2 of 4 nodes wiped and restarted: they catch up from peers and vote again', () => {
    for (const seed of [1, 2, 3]) {
      const result = simulate({ seed, validators: 4, twins: 0, wipeNodes: [1, 2] });
      clean(result, `wipe seed ${seed}`);
    }
  });

  it('one lagging node plus timer jitter', () => {
    for (const seed of [1, 2, 3]) {
      const result = simulate({ seed, validators: 4, twins: 1, laggingNode: 3 });
      clean(result, `lagging seed ${seed}`);
    }
  });

  it('an application that rejects every proposal: nothing is decided, rounds keep advancing, nothing breaks', () => {
    const result = simulate({
      seed: 5,
      validators: 4,
      twins: 0,
      isValid: () => false,
      expectLiveness: false,
    });
    clean(result, 'reject all');
    assert.equal(result.heightsDecided, 0);
    assert.ok(result.maxRoundReached >= 5, `only reached round ${result.maxRoundReached}`);
  });

  it('a validator-set change in the middle of a run: one leaves, one joins, powers change', () => {
    const validatorChanges = [
      { height: 4, powers: [1, 1, 1, 0, 1] },
      { height: 8, powers: [1, 2, 1, 1, 1] },
    ];
    const calm = simulate({
      seed: 11,
      validators: 4,
      spareKeys: 1,
      validatorChanges,
      loss: false,
      partitions: false,
      crashes: false,
      stopAtHeight: 12,
    });
    clean(calm, 'set change, calm network');
    assert.equal(calm.heightsDecided, 12);
    for (const seed of [11, 12]) {
      clean(
        simulate({ seed, validators: 4, spareKeys: 1, validatorChanges }),
        `set change with chaos, seed ${seed}`,
      );
    }
  });

  it('hidden lock: a lock held by a minority neither blocks nor forks the chain', () => {
    // Height 1, round 0: node 0 proposes v. Node 3 never gets the proposal (prevotes nil), and node 0's
    // prevote for v never reaches the others. So node 0 alone sees three prevotes for v and locks on it,
    // while nodes 1-3 see no polka, precommit nil and move on: the lock is hidden from them for good.
    const result = simulate({
      seed: 3,
      validators: 4,
      twins: 0,
      loss: false,
      partitions: false,
      crashes: false,
      duplication: false,
      keepTrace: true,
      stopAtHeight: 3,
      dropMessage: (from, to, m) =>
        m.height === 1 &&
        m.round === 0 &&
        ((m.type === 'proposal' && to === 3) || (m.type === 'prevote' && from === 0 && to !== 0)),
    });
    clean(result, 'hidden lock');
    const trace = result.trace!.join('\n');
    assert.match(trace, /sign n0 1\/0\/precommit [0-9a-f]{8}/, 'node 0 did not lock in round 0');
    assert.match(trace, /sign n1 1\/0\/precommit nil/, 'node 1 saw the polka after all');
    assert.ok(result.decisions.get(1)!.round >= 1, 'height 1 was decided in round 0');
    assert.equal(result.heightsDecided, 3);
  });

  it('100 validators decide 20 heights', () => {
    const result = simulate({
      seed: 1,
      validators: 100,
      twins: 0,
      loss: false,
      partitions: false,
      crashes: false,
      duplication: false,
      stopAtHeight: 20,
      livenessMs: 120_000,
    });
    clean(result, '100 validators');
    assert.equal(result.heightsDecided, 20);
  });
});
