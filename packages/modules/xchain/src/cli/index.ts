import { parseArgs } from 'node:util';
import { EXIT, type ModuleCommand, required, usageError } from '@pujiang/cli-kit';
import { readRelayConfig } from './relay-config.js';
import { startRelayer } from './relayer.js';
import { runXchain, XCHAIN_USAGE } from './xchain.js';

export const RELAY_USAGE = `pujiang relay --config FILE
  relays packets, acknowledgements and timeouts on the configured paths and keeps the
  configured clients following (checkpoints); untrusted, restartable at any time, any number
  at once; serves /metrics when the file names "metrics": {host, port}. Stops on SIGINT/SIGTERM.`;

async function runRelay(args: readonly string[], ctx: Parameters<ModuleCommand['run']>[1]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' } }, strict: true });
  const config = readRelayConfig(required(values, 'config'));
  if (config.paths.length + config.checkpoints.length === 0)
    throw usageError('the configuration names no paths and no checkpoints', { option: 'config' });
  // One JSON object per line (NDJSON), as the node logs: a long-running process's output is read line by line.
  const log = (event: Record<string, unknown>) => ctx.io.out(JSON.stringify(event));
  const relayer = await startRelayer(config, ctx, log);
  log({
    event: 'started',
    paths: config.paths.length,
    checkpoints: config.checkpoints.length,
    metrics: relayer.metricsUrl ?? null,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await relayer.stop();
  log({ event: 'stopped' });
  return EXIT.ok;
}

/** `pujiang xchain ...` and `pujiang relay`. */
export const xchainCommands: readonly ModuleCommand[] = [
  {
    name: 'xchain',
    summary: 'cross-chain: light clients, connections, channels, token transfers, remote calls, packets',
    usage: XCHAIN_USAGE,
    run: runXchain,
  },
  {
    name: 'relay',
    summary: 'relay packets between chains (its own process, untrusted, crash-safe)',
    usage: RELAY_USAGE,
    run: runRelay,
  },
];
