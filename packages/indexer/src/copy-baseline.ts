/** The insert-only tables whose rows a batch writes with COPY. */
const COPIED_TABLES = ['blocks', 'txs', 'events', 'account_txs', 'module_records'] as const;

/**
 * The floor the indexer's writes are held against: every row of the indexed tables of
 * `source` (COPY TO, into memory, not timed), written by plain COPY into tables of the same
 * columns without keys or indexes in `target`, in one transaction. Answers the rows and the
 * milliseconds the writing took.
 */
export async function plainCopyBaseline(
  source: string,
  target: string,
): Promise<{ rows: number; ms: number }> {
  const { default: pg } = await import('pg');
  const { default: copyStreams } = await import('pg-copy-streams');
  const { pipeline } = await import('node:stream/promises');
  const { Readable, Writable } = await import('node:stream');
  const from = new pg.Client({ connectionString: source });
  const to = new pg.Client({ connectionString: target });
  await from.connect();
  await to.connect();
  try {
    const data = new Map<string, Buffer>();
    const columns = new Map<string, string>();
    let rows = 0;
    for (const table of COPIED_TABLES) {
      const chunks: Buffer[] = [];
      await pipeline(
        from.query(copyStreams.to(`COPY ${table} TO STDOUT`)),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
        }),
      );
      data.set(table, Buffer.concat(chunks));
      const { rows: count } = await from.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      rows += Number(count[0]!.n);
      const { rows: cols } = await from.query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [table],
      );
      columns.set(table, cols.map((c) => `${c.name} ${c.type}`).join(', '));
    }
    for (const table of COPIED_TABLES) await to.query(`CREATE TABLE ${table} (${columns.get(table)})`);
    const started = performance.now();
    await to.query('BEGIN');
    for (const table of COPIED_TABLES)
      await pipeline(
        Readable.from([data.get(table)!]),
        to.query(copyStreams.from(`COPY ${table} FROM STDIN`)),
      );
    await to.query('COMMIT');
    return { rows, ms: performance.now() - started };
  } finally {
    await from.end();
    await to.end();
  }
}
