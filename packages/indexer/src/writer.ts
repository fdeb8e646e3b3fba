import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { checkContiguous } from './batcher.js';
import { copyText } from './copy-text.js';
import { indexerError } from './errors.js';
import { type AccountRow, accountsOf, type BlockRows } from './rows.js';

/** COPY text into `table (columns)` on `client`, inside whatever transaction it is in. */
export async function copyInto(
  client: pg.ClientBase,
  table: string,
  columns: string,
  text: string,
): Promise<void> {
  if (text === '') return;
  const stream = client.query(copyStreams.from(`COPY ${table} (${columns}) FROM STDIN`));
  await pipeline(Readable.from([Buffer.from(text, 'utf8')]), stream);
}

/** The insert-only tables as COPY: table, columns and each row's values. */
export function batchCopies(batch: readonly BlockRows[]): { table: string; columns: string; text: string }[] {
  const all = <K extends Exclude<keyof BlockRows, 'block'>>(k: K): BlockRows[K] =>
    batch.flatMap((b) => b[k] as unknown[]) as BlockRows[K];
  return [
    {
      table: 'blocks',
      columns: 'height, hash, time_ms, tx_count, proposer',
      text: copyText(
        batch.map((b) => b.block),
        (r) => [r.height, r.hash, r.timeMs, r.txCount, r.proposer],
      ),
    },
    {
      table: 'txs',
      columns: 'hash, height, idx, sender, module, type, code, gas_used, gas_limit, nonce',
      text: copyText(all('txs'), (r) => [
        r.hash,
        r.height,
        r.index,
        r.sender,
        r.module,
        r.type,
        r.code,
        r.gasUsed,
        r.gasLimit,
        r.nonce,
      ]),
    },
    {
      table: 'events',
      columns: 'height, tx_index, event_index, tx_hash, module, type, attributes',
      text: copyText(all('events'), (r) => [
        r.height,
        r.txIndex,
        r.eventIndex,
        r.txHash,
        r.module,
        r.type,
        JSON.stringify(r.attributes),
      ]),
    },
    {
      table: 'account_txs',
      columns: 'address, height, tx_index, tx_hash, sent',
      text: copyText(all('accountTxs'), (r) => [r.address, r.height, r.txIndex, r.txHash, r.sent]),
    },
    {
      table: 'module_records',
      columns: 'height, tx_index, event_index, module, kind, key, type, tx_hash, attributes',
      text: copyText(all('records'), (r) => [
        r.height,
        r.txIndex,
        r.eventIndex,
        r.module,
        r.kind,
        r.key,
        r.type,
        r.txHash,
        JSON.stringify(r.attributes),
      ]),
    },
  ];
}

/** Inserts or updates the batch's accounts; answers how many are new. */
async function upsertAccounts(client: pg.ClientBase, accounts: readonly AccountRow[]): Promise<number> {
  if (accounts.length === 0) return 0;
  const { rows } = await client.query<{ inserted: boolean }>(
    `INSERT INTO accounts (address, first_height, last_height, tx_count, sent_count)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
     ON CONFLICT (address) DO UPDATE SET
       first_height = LEAST(accounts.first_height, EXCLUDED.first_height),
       last_height = GREATEST(accounts.last_height, EXCLUDED.last_height),
       tx_count = accounts.tx_count + EXCLUDED.tx_count,
       sent_count = accounts.sent_count + EXCLUDED.sent_count
     RETURNING (xmax = 0) AS inserted`,
    [
      accounts.map((a) => a.address),
      accounts.map((a) => a.firstHeight),
      accounts.map((a) => a.lastHeight),
      accounts.map((a) => a.txCount),
      accounts.map((a) => a.sentCount),
    ],
  );
  return rows.filter((r) => r.inserted).length;
}

/**
 * Writes a batch of consecutive blocks and moves the checkpoint to its last height, all in
 * one PostgreSQL transaction: after a crash the database holds every row up to the
 * checkpoint and none past it. The checkpoint moves only from `checkpoint` (another writer
 * having moved it is `INDEX_GAP`), and the primary keys refuse any row written twice.
 */
export async function writeBatch(
  client: pg.ClientBase,
  checkpoint: number,
  batch: readonly BlockRows[],
): Promise<number> {
  checkContiguous(
    checkpoint,
    batch.map((b) => b.block.height),
  );
  const last = batch.at(-1)?.block.height;
  if (last === undefined) return checkpoint;
  await client.query('BEGIN');
  try {
    for (const c of batchCopies(batch)) await copyInto(client, c.table, c.columns, c.text);
    const newAccounts = await upsertAccounts(client, accountsOf(batch));
    // The row counts ride on the checkpoint, so status answers them exactly without counting.
    const moved = await client.query(
      `UPDATE checkpoint SET height = $1, updated_at = now(), block_rows = block_rows + $3,
         tx_rows = tx_rows + $4, event_rows = event_rows + $5, account_rows = account_rows + $6
       WHERE height = $2`,
      [
        last,
        checkpoint,
        batch.length,
        batch.reduce((n, b) => n + b.txs.length, 0),
        batch.reduce((n, b) => n + b.events.length, 0),
        newAccounts,
      ],
    );
    if (moved.rowCount !== 1)
      throw indexerError(
        'INDEX_GAP',
        `the checkpoint is no longer at ${checkpoint}: another indexer writes this database`,
        {
          checkpoint,
        },
      );
    await client.query('COMMIT');
    return last;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
