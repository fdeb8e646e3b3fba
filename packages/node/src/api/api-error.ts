import { PujiangError } from '@pujiang/types';

export type ApiErrorCode =
  | 'API_NOT_FOUND'
  | 'API_METHOD_NOT_ALLOWED'
  | 'API_BAD_REQUEST'
  | 'API_BODY_TOO_LARGE'
  | 'API_UNSUPPORTED_MEDIA_TYPE'
  | 'API_UNAVAILABLE'
  | 'API_BUSY'
  | 'API_INTERNAL'
  | 'API_PRUNED';

/** An API refusal: a typed error with the HTTP status it is answered with. */
export class ApiError extends PujiangError<string> {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details: Record<string, unknown> = {}) =>
  new ApiError(400, 'API_BAD_REQUEST', message, details);

export const notFound = (what: string, details: Record<string, unknown> = {}) =>
  new ApiError(404, 'API_NOT_FOUND', `${what} not found`, details);

/** 410: the block was committed but this node pruned its body (headers and certificates stay). */
export const pruned = (height: bigint, lowest: bigint) =>
  new ApiError(
    410,
    'API_PRUNED',
    `the body of block ${height} was pruned; this node keeps blocks from ${lowest}`,
    {
      height: String(height),
      lowestBodyHeight: String(lowest),
    },
  );

/**
 * The HTTP status for a library error code: refusals that a client can fix are 4xx, a full
 * mempool is 429 (try again later), a store that is closing is 503.
 */
export function statusForCode(code: string): number {
  if (code === 'MEMPOOL_FULL' || code === 'MEMPOOL_SENDER_FULL') return 429;
  if (code === 'STORAGE_CLOSED') return 503;
  if (code === 'TX_TOO_LARGE') return 413;
  if (code === 'QUERY_UNKNOWN') return 404;
  return 400;
}
