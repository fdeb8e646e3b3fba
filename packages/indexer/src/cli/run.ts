import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, intOption, reportError, required, usageError } from '@pujiang/cli-kit';
import { type IndexApi, parseListen, startIndexApi } from '../api/server.js';
import { Indexer } from '../indexer.js';
import { INDEX_USAGE } from './index.js';

const OPTIONS = {
  pg: { type: 'string' },
  node: { type: 'string' },
  from: { type: 'string' },
  listen: { type: 'string' },
  'batch-blocks': { type: 'string' },
  'batch-txs': { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** At most one progress line a second (a line per block would drown a terminal). */
const PROGRESS_MS = 1000;

export async function runIndexCommand(args: string[], io: CommandIo): Promise<number> {
  let indexer: Indexer | undefined;
  let api: IndexApi | undefined;
  try {
    const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
    if (values.help) {
      io.out(INDEX_USAGE);
      return EXIT.ok;
    }
    const pgUrl = required(values, 'pg');
    const nodeUrl = required(values, 'node');
    const from = intOption(values, 'from', 1, 999_999_999_999_999);
    const maxBlocks = intOption(values, 'batch-blocks', 1, 10_000);
    const maxTxs = intOption(values, 'batch-txs', 1, 1_000_000);
    const concurrency = intOption(values, 'concurrency', 1, 256);
    const listen = values.listen === undefined ? undefined : parseListen(values.listen);
    if (values.listen !== undefined && !listen)
      throw usageError('--listen must be HOST:PORT (port 0 picks a free one)', { option: 'listen' });

    let lastProgress = 0;
    let caughtUp = false;
    indexer = await Indexer.open({
      pg: pgUrl,
      node: nodeUrl,
      ...(from === undefined ? {} : { from }),
      batch: {
        ...(maxBlocks === undefined ? {} : { maxBlocks }),
        ...(maxTxs === undefined ? {} : { maxTxs }),
      },
      ...(concurrency === undefined ? {} : { concurrency }),
      log: (line) => io.err(line),
      onBatch: (b) => {
        const now = Date.now();
        if (!caughtUp && b.toHeight >= b.head) {
          caughtUp = true;
          io.out(JSON.stringify({ event: 'caughtUp', height: b.toHeight }));
        }
        if (now - lastProgress < PROGRESS_MS) return;
        lastProgress = now;
        io.out(
          JSON.stringify({
            event: 'indexed',
            height: b.toHeight,
            head: b.head,
            txs: b.txs,
            writeMs: Math.round(b.writeMs),
          }),
        );
      },
    });
    if (listen) api = await startIndexApi(pgUrl, listen.host, listen.port);
    const running = indexer;
    const stopped = new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        io.err(`${signal}: stopping after the batch being written`);
        void running.stop().then(resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    io.out(
      JSON.stringify({
        event: 'started',
        chainId: indexer.chain.chainId,
        checkpoint: indexer.checkpoint,
        ...(api ? { api: api.url } : {}),
      }),
    );
    await Promise.race([running.run(), stopped]);
    await stopped;
    io.out(JSON.stringify({ event: 'stopped', height: running.checkpoint }));
    return EXIT.ok;
  } catch (error) {
    return reportError(io, error);
  } finally {
    await api?.close();
    await indexer?.stop();
  }
}
