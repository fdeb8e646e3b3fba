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
} as const;

export class GasMeter {
  used = 0;
  constructor(readonly limit: number) {}

  charge(amount: number, what: string): void {
    this.used += amount;
    if (this.used > this.limit) {
      throw new PujiangError('EXEC_OUT_OF_GAS', `out of gas (${what}): limit ${this.limit}`, {
        limit: this.limit,
        used: this.used,
      });
    }
  }
}
