import type { Signed, ValueId, Vote } from './types.js';

const NIL = '';
const key = (value: ValueId | null) => value ?? NIL;

/**
 * Distinct values one validator may have counted at one round and vote type. An honest
 * validator has one; an equivocating one gets a few, so that every node sees the same
 * quorums whichever of its votes arrived first (CometBFT reaches the same end by tracking
 * peers' claimed majorities), and no more, so that it cannot grow our memory without bound.
 */
export const MAX_VALUES_PER_VALIDATOR = 4;

/**
 * Votes of one type at one round. For a value, every validator that signed it counts once
 * (safety does not depend on what else a validator signed: two quorums still share an honest
 * validator). For "any value" (timeouts, the round skip) each validator counts once. A second
 * distinct value from one validator is equivocation, reported once per validator.
 */
export class VoteTally {
  private readonly byValidator = new Map<number, Map<string, Signed<Vote>>>();
  private readonly powerByValue = new Map<string, number>();
  private anyPower = 0;

  add(vote: Signed<Vote>, power: number): { conflict?: Signed<Vote>; added: boolean } {
    const validator = vote.message.validator;
    const k = key(vote.message.value);
    let mine = this.byValidator.get(validator);
    if (!mine) {
      mine = new Map();
      this.byValidator.set(validator, mine);
      this.anyPower += power;
    }
    if (mine.has(k) || mine.size >= MAX_VALUES_PER_VALIDATOR) return { added: false };
    const first = mine.values().next().value as Signed<Vote> | undefined;
    mine.set(k, vote);
    this.powerByValue.set(k, (this.powerByValue.get(k) ?? 0) + power);
    return mine.size === 2 && first ? { conflict: first, added: true } : { added: true };
  }

  /** True if this validator's vote for this value is already counted. */
  has(validator: number, value: ValueId | null): boolean {
    return this.byValidator.get(validator)?.has(key(value)) === true;
  }

  powerFor(value: ValueId | null): number {
    return this.powerByValue.get(key(value)) ?? 0;
  }

  get powerForAny(): number {
    return this.anyPower;
  }

  /** Every counted vote, by validator index, then in arrival order. */
  all(): Signed<Vote>[] {
    return [...this.byValidator].sort(([a], [b]) => a - b).flatMap(([, votes]) => [...votes.values()]);
  }

  /** Votes for `value`, one per validator, in validator index order. */
  votesFor(value: ValueId | null): Signed<Vote>[] {
    return this.all().filter((v) => v.message.value === value);
  }
}
