/**
 * Every error Pujiang raises on bad input carries a stable machine-readable `code`,
 * a human message and structured `details`, so callers branch on codes, never on text.
 */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export class PujiangError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: ErrorDetails;

  constructor(code: Code, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PujiangError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: Code; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isPujiangError(value: unknown, code?: string): value is PujiangError {
  return value instanceof PujiangError && (code === undefined || value.code === code);
}

/**
 * A caller's argument is malformed: `SDK_INVALID_ARGUMENT` with `details.parameter` naming
 * it, raised before anything is signed, sent or verified (never a `TypeError` from deep inside).
 */
export function invalidArgument(message: string, parameter: string): PujiangError<'SDK_INVALID_ARGUMENT'> {
  return new PujiangError('SDK_INVALID_ARGUMENT', message, { parameter });
}
