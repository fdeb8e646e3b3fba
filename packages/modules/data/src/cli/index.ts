import type { ModuleCommand } from '@pujiang/cli-kit';
import { DATA_USAGE, runData } from './data.js';

/** `pujiang data ...`. */
export const dataCommands: readonly ModuleCommand[] = [
  {
    name: 'data',
    summary:
      'trusted data sharing: the catalog, requests, consent, grants, the data service, fetches, audits',
    usage: DATA_USAGE,
    run: runData,
  },
];
