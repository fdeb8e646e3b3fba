import type { KeyPair } from '@pujiang/crypto';
import type { ChainClient, VerifiedQuerier } from '@pujiang/module-kit';
import type { CommandIo } from './io.js';
import type { NodeOptionValues } from './submit.js';

/**
 * What a module's commands get from the `pujiang` command: its output, a client of the node
 * the options name, and key files. The CLI provides it, so module packages depend on this
 * kit and not on the CLI, the SDK or the node.
 */
export interface CommandContext {
  readonly io: CommandIo;
  /** A client of the node named by `--node`/`--api`, else $PUJIANG_NODE, else the local default. */
  client(values: NodeOptionValues): ChainClient;
  /** An account key file (as `pujiang keys generate` writes it). */
  readKey(path: string): KeyPair;
  /** The node key of a node home directory (`node_key.json`). */
  readNodeKey(home: string): KeyPair;
  /** A client that trusts the node for nothing: answers proven under headers certified from the genesis file. */
  verifiedClient(values: NodeOptionValues, genesisPath: string): VerifiedQuerier;
}

/** `pujiang <name> ...`: a module's command group. `pujiang help` prints `usage`. */
export interface ModuleCommand {
  readonly name: string;
  /** One line for the command list of `pujiang help`. */
  readonly summary: string;
  /** The group's full usage text. */
  readonly usage: string;
  /** Runs `pujiang <name> ...args`; returns the exit code (`EXIT`). Typed errors are reported by the CLI (exit 2). */
  run(args: readonly string[], ctx: CommandContext): Promise<number>;
}
