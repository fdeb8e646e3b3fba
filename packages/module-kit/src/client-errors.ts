import type { Receipt } from '@pujiang/protocol';
import { type ErrorDetails, PujiangError } from '@pujiang/types';

/** Codes the SDK raises itself; a node's refusals keep the node's own code (see `ApiError`). */
export type SdkErrorCode =
  /** The request never got an HTTP answer (refused, reset, DNS, TLS). */
  | 'SDK_NETWORK_ERROR'
  /** No answer within the request's timeout. */
  | 'SDK_TIMEOUT'
  /** An answer that is not the JSON the API promises. */
  | 'SDK_BAD_RESPONSE'
  /** A non-2xx answer without an API error body (a proxy's page, for instance). */
  | 'SDK_HTTP_ERROR'
  /** Data from the server failed a check against the pinned genesis; `details.check` names it. */
  | 'SDK_VERIFICATION_FAILED'
  /** The transaction is known but not in a block yet, so there is nothing to verify. */
  | 'SDK_TX_PENDING'
  /** A transaction was committed but failed in its block (`TransactionFailedError`, with the receipt). */
  | 'SDK_TRANSACTION_FAILED'
  /** A caller's argument is malformed (caught before anything is signed or sent); `details.parameter` names it. */
  | 'SDK_INVALID_ARGUMENT'
  /** A notary receipt or lineage proof that is not one (not JSON of the format and version, a field missing or mistyped). */
  | 'SDK_DOCUMENT_MALFORMED'
  /** An event subscription ended without the client closing it. */
  | 'SDK_SUBSCRIPTION_CLOSED';

export function sdkError(
  code: SdkErrorCode,
  message: string,
  details: ErrorDetails = {},
  cause?: unknown,
): PujiangError<SdkErrorCode> {
  return new PujiangError<SdkErrorCode>(code, message, details, cause === undefined ? undefined : { cause });
}

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

/**
 * A transaction that is in a block but failed there: it used its nonce and gas, and changed
 * nothing else. `receipt.code` is the failing module's stable code (`BANK_INSUFFICIENT_FUNDS`,
 * say); the SDK throws this by default when it waited for a commit, so a failure cannot pass
 * for success.
 */
export class TransactionFailedError extends PujiangError<'SDK_TRANSACTION_FAILED'> {
  constructor(
    readonly hash: string,
    readonly height: number | undefined,
    readonly receipt: Receipt,
  ) {
    super(
      'SDK_TRANSACTION_FAILED',
      `transaction ${hash} failed in block ${height ?? '?'}: ${receipt.code}${receipt.message ? ` (${receipt.message})` : ''}`,
      {
        hash,
        ...(height === undefined ? {} : { height }),
        receiptCode: receipt.code,
        ...(receipt.message === undefined ? {} : { receiptMessage: receipt.message }),
      },
    );
    this.name = 'TransactionFailedError';
  }
}

/** Throws `TransactionFailedError` for a committed transaction whose receipt is not `OK`. */
export function throwIfFailed(tx: {
  readonly hash: string;
  readonly status: string;
  readonly height?: number | undefined;
  readonly receipt?: Receipt | undefined;
}): void {
  if (tx.status === 'committed' && tx.receipt !== undefined && tx.receipt.code !== 'OK')
    throw new TransactionFailedError(tx.hash, tx.height, tx.receipt);
}
