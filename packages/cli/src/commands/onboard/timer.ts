import type { CommandIo } from '@pujiang/cli-kit';
import { PujiangError } from '@pujiang/types';

export interface StepLine {
  readonly step: string;
  readonly ms: number;
  readonly [field: string]: unknown;
}

/** Runs named steps, timing each and printing it as a JSON line on stdout as it ends. */
export class StepTimer {
  readonly steps: StepLine[] = [];
  /** Whether a step has begun: a failure after that exits 1 (the chain or a file said no), not 2. */
  begun = false;
  /** Called with each completed step's line (onboarding.json records it). */
  onStep: ((line: StepLine) => void) | undefined;
  private readonly started = performance.now();

  constructor(private readonly io: CommandIo) {}

  /** A step an earlier run completed: printed as skipped, with why, and not done again. */
  skip(step: string, why: string, fields: object = {}): void {
    this.io.out(JSON.stringify({ step, ms: 0, skipped: why, ...fields }));
  }

  async run<T>(
    step: string,
    fn: () => T | Promise<T>,
    fields: (value: T) => object = () => ({}),
  ): Promise<T> {
    const start = performance.now();
    this.begun = true;
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      const code = error instanceof PujiangError ? error.code : 'error';
      const message = error instanceof Error ? error.message : String(error);
      this.io.out(
        JSON.stringify({ step, ms: Math.round(performance.now() - start), error: { code, message } }),
      );
      throw error;
    }
    const line = { step, ms: Math.round(performance.now() - start), ...fields(value) };
    this.steps.push(line);
    this.onStep?.(line);
    this.io.out(JSON.stringify(line));
    return value;
  }

  get totalMs(): number {
    return Math.round(performance.now() - this.started);
  }
}
