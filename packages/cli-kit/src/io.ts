import { isPujiangError, PujiangError } from '@pujiang/types';

/** Exit codes shared by every command: 0 ok/valid, 1 invalid, 2 bad input, 3 pending. */
export const EXIT = { ok: 0, invalid: 1, badInput: 2, pending: 3 } as const;

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export type CliErrorCode = 'CLI_USAGE' | 'CLI_MISSING_OPTION' | 'CLI_UNKNOWN_COMMAND';

export function usageError(
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<CliErrorCode> {
  return new PujiangError<CliErrorCode>('CLI_USAGE', message, details);
}

/** Bad input of any kind prints `error CODE: message` and exits 2; anything else is a bug and is rethrown. */
export function reportError(io: CommandIo, error: unknown): number {
  if (isPujiangError(error)) {
    io.err(`error ${error.code}: ${error.message}`);
    return EXIT.badInput;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    io.err(`error CLI_USAGE: ${error.message}`);
    return EXIT.badInput;
  }
  throw error;
}

/** Pretty JSON on stdout: bigints as decimal strings, bytes as hex. */
export function printJson(io: CommandIo, value: unknown): void {
  io.out(
    JSON.stringify(
      value,
      (_k, v) =>
        typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
      2,
    ),
  );
}
