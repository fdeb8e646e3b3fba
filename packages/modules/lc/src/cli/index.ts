import type { ModuleCommand } from '@pujiang/cli-kit';
import { LC_USAGE, runLc } from './lc.js';

/** `pujiang lc ...`. */
export const lcCommands: readonly ModuleCommand[] = [
  {
    name: 'lc',
    summary:
      'letters of credit (UCP 600, eUCP 2.0): MT700 import and export, issue, amend, present, examine, pay',
    usage: LC_USAGE,
    run: runLc,
  },
];
