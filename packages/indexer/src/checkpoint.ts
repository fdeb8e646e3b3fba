import type pg from 'pg';
import { indexerError } from './errors.js';

/** Which chain a database indexes: the checkpoint row names it, and a start checks it. */
export interface ChainIdentity {
  readonly chainId: string;
  readonly genesisHash: string;
}

/**
 * The height the database is indexed through. An empty database starts at `from` (default
 * 1) and records the chain; a database of another chain is `INDEX_CHAIN_MISMATCH`; a `from`
 * past the checkpoint + 1 would leave a gap (`INDEX_FROM_GAP`), one at or before it is
 * already indexed and the start resumes after the checkpoint.
 */
export async function openCheckpoint(
  client: pg.ClientBase,
  chain: ChainIdentity,
  from: number | undefined,
): Promise<number> {
  await client.query(
    `INSERT INTO checkpoint (chain_id, genesis_hash, height) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
    [chain.chainId, chain.genesisHash, (from ?? 1) - 1],
  );
  const { rows } = await client.query<{ chain_id: string; genesis_hash: string; height: string }>(
    'SELECT chain_id, genesis_hash, height FROM checkpoint',
  );
  const row = rows[0];
  if (!row) throw indexerError('INDEX_GAP', 'the checkpoint row is missing', {});
  if (row.genesis_hash !== chain.genesisHash || row.chain_id !== chain.chainId)
    throw indexerError(
      'INDEX_CHAIN_MISMATCH',
      `this database indexes chain ${row.chain_id} (genesis ${row.genesis_hash}), not ${chain.chainId} (genesis ${chain.genesisHash})`,
      { database: { chainId: row.chain_id, genesisHash: row.genesis_hash }, node: chain },
    );
  const height = Number(row.height);
  if (from !== undefined && from > height + 1)
    throw indexerError(
      'INDEX_FROM_GAP',
      `--from ${from} would leave a gap after the checkpoint at ${height}`,
      {
        from,
        checkpoint: height,
      },
    );
  return height;
}
