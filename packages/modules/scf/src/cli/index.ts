import type { ModuleCommand } from '@pujiang/cli-kit';
import { runScf, SCF_USAGE } from './scf.js';

/** `pujiang scf ...`. */
export const scfCommands: readonly ModuleCommand[] = [
  {
    name: 'scf',
    summary:
      'supply-chain finance: credit lines, receivables confirmed, split, transferred, financed, settled',
    usage: SCF_USAGE,
    run: runScf,
  },
];
