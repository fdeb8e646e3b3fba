import type { ModuleCommand } from '@pujiang/cli-kit';
import { GOV_USAGE, runGov } from './gov.js';

export { orgAndSerial, publicKeyOption, readCertificate, serialOption } from './options.js';

/** `pujiang gov ...`. */
export const governanceCommands: readonly ModuleCommand[] = [
  {
    name: 'gov',
    summary: 'propose, vote, veto, finalize; list and show proposals, members, config',
    usage: GOV_USAGE,
    run: runGov,
  },
];
