import {
  advanceValidatorSet,
  type ConsensusState,
  type Effect,
  type Input,
  initialState,
  newValidatorSet,
  type Proposal,
  simulate,
  step,
  type ValidatorSet,
  type Vote,
} from '@pujiang/consensus';
import type { BenchRecord } from './record.js';

const SIGNATURE = new Uint8Array(64);

/**
 * Decisions per second of the pure core alone: n cores pass messages in memory (no
 * network, no signatures, no disk), every value valid, no timeouts needed. This is the
 * ceiling the state machine puts on a chain of n validators on one core.
 */
function coreDecisionsPerSecond(validators: number, heights: number): number {
  const cores: ConsensusState[] = Array.from({ length: validators }, () => initialState());
  const queue: { node: number; input: Input }[] = [];
  let set: ValidatorSet = newValidatorSet(new Array(validators).fill(1));
  const sets = new Map<number, ValidatorSet>([[1, set]]);
  const setAt = (h: number) => {
    while (!sets.has(h)) {
      set = advanceValidatorSet(set);
      sets.set(sets.size + 1, set);
    }
    return sets.get(h)!;
  };
  let decided = 0;
  const handle = (node: number, effect: Effect) => {
    switch (effect.type) {
      case 'signAndBroadcast': {
        for (let peer = 0; peer < validators; peer++) {
          let input: Input;
          if (effect.kind === 'proposal') {
            const signed = { message: effect.message as Proposal, signature: SIGNATURE };
            input =
              peer === node
                ? { type: 'ownSigned', kind: 'proposal', message: signed }
                : { type: 'proposal', proposal: signed };
          } else {
            const signed = { message: effect.message as Vote, signature: SIGNATURE };
            input =
              peer === node
                ? { type: 'ownSigned', kind: 'vote', message: signed }
                : { type: 'vote', vote: signed };
          }
          queue.push({ node: peer, input });
        }
        return;
      }
      case 'requestValue':
        queue.push({
          node,
          input: {
            type: 'proposeValue',
            height: effect.height,
            round: effect.round,
            value: effect.height.toString(16).padStart(64, '0'),
          },
        });
        return;
      case 'validateValue':
        queue.push({
          node,
          input: { type: 'valueVerdict', height: effect.height, value: effect.value, valid: true },
        });
        return;
      case 'decide': {
        if (node === 0) decided++;
        const next = effect.certificate.height + 1;
        if (next <= heights)
          queue.push({
            node,
            input: { type: 'startHeight', height: next, validators: setAt(next), self: node },
          });
        return;
      }
      default:
        return;
    }
  };
  const start = performance.now();
  for (let i = 0; i < validators; i++)
    queue.push({ node: i, input: { type: 'startHeight', height: 1, validators: setAt(1), self: i } });
  for (let head = 0; head < queue.length; head++) {
    const { node, input } = queue[head]!;
    for (const effect of step(cores[node]!, input).effects) handle(node, effect);
    if (head > 100_000) {
      queue.splice(0, head + 1);
      head = -1;
    }
  }
  if (decided !== heights) throw new Error(`core bench decided ${decided} of ${heights} heights`);
  return (decided * 1000) / (performance.now() - start);
}

/** Rounds needed per height when the network drops 10 % of messages (simulated, seeded). */
function roundsUnderLoss(seeds: number): { mean: number; max: number; heights: number } {
  let total = 0;
  let max = 0;
  let heights = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const result = simulate({
      seed,
      validators: 4,
      lossRate: 0.1,
      partitions: false,
      crashes: false,
      duplication: false,
      safetyMs: 600_000,
      stopAtHeight: 20,
    });
    if (result.violations.length > 0) throw new Error(`simulation seed ${seed}: ${result.violations[0]}`);
    for (const { round } of result.decisions.values()) {
      total += round + 1;
      max = Math.max(max, round + 1);
      heights++;
    }
  }
  return { mean: total / heights, max, heights };
}

export function runConsensusBench(options: { quick: boolean }): BenchRecord[] {
  const records: BenchRecord[] = [];
  for (const [validators, heights] of [
    [4, options.quick ? 300 : 2000],
    [10, options.quick ? 100 : 500],
    [100, options.quick ? 3 : 10],
  ] as const) {
    records.push({
      group: 'consensus',
      name: `pure core, ${validators} validators`,
      value: coreDecisionsPerSecond(validators, heights),
      unit: 'decisions/s',
      configuration: {
        validators,
        heights,
        note: 'all validators stepped on one thread; no network, signatures or disk',
      },
    });
  }
  const loss = roundsUnderLoss(options.quick ? 5 : 20);
  records.push({
    group: 'consensus',
    name: 'rounds to decide, 10% loss (mean)',
    value: loss.mean,
    unit: 'rounds',
    configuration: {
      validators: 4,
      heights: loss.heights,
      max: loss.max,
      note: 'deterministic simulator, seeds 1..N',
    },
  });
  records.push({
    group: 'consensus',
    name: 'rounds to decide, 10% loss (max)',
    value: loss.max,
    unit: 'rounds',
    configuration: { validators: 4, heights: loss.heights },
  });
  return records;
}
