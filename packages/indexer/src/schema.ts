import type pg from 'pg';
import { indexerError } from './errors.js';

/**
 * The tables, as numbered migrations: the database records the last one applied
 * (`index_meta.schema_version`), a start applies the rest in one transaction, and refuses a
 * database migrated by a newer indexer. Hashes and addresses are lowercase hex text, times
 * milliseconds since the epoch, u64 quantities (nonces, gas limits) numeric.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE checkpoint (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    chain_id text NOT NULL,
    genesis_hash text NOT NULL,
    height bigint NOT NULL,
    block_rows bigint NOT NULL DEFAULT 0,
    tx_rows bigint NOT NULL DEFAULT 0,
    event_rows bigint NOT NULL DEFAULT 0,
    account_rows bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE blocks (
    height bigint PRIMARY KEY,
    hash text NOT NULL,
    time_ms bigint NOT NULL,
    tx_count integer NOT NULL,
    proposer text NOT NULL
  );
  CREATE INDEX blocks_hash ON blocks (hash);
  CREATE INDEX blocks_time ON blocks (time_ms);
  CREATE TABLE txs (
    hash text PRIMARY KEY,
    height bigint NOT NULL,
    idx integer NOT NULL,
    sender text NOT NULL,
    module text NOT NULL,
    type text NOT NULL,
    code text NOT NULL,
    gas_used bigint NOT NULL,
    gas_limit numeric(20) NOT NULL,
    nonce numeric(20) NOT NULL,
    UNIQUE (height, idx)
  );
  CREATE INDEX txs_sender ON txs (sender, height DESC, idx DESC);
  CREATE INDEX txs_module_type ON txs (module, type, height DESC, idx DESC);
  CREATE TABLE events (
    height bigint NOT NULL,
    tx_index integer NOT NULL,
    event_index integer NOT NULL,
    tx_hash text NOT NULL,
    module text NOT NULL,
    type text NOT NULL,
    attributes jsonb NOT NULL,
    PRIMARY KEY (height, tx_index, event_index)
  );
  CREATE INDEX events_tx_hash ON events (tx_hash);
  CREATE INDEX events_module_type ON events (module, type, height DESC);
  CREATE INDEX events_attributes ON events USING gin (attributes jsonb_path_ops);
  CREATE TABLE accounts (
    address text PRIMARY KEY,
    first_height bigint NOT NULL,
    last_height bigint NOT NULL,
    tx_count bigint NOT NULL,
    sent_count bigint NOT NULL
  );
  CREATE TABLE account_txs (
    address text NOT NULL,
    height bigint NOT NULL,
    tx_index integer NOT NULL,
    tx_hash text NOT NULL,
    sent boolean NOT NULL,
    PRIMARY KEY (address, height, tx_index)
  );
  CREATE TABLE module_records (
    height bigint NOT NULL,
    tx_index integer NOT NULL,
    event_index integer NOT NULL,
    module text NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    type text NOT NULL,
    tx_hash text NOT NULL,
    attributes jsonb NOT NULL,
    PRIMARY KEY (height, tx_index, event_index)
  );
  CREATE INDEX module_records_key ON module_records (key);
  CREATE INDEX module_records_module_kind ON module_records (module, kind, key);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to `SCHEMA_VERSION` (one transaction); answers the version it found. */
export async function migrate(client: pg.ClientBase): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS index_meta (
         id boolean PRIMARY KEY DEFAULT true CHECK (id),
         schema_version integer NOT NULL
       )`,
    );
    // Two indexers starting on one empty database: the second waits here, then sees version 1.
    await client.query('LOCK TABLE index_meta IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ schema_version: number }>('SELECT schema_version FROM index_meta');
    const found = rows[0]?.schema_version ?? 0;
    if (found > SCHEMA_VERSION)
      throw indexerError(
        'INDEX_SCHEMA_TOO_NEW',
        `the database has schema version ${found}; this indexer knows up to ${SCHEMA_VERSION}`,
        { found, known: SCHEMA_VERSION },
      );
    for (let v = found; v < SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v]!);
    await client.query(
      `INSERT INTO index_meta (schema_version) VALUES ($1)
       ON CONFLICT (id) DO UPDATE SET schema_version = EXCLUDED.schema_version`,
      [SCHEMA_VERSION],
    );
    await client.query('COMMIT');
    return found;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
