import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, intOption, required, usageError } from '@pujiang/cli-kit';
import { consoleBuildDir } from '@pujiang/console';
import { isSuiteId } from '@pujiang/crypto';
import { homePaths, initHome, joinHome, replayHome, startNode } from '@pujiang/node';
import { isGenesisValidator } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';

export const NODE_USAGE = `pujiang init --home DIR [--suite ed25519|sm2|...] [--chain-id ID] [--org ID] [--api-port P] [--api-host H]
             [--genesis FILE] [--p2p-listen HOST:PORT] [--peers SUITE:HEX@HOST:PORT,...] [--admit SUITE:HEX,...]
             [--empty-block-interval-ms MS] [--test-clock]
  writes a node key, a founding organization (--org, default org0: its root CA in DIR/org), a genesis
  template (this node as sole validator, certified in DIR/node_cert.pem; an operator account, the
  organization's admin, funded and allowed to mint, key in DIR/keys/operator.json, certificate
  DIR/keys/operator.pem) and config.json. --suite sm2 makes a government chain (SM2/SM3).
  --genesis FILE joins an existing chain instead (no template, no operator key); --p2p-listen, --peers and
  --admit (full-node keys this node lets in) fill config.json's p2p section; a peer is its node key (as init
  prints it) @ its address, so a dial answered by another key is refused (plain HOST:PORT still works, with a
  warning, taking the first member that answers). The idle chain makes a block
  every --empty-block-interval-ms (default 30000; 0: every block interval; governance: gov propose set-pacing).
  --test-clock makes a test chain whose block time tests move forward: its genesis says "testing":
  {"clockControl": true} (with --genesis, it must already), and DIR/clock_token is the bearer token of
  POST /v1/testing/clock on this node (config.json testing holds its SHA-256). Never for a real chain.
pujiang node start --home DIR [--api-port P] [--api-host H] [--api-tls-cert PEM --api-tls-key PEM] [--init [--suite S]]
  runs the node until SIGINT/SIGTERM; prints one JSON line {"event":"started","api":URL,...} on stdout;
  --init first initialises DIR if it holds no node yet (as pujiang init)
pujiang node replay --home DIR
  re-executes every stored block from genesis and checks every header, receipt and certificate (exit 1 on a mismatch)`;

export function runInit(args: readonly string[], io: CommandIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: {
      home: { type: 'string' },
      suite: { type: 'string' },
      'chain-id': { type: 'string' },
      org: { type: 'string' },
      'empty-block-interval-ms': { type: 'string' },
      'api-port': { type: 'string' },
      'api-host': { type: 'string' },
      genesis: { type: 'string' },
      'p2p-listen': { type: 'string' },
      peers: { type: 'string' },
      admit: { type: 'string' },
      'test-clock': { type: 'boolean' },
    },
    strict: true,
  });
  const home = required(values, 'home');
  const suite = values.suite;
  if (suite !== undefined && !isSuiteId(suite))
    throw usageError(`unknown suite ${suite}`, { option: 'suite' });
  const apiPort = intOption(values, 'api-port', 0, 65535);
  const list = (name: 'peers' | 'admit') =>
    values[name] === undefined ? undefined : values[name].split(',').filter((x) => x.length > 0);
  const peers = list('peers');
  const admit = list('admit');
  const common = {
    home,
    ...(suite === undefined ? {} : { suite }),
    ...(apiPort === undefined ? {} : { apiPort }),
    ...(values['api-host'] === undefined ? {} : { apiHost: values['api-host'] }),
    ...(values['test-clock'] ? { testClock: true } : {}),
    p2p: {
      ...(values['p2p-listen'] === undefined ? {} : { listen: values['p2p-listen'] }),
      ...(peers ? { peers } : {}),
      ...(admit ? { admit } : {}),
    },
  };
  if (values.genesis !== undefined) {
    if (
      values['chain-id'] !== undefined ||
      values.org !== undefined ||
      values['empty-block-interval-ms'] !== undefined
    )
      throw usageError('--chain-id, --org and --empty-block-interval-ms come from the genesis file');
    let genesisText: string;
    try {
      genesisText = readFileSync(values.genesis, 'utf8');
    } catch (error) {
      throw usageError(`cannot read ${values.genesis}: ${(error as Error).message}`, { option: 'genesis' });
    }
    const joined = joinHome({ ...common, genesisText });
    io.out(JSON.stringify(describeHome(home, joined), null, 2));
    return EXIT.ok;
  }
  const init = initHome({
    ...common,
    ...(values['chain-id'] === undefined ? {} : { chainId: values['chain-id'] }),
    ...emptyBlockInterval(values),
    ...(values.org === undefined ? {} : { org: values.org }),
  });
  io.out(
    JSON.stringify(
      {
        ...describeHome(home, init),
        operatorKey: init.paths.operatorKey,
        operatorAddress: init.operatorAddress,
        org: init.org.id,
        caCertificate: `${init.paths.org}/ca.pem`,
        nodeCertificate: init.paths.nodeCertificate,
        operatorCertificate: init.paths.operatorCertificate,
      },
      null,
      2,
    ),
  );
  return EXIT.ok;
}

