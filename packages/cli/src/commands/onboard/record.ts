import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@pujiang/node';
import { stepError } from './errors.js';
import { enterpriseFiles } from './files.js';
import type { StepLine, StepTimer } from './timer.js';

/**
 * Where an onboarding stands, in onboarding.json, written (atomically) as each step completes:
 * `started` (the directory is this enterprise's; key and request may be under way),
 * `requested` (key and request done; the production path waits for the admin's certificate),
 * `in-progress` (a later step done, not all) and `onboarded`.
 */
export type OnboardingStatus = 'started' | 'requested' | 'in-progress' | 'onboarded';
const STATUSES: readonly OnboardingStatus[] = ['started', 'requested', 'in-progress', 'onboarded'];

export interface OnboardingRecord {
  readonly status: OnboardingStatus;
  readonly name: string;
  readonly org: string;
  readonly uscc?: string;
  /** Every step completed so far, across runs, as its line printed it. */
  readonly steps: readonly StepLine[];
  readonly [field: string]: unknown;
}

/** Reads onboarding.json: undefined when absent, ONBOARD_BAD_SUMMARY when it is not one of ours. */
export function readSummary(dir: string): OnboardingRecord | undefined {
  const file = enterpriseFiles(dir).summary;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stepError('ONBOARD_BAD_SUMMARY', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
  let json: Partial<OnboardingRecord>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw stepError('ONBOARD_BAD_SUMMARY', `${file} is not JSON: ${(error as Error).message}`, { file });
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    !STATUSES.includes(json.status as OnboardingStatus) ||
    typeof json.name !== 'string' ||
    typeof json.org !== 'string' ||
    (json.uscc !== undefined && typeof json.uscc !== 'string')
  )
    throw stepError('ONBOARD_BAD_SUMMARY', `${file} is not an onboarding record (status, name, org)`, {
      file,
    });
  const steps = Array.isArray(json.steps)
    ? json.steps.filter((l): l is StepLine => typeof l?.step === 'string' && typeof l.ms === 'number')
    : [];
  return { ...json, steps } as OnboardingRecord;
}

/**
 * onboarding.json as the run goes: the record it resumes, each step added as it completes (a
 * step done again replaces its line), rewritten atomically each time.
 */
export class Progress {
  /** The record as last written. */
  record: OnboardingRecord;

  constructor(
    private readonly dir: string,
    base: { name: string; org: string; uscc?: string; suite?: string },
    previous?: OnboardingRecord,
  ) {
    this.record = {
      ...previous,
      ...base,
      dir,
      status: previous?.status ?? 'started',
      steps: previous?.steps ?? [],
    };
  }

  get steps(): readonly StepLine[] {
    return this.record.steps;
  }

  /** The line of a step completed earlier, if any. */
  done(step: string): StepLine | undefined {
    return this.record.steps.find((l) => l.step === step);
  }

  /** Records a completed step; the status moves to `status` if given. */
  step(line: StepLine, status?: OnboardingStatus): void {
    this.save({
      ...(status ? { status } : {}),
      steps: [...this.record.steps.filter((l) => l.step !== line.step), line],
    });
  }

  save(fields: Partial<OnboardingRecord> & Record<string, unknown>): OnboardingRecord {
    this.record = { ...this.record, ...fields, updatedAt: new Date().toISOString() };
    writeFileAtomic(enterpriseFiles(this.dir).summary, `${JSON.stringify(this.record, null, 2)}\n`);
    return this.record;
  }
}

/** Connects the timer to onboarding.json: each completed step is recorded as it ends. */
export function track(
  timer: StepTimer,
  progress: Progress,
  status: (step: string) => OnboardingRecord['status'],
) {
  timer.onStep = (line) => progress.step(line, status(line.step));
}
