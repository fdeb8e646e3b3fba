import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, intOption, required, usageError } from '@pujiang/cli-kit';
import { consoleBuildDir } from '@pujiang/console';
import { isSuiteId } from '@pujiang/crypto';
import { initLocalNetwork, LOCAL_NETWORK_FILE, type LocalNetwork, MAX_LOCAL_NODES } from '@pujiang/node';
import { PujiangClient } from '@pujiang/sdk';
import { isPujiangError, PujiangError } from '@pujiang/types';
import { describeExit, Supervisor } from '../supervisor.js';
import {
  DEFAULT_LAYOUT,
  initChains,
  metricsPort,
  PORT_STRIDE,
  parseLayout,
  registerSectors,
  setupLayout,
  writeRelayConfig,
} from './up-chains.js';
import { monitorArgs, monitorUrl, pointConsolesAt } from './up-monitor.js';

export const UP_USAGE = `pujiang up --home DIR [--nodes N] [--base-port P] [--suite ed25519|sm2|...] [--timeout-ms MS]
          [--empty-block-interval-ms MS] [--monitor] [--test-clock]
  runs a local network of N validators (default 4), each its own process, until SIGINT/SIGTERM. The first run
  creates DIR/node0..node{N-1} and DIR/${LOCAL_NETWORK_FILE} (node i: API http://127.0.0.1:P+2i, p2p P+2i+1,
  P default 26657; node0's keys/operator.json is funded and may mint); later runs resume the same chain.
  Prints {"event":"up",...} on stdout once every node has decided a block (within MS, default 60000),
  {"event":"down"} once all have stopped. A node that dies is reported and the others keep running.
  A new network's idle chain makes a block every --empty-block-interval-ms (default 30000; 0: every block interval).
  --monitor also runs pujiang monitor on port P+2N watching every node, and points each node's console
  (http://127.0.0.1:P/console/) at it, so the console's alerts page shows what it raises.
  --test-clock makes a new network a test chain whose block time tests move forward (genesis "testing":
  {"clockControl": true}; each node's home holds clock_token, the bearer token of its POST /v1/testing/clock).
pujiang up --chains --home DIR [--layout ${DEFAULT_LAYOUT}] [--base-port P] [--timeout-ms MS]
          [--empty-block-interval-ms MS]
  a layered multi-chain: the layout's first chain is the main chain, the others sector chains, each with its own
  validators (NAME=SUITE:NODES), genesis and suite, in DIR/NAME (chain c's node i: API P+200c+2i). Once all decide
  blocks: clients of each other, a connection and a transfer and a call channel between the main chain and each
  sector, the sectors registered by the main chain's governance (xchain/sectors), and a relayer process
  (DIR/relay.json) that relays every path and checkpoints each sector's headers to the main chain. Idle chains
  make a block every second by default. Prints {"event":"up",...} with every chain, channel and the relayer's
  metrics URL. DIR/layout.json records what was opened; a second run resumes it.`;

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
      chains: { type: 'boolean' },
      layout: { type: 'string' },
      monitor: { type: 'boolean' },
      'test-clock': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.chains && values['test-clock'])
    throw usageError('--test-clock makes one test network, not --chains', { option: 'test-clock' });
  if (values.chains) return runUpChains(values, io);
  if (values.layout !== undefined) throw usageError('--layout goes with --chains', { option: 'layout' });
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
    ...(values['test-clock'] ? { testClock: true } : {}),
  });
  io.err(
    `${network.created ? 'created' : 'resuming'} chain ${network.chainId}: ${validators(network)} in ${dir}`,
  );
  const monitor = values.monitor ? monitorUrl(network) : undefined;
  if (values.monitor && !monitor)
    throw usageError("no port is left for the monitor above the nodes'", { option: 'monitor' });
  pointConsolesAt(network, monitor);
  return supervise([{ network }], timeoutMs, io, async (processes) => {
    if (monitor) processes.start('monitor', [MAIN, ...monitorArgs(network, monitor)]);
    announce(network, join(dir, LOCAL_NETWORK_FILE), processes, io, monitor);
  });
}

/**
 * `up --chains`: every chain of the layout, then (once all decide blocks) what connects them
 * (up-chains.ts) and a relayer process. Idle chains make a block every second by default, so
 * proofs of a fresh write are ready quickly.
 */
