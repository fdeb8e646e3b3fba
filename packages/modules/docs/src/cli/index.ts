import type { ModuleCommand } from '@pujiang/cli-kit';
import { DOC_USAGE, runDoc } from './doc.js';

/** `pujiang doc ...`. */
export const docsCommands: readonly ModuleCommand[] = [
  {
    name: 'doc',
    summary: 'electronic documents and licences: issue, verify, transfer, surrender, status, amend, show',
    usage: DOC_USAGE,
    run: runDoc,
  },
];
