import type { ModuleCommand } from '@pujiang/cli-kit';
import { EVM_USAGE, runEvm } from './evm.js';

/** `pujiang evm ...`. */
export const evmCommands: readonly ModuleCommand[] = [
  {
    name: 'evm',
    summary: 'smart contracts: deploy a compiled artifact, send a call (a transaction), call (a read)',
    usage: EVM_USAGE,
    run: runEvm,
  },
];
