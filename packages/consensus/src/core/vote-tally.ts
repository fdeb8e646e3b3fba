import type { Signed, ValueId, Vote } from './types.js';

const NIL = '';
const key = (value: ValueId | null) => value ?? NIL;

/** Votes of one type at one round: the first vote of each validator counts; a different second one is equivocation. */
export class VoteTally {
  private readonly byValidator = new Map<number, Signed<Vote>>();
  private readonly powerByValue = new Map<string, number>();
  private anyPower = 0;

  /** Returns the earlier conflicting vote if this one equivocates; undefined otherwise. */
  add(vote: Signed<Vote>, power: number): { conflict?: Signed<Vote>; added: boolean } {
    const existing = this.byValidator.get(vote.message.validator);
    if (existing) {
      return existing.message.value === vote.message.value ? { added: false } : { conflict: existing, added: false };
    }
    this.byValidator.set(vote.message.validator, vote);
    const k = key(vote.message.value);
    this.powerByValue.set(k, (this.powerByValue.get(k) ?? 0) + power);
    this.anyPower += power;
    return { added: true };
  }

  powerFor(value: ValueId | null): number {
    return this.powerByValue.get(key(value)) ?? 0;
  }

  get powerForAny(): number {
    return this.anyPower;
  }

  /** Every counted vote, in validator index order. */
  all(): Signed<Vote>[] {
    return [...this.byValidator].sort(([a], [b]) => a - b).map(([, v]) => v);
  }

  /** Votes for `value`, in validator index order. */
  votesFor(value: ValueId | null): Signed<Vote>[] {
    return this.all().filter((v) => v.message.value === value);
  }

  /** A value (not nil) holding more than `threshold` power, if any; checked in a fixed order. */
  valueAbove(threshold: number): ValueId | undefined {
    const candidates = [...this.powerByValue.keys()].filter((k) => k !== NIL).sort();
    return candidates.find((k) => this.powerByValue.get(k)! > threshold);
  }
}
