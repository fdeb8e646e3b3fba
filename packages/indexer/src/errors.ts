import { PujiangError } from '@pujiang/types';

/** The indexer's stable error codes. */
export type IndexerErrorCode =
  /** The PostgreSQL URL is malformed, or the server cannot be reached or refuses us. */
  | 'INDEX_PG_UNREACHABLE'
  /** The node's URL is malformed or the node does not answer. */
  | 'INDEX_NODE_UNREACHABLE'
  /** A PostgreSQL statement failed (the connection dropped, a permission is missing). */
  | 'INDEX_PG_FAILED'
  /** The database already indexes another chain (its checkpoint names another genesis). */
  | 'INDEX_CHAIN_MISMATCH'
  /** The database's schema is newer than this indexer knows. */
  | 'INDEX_SCHEMA_TOO_NEW'
  /** Another indexer holds this database's writer lock. */
  | 'INDEX_LOCKED'
  /** `--from` would leave a gap after the database's checkpoint. */
  | 'INDEX_FROM_GAP'
  /** A block arrived out of sequence, or the checkpoint moved under us: never skipped. */
  | 'INDEX_GAP'
  /** The node answered something inconsistent (a block whose hash or transactions differ from its announcement). */
  | 'INDEX_NODE_INCONSISTENT'
  /** The node no longer keeps a block body the indexer needs (pruned). */
  | 'INDEX_BLOCK_PRUNED'
  /** Missing server binaries for the test PostgreSQL. */
  | 'INDEX_POSTGRES_MISSING'
  /** An HTTP read API request is malformed (400) or names nothing (404). */
  | 'INDEX_BAD_REQUEST'
  | 'INDEX_NOT_FOUND'
  | 'INDEX_METHOD_NOT_ALLOWED'
  /** The read API cannot listen where asked. */
  | 'INDEX_LISTEN_FAILED'
  /** The read API's database query failed. */
  | 'INDEX_UNAVAILABLE';

export function indexerError(
  code: IndexerErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): PujiangError<IndexerErrorCode> {
  return new PujiangError<IndexerErrorCode>(
    code,
    message,
    details,
    cause === undefined ? undefined : { cause },
  );
}

/** A PostgreSQL failure as a typed error (typed errors pass through unchanged). */
export function pgFailure(error: unknown, doing: string): Error {
  if (error instanceof PujiangError) return error;
  const e = error as { message?: string; code?: string };
  return indexerError(
    'INDEX_PG_FAILED',
    `PostgreSQL failed while ${doing}: ${e?.message ?? String(error)}`,
    e?.code === undefined ? {} : { sqlState: e.code },
    error,
  );
}
