import { PujiangError } from '@pujiang/types';

/** Gas prices: every state access and every byte costs, so work per transaction and per block is bounded. */
export const GAS = {
  txBase: 1_000,
  txByte: 10,
  readBase: 100,
  readByte: 1,
  writeBase: 500,
  writeByte: 10,
  event: 200,
  eventByte: 10,
  /** A call to another module's export (on top of what the export itself reads and writes). */
  call: 200,
} as const;

export class GasMeter {
  used = 0;
  constructor(public limit: number) {}

  charge(amount: number, what: string): void {
    this.used += amount;
    if (this.used > this.limit) {
      throw new PujiangError('EXEC_OUT_OF_GAS', `out of gas (${what}): limit ${this.limit}`, {
        limit: this.limit,
        used: this.used,
      });
    }
  }

  get left(): number {
    return Math.max(0, this.limit - this.used);
  }

  /**
   * Runs `run` with at most `cap` more gas. Running out inside fails only `run` (the error
   * propagates to the caller, which may recover); what it used, up to the cap, stays charged.
   */
  capped<T>(cap: number, run: () => T): T {
    if (!Number.isSafeInteger(cap) || cap < 0)
      throw new PujiangError('EXEC_BAD_GAS_CAP', 'a gas cap is a non-negative integer', { cap: String(cap) });
    const outer = this.limit;
    this.limit = Math.min(outer, this.used + cap);
    try {
      return run();
    } finally {
      this.used = Math.min(this.used, this.limit);
      this.limit = outer;
    }
  }
}