function describeHome(home: string, h: ReturnType<typeof joinHome>) {
  const key = h.nodeKey.publicKey;
  return {
    home,
    chainId: h.genesis.chainId,
    chainHash: h.genesis.chainHash,
    suite: key.suite,
    genesis: h.paths.genesis,
    config: h.paths.config,
    nodeKey: h.paths.nodeKey,
    // What other operators put in their genesis (validators) or config p2p.admit (full nodes).
    nodePublicKey: `${key.suite}:${Buffer.from(key.bytes).toString('hex')}`,
    validator: isGenesisValidator(h.genesis, key),
  };
}

export async function runNode(args: readonly string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'start') return start(rest, io);
  if (sub === 'replay') return replay(rest, io);
  throw new PujiangError('CLI_UNKNOWN_COMMAND', `unknown command "node ${sub ?? ''}"\n\n${NODE_USAGE}`);
}

async function start(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      home: { type: 'string' },
      'api-port': { type: 'string' },
      'api-host': { type: 'string' },
      'api-tls-cert': { type: 'string' },
      'api-tls-key': { type: 'string' },
      init: { type: 'boolean' },
      suite: { type: 'string' },
    },
    strict: true,
  });
  const home = required(values, 'home');
  const apiPort = intOption(values, 'api-port', 0, 65535);
  if (values.suite !== undefined && !values.init) throw usageError('--suite goes with --init');
  if (values.init && !existsSync(homePaths(home).genesis)) {
    const suite = values.suite ?? 'ed25519';
    if (!isSuiteId(suite)) throw usageError(`unknown suite ${suite}`, { option: 'suite' });
    const init = initHome({ home, suite });
    io.err(
      `initialised ${home}: chain ${init.genesis.chainId}, operator key ${init.paths.operatorKey} (address ${init.operatorAddress})`,
    );
  }
  const cert = values['api-tls-cert'];
  const key = values['api-tls-key'];
  if ((cert === undefined) !== (key === undefined))
    throw usageError('give --api-tls-cert and --api-tls-key together');
  const consoleDir = consoleBuildDir();
  const running = await startNode({
    home,
    ...(consoleDir ? { consoleDir } : {}),
    ...(cert !== undefined && key !== undefined
      ? { apiTls: { cert: resolve(cert), key: resolve(key) } }
      : {}),
    ...(apiPort === undefined ? {} : { apiPort }),
    ...(values['api-host'] === undefined ? {} : { apiHost: values['api-host'] }),
    log: (line) => io.err(line),
  });
  const { node } = running;
  io.out(
    JSON.stringify({
      event: 'started',
      api: running.apiUrl,
      chainId: node.chain.genesis.chainId,
      nodeId: node.nodeId,
      height: Number(node.chain.height),
    }),
  );
  // A line per block would drown a terminal at 5 blocks/s; one every few seconds says enough.
  let lastLog = 0;
  node.onCommit((c) => {
    const now = Date.now();
    if (now - lastLog < 5_000) return;
    lastLog = now;
    io.err(`height ${c.block.header.height} (${c.txs.length} txs, mempool ${node.mempool.size})`);
  });
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      io.err(`${signal}: stopping`);
      running.stop().then(
        () => {
          io.out(JSON.stringify({ event: 'stopped', height: Number(node.chain.height) }));
          resolve(EXIT.ok);
        },
        (error) => {
          io.err(`error NODE_STOP_FAILED: ${String(error)}`);
          resolve(EXIT.invalid);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    const watch = setInterval(() => {
      if (node.driver.failure) {
        clearInterval(watch);
        io.err(`error NODE_CONSENSUS_FAILED: ${node.driver.failure.message}`);
        void running.stop().then(() => resolve(EXIT.invalid));
      }
    }, 1000);
    watch.unref();
  });
}

async function replay(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { home: { type: 'string' } }, strict: true });
  const result = await replayHome(required(values, 'home'));
  io.out(JSON.stringify(result, null, 2));
  return result.problems.length === 0 ? EXIT.ok : EXIT.invalid;
}

function emptyBlockInterval(values: Record<string, unknown>): { emptyBlockIntervalMs?: number } {
  const ms = intOption(values, 'empty-block-interval-ms', 0, 86_400_000);
  return ms === undefined ? {} : { emptyBlockIntervalMs: ms };
}
