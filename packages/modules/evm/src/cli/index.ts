import type { ModuleCommand } from '@pujiang/cli-kit';
import { EVM_USAGE } from './usage.js';

/** `pujiang evm ...`: loaded when run, so other commands do not load ethers' ABI coder. */
export const evmCommands: readonly ModuleCommand[] = [
  {
    name: 'evm',
    summary: 'smart contracts: deploy a compiled artifact, send a call (a transaction), call (a read)',
    usage: EVM_USAGE,
    run: async (args, ctx) => (await import('./evm.js')).runEvm(args, ctx),
  },
];