async function runUpChains(
  values: Record<string, string | boolean | undefined>,
  io: CommandIo,
): Promise<number> {
  const dir = required(values, 'home');
  if (values.nodes !== undefined || values.suite !== undefined)
    throw usageError('with --chains, --layout gives each chain its suite and validators', {
      option: 'layout',
    });
  const specs = parseLayout((values.layout as string | undefined) ?? DEFAULT_LAYOUT);
  const basePort = intOption(values, 'base-port', 1, 65535 - PORT_STRIDE * specs.length) ?? 26657;
  const timeoutMs = intOption(values, 'timeout-ms', 1, 3_600_000) ?? 120_000;
  const idleMs = intOption(values, 'empty-block-interval-ms', 0, 86_400_000) ?? 1_000;
  const chains = initChains(dir, specs, basePort, idleMs);
  for (const c of chains)
    io.err(
      `${c.network.created ? 'created' : 'resuming'} ${c.spec.name}: chain ${c.network.chainId}, ${validators(c.network)}`,
    );
  return supervise(
    chains.map((c) => ({ label: c.spec.name, network: c.network })),
    timeoutMs,
    io,
    async (processes) => {
      const layout = await setupLayout(dir, chains, io);
      await registerSectors(chains[0]!, layout, io);
      const port = metricsPort(basePort, chains.length);
      const relay = writeRelayConfig(dir, chains, layout, port);
      processes.start('relayer', [MAIN, 'relay', '--config', relay]);
      io.out(
        JSON.stringify({
          event: 'up',
          main: specs[0]!.name,
          chains: chains.map((c) => ({
            name: c.spec.name,
            chainId: c.network.chainId,
            suite: c.network.suite,
            network: c.network.file,
            operatorKey: c.network.operatorKey,
            operatorAddress: c.network.operatorAddress,
            nodes: c.network.nodes.map(({ name, api, p2p }) => ({ name, api, p2p })),
          })),
          layout: join(dir, 'layout.json'),
          sectors: layout,
          relay,
          relayerMetrics: `http://127.0.0.1:${port}/metrics`,
        }),
      );
      io.err(
        `layered multi-chain is up: main chain ${specs[0]!.name}, sectors ${specs
          .slice(1)
          .map((s) => s.name)
          .join(', ')}`,
      );
      io.err(`relayer: ${relay} (metrics http://127.0.0.1:${port}/metrics)`);
      io.err('Ctrl-C stops every process; the same command resumes the layout');
    },
  );
}

/** A network to run, with the name its processes carry when several chains run at once. */
interface Group {
  readonly label?: string;
  readonly network: LocalNetwork;
}

/**
 * Runs every node of every group until a signal (or a failure before all are up); once all
 * decide blocks, `whenUp` announces them (and may start more processes, such as relayers).
 */
async function supervise(
  groups: readonly Group[],
  timeoutMs: number,
  io: CommandIo,
  whenUp: (supervisor: Supervisor) => Promise<void>,
) {
  const nodeNames = groups.flatMap(({ label, network }) =>
    network.nodes.map((node) => (label ? `${label}/${node.name}` : node.name)),
  );
  // Other processes (a relayer) do not keep `up` running once every node is gone.
  const nodesRunning = () => nodeNames.filter((name) => processes.isRunning(name)).length;
  // Aborted by a signal, or by a failure (a node dying before the network is up, every node dead).
  const stop = new AbortController();
  let phase: 'starting' | 'up' | 'stopping' = 'starting';
  let failure: unknown;
  const fail = (error: PujiangError<UpErrorCode>) => {
    failure ??= error;
    stop.abort();
  };
  const processes = new Supervisor(io, (exit) => {
    if (phase === 'stopping') {
      if (exit.code !== 0) io.err(`${exit.name} stopped with ${describeExit(exit)}`);
      return;
    }
    io.err(`${exit.name} exited unexpectedly (${describeExit(exit)})`);
    if (phase === 'starting')
      fail(
        new PujiangError('CLI_UP_NODE_EXITED', `${exit.name} exited before the network was up`, { ...exit }),
      );
    else if (nodesRunning() === 0)
      fail(new PujiangError('CLI_UP_ALL_EXITED', 'every node has exited', { last: exit.name }));
    else io.err(`${nodesRunning()} of ${nodeNames.length} nodes still running`);
  });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      io.err(`${signal} again: killing every node`);
      processes.killAll();
      return;
    }
    signalled = true;
    io.err(`${signal}: stopping every node`);
    stop.abort();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    for (const { label, network } of groups)
      for (const node of network.nodes)
        processes.start(label ? `${label}/${node.name}` : node.name, [
          MAIN,
          'node',
          'start',
          '--home',
          node.home,
        ]);
    try {
      await Promise.all(groups.map((g) => untilDeciding(g.network, timeoutMs, stop.signal)));
      await whenUp(processes);
      phase = 'up';
      await new Promise((resolve) =>
        stop.signal.aborted ? resolve(undefined) : stop.signal.addEventListener('abort', resolve),
      );
    } catch (error) {
      if (!stop.signal.aborted) failure = error;
    }
    phase = 'stopping';
    const killed = await processes.stopAll(STOP_GRACE_MS);
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

function announce(
  network: LocalNetwork,
  file: string,
  supervisor: Supervisor,
  io: CommandIo,
  monitor?: string,
): void {
  io.out(
    JSON.stringify({
      event: 'up',
      chainId: network.chainId,
      network: file,
      nodes: network.nodes.map(({ name, api, p2p }) => ({ name, api, p2p, pid: supervisor.pidOf(name) })),
      ...(consoleBuildDir() ? { console: `${network.nodes[0]!.api}/console/` } : {}),
      ...(monitor ? { monitor } : {}),
    }),
  );
  const width = Math.max(...network.nodes.map((n) => n.name.length));
  io.err(`chain ${network.chainId} is up: ${validators(network)}`);
  for (const n of network.nodes)
    io.err(`  ${n.name.padEnd(width)}  api ${n.api}  p2p ${n.p2p}  home ${n.home}`);
  io.err(`operator key (funded, may mint): ${network.operatorKey} (address ${network.operatorAddress})`);
  if (consoleBuildDir()) io.err(`web console: ${network.nodes[0]!.api}/console/ (every node serves it)`);
  if (monitor)
    io.err(
      `security monitor: ${monitor}/alerts (the console's alerts page shows them; risk report ${monitor}/risk.html)`,
    );
  io.err(`try: npx pujiang status --node ${network.nodes[0]!.api}`);
  io.err('Ctrl-C stops every node; the same command resumes the chain');
}
