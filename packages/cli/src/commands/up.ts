import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, intOption, required, usageError } from '@pujiang/cli-kit';
import { isSuiteId } from '@pujiang/crypto';
import { initLocalNetwork, LOCAL_NETWORK_FILE, type LocalNetwork, MAX_LOCAL_NODES } from '@pujiang/node';
import { PujiangClient } from '@pujiang/sdk';
import { isPujiangError, PujiangError } from '@pujiang/types';
import { describeExit, Supervisor } from '../supervisor.js';

export const UP_USAGE = `pujiang up --home DIR [--nodes N] [--base-port P] [--suite ed25519|sm2|...] [--timeout-ms MS]
          [--empty-block-interval-ms MS]
  runs a local network of N validators (default 4), each its own process, until SIGINT/SIGTERM. The first run
  creates DIR/node0..node{N-1} and DIR/${LOCAL_NETWORK_FILE} (node i: API http://127.0.0.1:P+2i, p2p P+2i+1,
  P default 26657; node0's keys/operator.json is funded and may mint); later runs resume the same chain.
  Prints {"event":"up",...} on stdout once every node has decided a block (within MS, default 60000),
  {"event":"down"} once all have stopped. A node that dies is reported and the others keep running.
  A new network's idle chain makes a block every --empty-block-interval-ms (default 30000; 0: every block interval).`;

export type UpErrorCode =
  | 'CLI_UP_TIMEOUT'
  | 'CLI_UP_NODE_EXITED'
  | 'CLI_UP_ALL_EXITED'
  | 'CLI_UP_WRONG_CHAIN';

/** The CLI's entry point, run again in every node process. */
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const POLL_MS = 200;
/** How long a node gets to stop cleanly after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 15_000;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runUp(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      home: { type: 'string' },
      nodes: { type: 'string' },
      'base-port': { type: 'string' },
      suite: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'empty-block-interval-ms': { type: 'string' },
    },
    strict: true,
  });
  const idleMs = intOption(values, 'empty-block-interval-ms', 0, 86_400_000);
  const dir = required(values, 'home');
  const nodes = intOption(values, 'nodes', 1, MAX_LOCAL_NODES);
  const basePort = intOption(values, 'base-port', 1, 65535);
  const timeoutMs = intOption(values, 'timeout-ms', 1, 3_600_000) ?? 60_000;
  if (values.suite !== undefined && !isSuiteId(values.suite))
    throw usageError(`unknown suite ${values.suite}`, { option: 'suite' });
  // Omitted options take an existing network's values, so `up --home DIR` resumes whatever DIR holds.
  const network = initLocalNetwork({
    dir,
    ...(nodes === undefined ? {} : { nodes }),
    ...(basePort === undefined ? {} : { basePort }),
    ...(values.suite === undefined ? {} : { suite: values.suite }),
    ...(idleMs === undefined ? {} : { emptyBlockIntervalMs: idleMs }),
  });
  io.err(
    `${network.created ? 'created' : 'resuming'} chain ${network.chainId}: ${validators(network)} in ${dir}`,
  );
  return supervise(network, join(dir, LOCAL_NETWORK_FILE), timeoutMs, io);
}

async function supervise(network: LocalNetwork, file: string, timeoutMs: number, io: CommandIo) {
  // Aborted by a signal, or by a failure (a node dying before the network is up, every node dead).
  const stop = new AbortController();
  let phase: 'starting' | 'up' | 'stopping' = 'starting';
  let failure: unknown;
  const fail = (error: PujiangError<UpErrorCode>) => {
    failure ??= error;
    stop.abort();
  };
  const supervisor = new Supervisor(io, (exit) => {
    if (phase === 'stopping') {
      if (exit.code !== 0) io.err(`${exit.name} stopped with ${describeExit(exit)}`);
      return;
    }
    io.err(`${exit.name} exited unexpectedly (${describeExit(exit)})`);
    if (phase === 'starting')
      fail(
        new PujiangError('CLI_UP_NODE_EXITED', `${exit.name} exited before the network was up`, { ...exit }),
      );
    else if (supervisor.running === 0)
      fail(new PujiangError('CLI_UP_ALL_EXITED', 'every node has exited', { last: exit.name }));
    else io.err(`${supervisor.running} of ${network.nodes.length} nodes still running`);
  });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      io.err(`${signal} again: killing every node`);
      supervisor.killAll();
      return;
    }
    signalled = true;
    io.err(`${signal}: stopping every node`);
    stop.abort();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    for (const node of network.nodes)
      supervisor.start(node.name, [MAIN, 'node', 'start', '--home', node.home]);
    try {
      await untilDeciding(network, timeoutMs, stop.signal);
      phase = 'up';
      announce(network, file, supervisor, io);
      await new Promise((resolve) =>
        stop.signal.aborted ? resolve(undefined) : stop.signal.addEventListener('abort', resolve),
      );
    } catch (error) {
      if (!stop.signal.aborted) failure = error;
    }
    phase = 'stopping';
    const killed = await supervisor.stopAll(STOP_GRACE_MS);
    if (killed.length > 0) io.err(`killed after ${STOP_GRACE_MS / 1000} s: ${killed.join(', ')}`);
    if (failure !== undefined) {
      if (!isPujiangError(failure)) throw failure;
      io.err(`error ${failure.code}: ${failure.message}`);
      return EXIT.invalid;
    }
    io.out(JSON.stringify({ event: 'down' }));
    return EXIT.ok;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/**
 * Resolves once every node answers for this chain at height >= 1 and above the height it
 * first answered with: a block decided after startup shows consensus is live, not only
 * that a stored chain was opened.
 */
