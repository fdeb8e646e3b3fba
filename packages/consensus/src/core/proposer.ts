import type { ValidatorSet } from './types.js';

/**
 * Weighted round-robin proposer selection (the priority algorithm of CometBFT): each step
 * adds every validator's power to its priority, picks the highest (lowest index on a tie)
 * and subtracts the total power from it. Over any window, a validator proposes in
 * proportion to its power. Deterministic from the set alone.
 */
function increment(priorities: number[], powers: readonly number[], total: number): number {
  let best = 0;
  for (let i = 0; i < powers.length; i++) {
    priorities[i]! += powers[i]!;
    if (priorities[i]! > priorities[best]!) best = i;
  }
  priorities[best]! -= total;
  return best;
}

export function totalPower(set: ValidatorSet): number {
  let total = 0;
  for (const p of set.powers) total += p;
  return total;
}

/** A set with every priority at zero, for a genesis or a freshly changed validator set. */
export function newValidatorSet(powers: readonly number[]): ValidatorSet {
  return { powers: [...powers], priorities: powers.map(() => 0) };
}

/** Proposer of round `round` of the height whose round-0 priorities are in `set`. */
export function proposerOf(set: ValidatorSet, round: number): number {
  const priorities = [...set.priorities];
  const total = totalPower(set);
  let proposer = 0;
  for (let r = 0; r <= round; r++) proposer = increment(priorities, set.powers, total);
  return proposer;
}

/** The same validators at the next height: priorities advanced by one step. */
export function advanceValidatorSet(set: ValidatorSet): ValidatorSet {
  const priorities = [...set.priorities];
  increment(priorities, set.powers, totalPower(set));
  return { powers: set.powers, priorities };
}
