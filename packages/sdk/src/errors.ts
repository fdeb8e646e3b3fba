import { type ErrorDetails, PujiangError } from '@pujiang/types';

export type { SdkErrorCode } from '@pujiang/module-kit';
export { sdkError } from '@pujiang/module-kit';

/**
 * A refusal by the node: the node's stable code (e.g. `API_NOT_FOUND`, `TX_NONCE_TOO_LOW`,
 * `MEMPOOL_FULL`) and the HTTP status, so callers branch on `code` exactly as the node's
 * own callers do.
 */
export class ApiError extends PujiangError<string> {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(code, message, details);
    this.name = 'ApiError';
  }
}

export type { VerificationCheck } from '@pujiang/verify';
export { parseFor, VerificationError } from '@pujiang/verify';
