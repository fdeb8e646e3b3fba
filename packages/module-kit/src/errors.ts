import { PujiangError } from '@pujiang/types';

/**
 * Errors of the module kit itself. Module wiring problems are found when a chain starts (a
 * node refuses to start rather than run a chain whose modules cannot call each other).
 */
export type ModuleKitErrorCode =
  /** The genesis enables a module this node does not have. */
  | 'MODULE_UNKNOWN'
  /** A module definition is malformed (bad name, undeclared error code, duplicate). */
  | 'MODULE_INVALID'
  /** A module imports an export another module does not have, or a module that is not enabled. */
  | 'MODULE_IMPORT_UNKNOWN'
  /** Modules import each other in a cycle. */
  | 'MODULE_IMPORT_CYCLE'
  /** A module called an export it did not declare among its imports. */
  | 'MODULE_CALL_NOT_GRANTED'
  /** A module called an export with arguments that do not match its schema. */
  | 'MODULE_BAD_CALL'
  /** A block hook ran out of its gas budget (its writes are dropped; the block goes on). */
  | 'HOOK_OUT_OF_GAS'
  /** A query's parameters do not match its declared types (modules may name their own code). */
  | 'QUERY_BAD_PARAMS'
  | 'QUERY_UNKNOWN';

/** A typed error thrown by a module: the transaction (or query) fails with `code`. */
export function moduleError(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError {
  return new PujiangError(code, message, details);
}

export function kitError(
  code: ModuleKitErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<ModuleKitErrorCode> {
  return new PujiangError<ModuleKitErrorCode>(code, message, details);
}

/** Stable codes: upper snake case, at most 64 bytes (what a receipt holds). */
export const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
