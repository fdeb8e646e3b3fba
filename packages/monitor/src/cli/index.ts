import { type CommandIo, EXIT } from '@pujiang/cli-kit';

export const MONITOR_USAGE = `pujiang monitor --node URL ...   watch nodes and raise security alerts`;

/** Runs `pujiang monitor ...` (being built: issue 22). */
export async function runMonitor(_args: string[], io: CommandIo): Promise<number> {
  io.err('not built yet');
  return EXIT.badInput;
}
