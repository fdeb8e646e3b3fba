import type { ModuleCommand } from '@pujiang/cli-kit';
import { bankCommands } from '@pujiang/module-bank/cli';
import { didCommands } from '@pujiang/module-did/cli';
import { governanceCommands } from '@pujiang/module-governance/cli';
import { notaryCommands } from '@pujiang/module-notary/cli';

/** Every module's `pujiang <name> ...` command groups; `pujiang help` lists them. */
export const MODULE_COMMANDS: readonly ModuleCommand[] = [
  ...governanceCommands,
  ...bankCommands,
  ...notaryCommands,
  ...didCommands,
];
