import { PujiangError } from '@pujiang/types';

/** A refusal of the data service: an HTTP status and a stable code. */
export class DataServiceError extends PujiangError<string> {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
    this.name = 'DataServiceError';
  }
}

/** What verifying a consent credential answered (the did module's report, reduced). */
export interface ConsentReport {
  readonly verified: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * A chain's refusal of the steward's transaction as the requester sees it: the module's own
 * codes (`DATA_*`: the grant ended meanwhile, say) are a 403 with that code; anything else
 * (a full mempool, a timeout) is the service's trouble, a 503.
 */
export function chainRefusal(error: unknown): DataServiceError {
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('DATA_'))
    return new DataServiceError(403, e.code, String(e.message), (e.details as Record<string, unknown>) ?? {});
  return new DataServiceError(
    503,
    'DATA_SERVICE_UNAVAILABLE',
    'the node did not take the transaction; try again',
    {
      cause: typeof e.code === 'string' ? e.code : String(e.message),
    },
  );
}
