import { type CommandIo, EXIT } from '@pujiang/cli-kit';

export const INDEX_USAGE = `pujiang index --pg URL --node URL [--from HEIGHT] [--listen HOST:PORT]   follow a node's events into PostgreSQL`;

/** Runs `pujiang index ...` (being built: issue 22). */
export async function runIndex(_args: string[], io: CommandIo): Promise<number> {
  io.err('not built yet');
  return EXIT.badInput;
}
