import { join } from 'node:path';
import { usageError } from '@pujiang/cli-kit';
import { checkUscc, generateUscc } from '../uscc.js';
import type { EnterpriseDir } from './dir.js';
import type { OnboardingRecord } from './record.js';

/** The options of `pujiang onboard` and its subcommands, and what the paths make of them. */

export const OPTIONS = {
  name: { type: 'string' },
  org: { type: 'string' },
  home: { type: 'string' },
  uscc: { type: 'string' },
  out: { type: 'string' },
  suite: { type: 'string' },
  dir: { type: 'string' },
  cert: { type: 'string' },
  node: { type: 'string' },
  api: { type: 'string' },
  genesis: { type: 'string' },
} as const;
export type OnboardValues = { [K in keyof typeof OPTIONS]?: string };

export const DEFAULT_HOME = join('.pujiang', 'localnet');

/** Registers the directory a path holds, so the command releases it (and names it) however the path ends. */
export type HoldDir = (dir: EnterpriseDir) => EnterpriseDir;

/** The credit code: the one given, else the one an unfinished run recorded, else a generated one. */
export function usccOf(values: OnboardValues, previous: OnboardingRecord | undefined): string {
  if (values.uscc !== undefined) {
    const code = checkUscc(values.uscc);
    if (
      previous?.uscc !== undefined &&
      previous.uscc !== code &&
      previous.steps.some((s) => s.step === 'licence')
    )
      throw usageError(`the licence was issued for ${previous.uscc} already, not ${code}`, {
        option: 'uscc',
      });
    return code;
  }
  return previous?.uscc ?? generateUscc();
}
