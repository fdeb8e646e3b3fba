import type { ModuleCommand } from '@pujiang/cli-kit';
import { PRIVACY_USAGE, runPrivacy } from './privacy.js';

/** `pujiang privacy ...`. */
export const privacyCommands: readonly ModuleCommand[] = [
  {
    name: 'privacy',
    summary: 'homomorphic aggregation, the regulator committee key and threshold decryption',
    usage: PRIVACY_USAGE,
    run: runPrivacy,
  },
];
