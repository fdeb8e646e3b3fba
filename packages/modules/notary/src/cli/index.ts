import type { ModuleCommand } from '@pujiang/cli-kit';
import { NOTARY_USAGE, runNotary } from './notary.js';
import { runTrace, TRACE_USAGE } from './trace.js';

/** `pujiang notary ...` and `pujiang trace ...`. */
export const notaryCommands: readonly ModuleCommand[] = [
  {
    name: 'notary',
    summary: 'notarize files (stamp), complete and verify receipts offline, find anchors',
    usage: NOTARY_USAGE,
    run: runNotary,
  },
  {
    name: 'trace',
    summary: "data assets' lineage: create, record events, prove (lineage) and verify offline",
    usage: TRACE_USAGE,
    run: runTrace,
  },
];