async function untilDeciding(network: LocalNetwork, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state = network.nodes.map((node) => ({
    node,
    client: new PujiangClient({ url: node.api }),
    first: undefined as number | undefined,
    last: undefined as number | undefined,
    ready: false,
  }));
  while (!state.every((s) => s.ready)) {
    signal.throwIfAborted();
    if (Date.now() > deadline) {
      const waiting = state
        .filter((s) => !s.ready)
        .map((s) => `${s.node.name} (${s.last === undefined ? 'no answer' : `height ${s.last}`})`);
      throw new PujiangError<UpErrorCode>(
        'CLI_UP_TIMEOUT',
        `the network was not deciding blocks after ${timeoutMs} ms; waiting for ${waiting.join(', ')}`,
        { timeoutMs, waiting },
      );
    }
    await Promise.all(
      state
        .filter((s) => !s.ready)
        .map(async (s) => {
          const status = await s.client.getStatus({ timeoutMs: 2_000, signal }).catch(() => undefined);
          if (status === undefined) return; // not listening yet
          if (status.chainId !== network.chainId)
            throw new PujiangError<UpErrorCode>(
              'CLI_UP_WRONG_CHAIN',
              `${s.node.api} answers for chain ${status.chainId}, not ${network.chainId}: is another node using its port?`,
              { node: s.node.name, api: s.node.api, chainId: status.chainId },
            );
          s.first ??= status.height;
          s.last = status.height;
          s.ready = status.height >= 1 && status.height > s.first;
        }),
    );
    if (!state.every((s) => s.ready)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const validators = (network: LocalNetwork) =>
  `${network.nodes.length} ${network.suite} validator${network.nodes.length === 1 ? '' : 's'}`;

function announce(network: LocalNetwork, file: string, supervisor: Supervisor, io: CommandIo): void {
  io.out(
    JSON.stringify({
      event: 'up',
      chainId: network.chainId,
      network: file,
      nodes: network.nodes.map(({ name, api, p2p }) => ({ name, api, p2p, pid: supervisor.pidOf(name) })),
    }),
  );
  const width = Math.max(...network.nodes.map((n) => n.name.length));
  io.err(`chain ${network.chainId} is up: ${validators(network)}`);
  for (const n of network.nodes)
    io.err(`  ${n.name.padEnd(width)}  api ${n.api}  p2p ${n.p2p}  home ${n.home}`);
  io.err(`operator key (funded, may mint): ${network.operatorKey} (address ${network.operatorAddress})`);
  io.err(`try: npx pujiang status --node ${network.nodes[0]!.api}`);
  io.err('Ctrl-C stops every node; the same command resumes the chain');
}
