import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethereumChainId } from '@pujiang/protocol';
import { formatProfiles, freshProfileDir, summarizeProfiles } from './cpu-profile.js';
import { type CompiledToken, compileBenchToken } from './eth/erc20.js';
import { deployToken, ethCallRate } from './eth/erc20-rpc.js';
import { peerUsage, startPeer } from './eth/peer.js';
import { formatMainThread, mainThreadProfile } from './evm-profile.js';
import type { LoadPlan } from './load-plan.js';
import { networkReady, prepareNetwork } from './network-home.js';
import { withBenchNode } from './node-home.js';
import {
  describePhase,
  nodeUsage,
  type PhaseOutcome,
  type PhaseTiming,
  perSecond,
  round2,
  runPhase,
  spawnNode,
} from './phase.js';
import type { BenchRecord } from './record.js';
import { resourceRecords } from './resources.js';

export interface EvmBenchOptions {
  readonly quick: boolean;
  /** Write the single validator's CPU profiles here (`node --cpu-prof`) and print where its time goes. */
  readonly profileDir?: string;
}

/**
 * Senders: secp256k1 identities registered at genesis (certified clients of the first
 * organization, as the node and network groups register theirs; the default policy lets a
 * client deploy and call), each a token holder from the constructor on. One sender would
 * meet the mempool's per-sender bounds (pending transactions, nonces ahead) and, on the
 * Hardhat node, refusals of every nonce that arrives before its predecessor.
 */
const SENDERS = 200;
/**
 * Offered transfers per second: for one validator and the Hardhat node the same, above what
 * either commits on this machine, so both run saturated (the backlog cap keeps the excess
 * out of the pools); four validators commit less and get less, so fewer are signed.
 */
const RATE = { one: 1_500, network: 500 } as const;
/**
 * At most this many transfers admitted but not yet seen committed: a second or two of
 * blocks. Four validators get fewer: every node admits, validates and executes every
 * transfer, and a block that takes longer than the propose timeout (1 s) to go round makes
 * the height take more rounds.
 */
const MAX_OUTSTANDING = { one: 1_000, network: 300 } as const;
/** JSON-RPC batches of at most 100 calls: Pujiang's `/rpc` limit. */
const CLIENT = { maxBatch: 100, drainSeconds: 30 } as const;
/** Requests in flight per API: as the node group and the peer's Hardhat runs; 2 per node with four nodes. */
const IN_FLIGHT = { one: 4, network: 2 } as const;
const VALIDATORS = 4;
const ONE = { rate: RATE.one, maxInFlight: IN_FLIGHT.one, maxOutstanding: MAX_OUTSTANDING.one } as const;
const NETWORK = {
  rate: RATE.network,
  maxInFlight: IN_FLIGHT.network,
  maxOutstanding: MAX_OUTSTANDING.network,
} as const;
/**
 * `eth_call`s in flight: enough to keep either chain's interpreter busy (ours runs one call at
 * a time), and few enough that a node bounding the simulations waiting for it answers all.
 */
const READ_CONCURRENCY = 8;
const PHASES = {
  quick: {
    load: { seconds: 8, warmupSeconds: 2 },
    network: { seconds: 12, warmupSeconds: 3 },
    readMs: 2_000,
  },
  full: {
    load: { seconds: 25, warmupSeconds: 5 },
    network: { seconds: 30, warmupSeconds: 6 },
    readMs: 6_000,
  },
} as const satisfies Record<string, { load: PhaseTiming; network: PhaseTiming; readMs: number }>;
/** The Hardhat node runs the same rules as our EVM and takes the same zero-fee transactions. */
const HARDHAT_NETWORK = { hardfork: 'cancun', initialBaseFeePerGas: 0 } as const;

/** One chain's run: the transfer load (saturation) and, where measured, the reads. */
interface ChainOutcome {
  readonly label: string;
  readonly load: PhaseOutcome;
  readonly calls?: Awaited<ReturnType<typeof ethCallRate>>;
  readonly configuration: Record<string, unknown>;
}

/** The load every chain gets: the same senders, rate, batches, in-flight requests and backlog cap. */
function loadPlan(
  p: { apiUrls: string[]; chainId: number; senders: string[]; token: string; countFrom: 'pujiang' | 'eth' },
  timing: PhaseTiming,
  shape: { readonly rate: number; readonly maxInFlight: number; readonly maxOutstanding: number },
): LoadPlan {
  return {
    target: 'eth',
    apiUrls: p.apiUrls,
    chainId: String(p.chainId),
    suite: 'secp256k1',
    senders: p.senders,
    erc20: { token: p.token, countFrom: p.countFrom },
    ...timing,
    ...shape,
    // Pujiang: per-transaction codes from /v1/events, so a failed transfer (a revert) is counted.
    watchTxs: p.countFrom === 'pujiang',
    ...CLIENT,
    ...(p.countFrom === 'eth' ? { sampleReceipts: 20 } : {}),
  };
}

const rpcOf = (apiUrl: string) => new URL('/rpc', apiUrl).href;

async function onePujiang(o: EvmBenchOptions, token: CompiledToken): Promise<ChainOutcome> {
  const profileDir = freshProfileDir(o.profileDir, 'evm-erc20');
  const phases = o.quick ? PHASES.quick : PHASES.full;
  const outcome = await withBenchNode(
    {
      label: 'evm 1 validator',
      suite: 'secp256k1',
      senders: SENDERS,
      ...(profileDir ? { profileDir } : {}),
    },
    async ({ chain, node, apiUrl, dir }) => {
      const rpcUrl = rpcOf(apiUrl);
      const chainId = Number(ethereumChainId(chain.chainId));
      const address = await deployToken(rpcUrl, chainId, token, chain.senders);
      const load = await runPhase(
        [nodeUsage(node)],
        join(dir, 'erc20.json'),
        loadPlan(
          { apiUrls: [rpcUrl], chainId, senders: chain.senders, token: address, countFrom: 'pujiang' },
          phases.load,
          ONE,
        ),
      );
      const calls = await ethCallRate(rpcUrl, address, chain.senders, phases.readMs, READ_CONCURRENCY);
      return {
        label: 'pujiang 1 validator',
        load,
        calls,
        configuration: {
          validators: 1,
          validatorSuite: 'secp256k1',
          blockIntervalMs: chain.config.blockIntervalMs,
          mempool: chain.config.mempool,
          commitsCountedFrom: '/v1/events decided blocks',
        },
      };
    },
  );
  if (profileDir) {
    console.log(
      formatProfiles('evm 1 validator, ERC-20 load', summarizeProfiles(profileDir, outcome.load.window, 20)),
    );
    const main = mainThreadProfile(profileDir);
    if (main) {
      console.log(formatMainThread('evm 1 validator, ERC-20 load', main, outcome.load.window));
      if (outcome.calls)
        console.log(formatMainThread('evm 1 validator, eth_call balanceOf', main, outcome.calls.window));
    }
  }
  return outcome;
}

async function fourPujiang(o: EvmBenchOptions, token: CompiledToken): Promise<ChainOutcome> {
  const phases = o.quick ? PHASES.quick : PHASES.full;
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-evm-net-'));
  try {
    const net = await prepareNetwork({
      dir: join(dir, 'net'),
      suite: 'secp256k1',
      validators: VALIDATORS,
      senders: SENDERS,
      verifyWorkers: 0,
    });
    const nodes = net.network.nodes.map((node) => spawnNode(node.home));
    try {
      const apiUrls = await Promise.all(nodes.map(async (node) => (await node.next('ready')).apiUrl));
      await networkReady(apiUrls);
      const rpcUrls = apiUrls.map(rpcOf);
      const chainId = Number(ethereumChainId(net.chainId));
      const address = await deployToken(rpcUrls[0]!, chainId, token, net.senders);
      const load = await runPhase(
        nodes.map(nodeUsage),
        join(dir, 'erc20.json'),
        loadPlan(
          { apiUrls: rpcUrls, chainId, senders: net.senders, token: address, countFrom: 'pujiang' },
          phases.network,
          NETWORK,
        ),
      );
      return {
        label: `pujiang ${VALIDATORS} validators`,
        load,
        configuration: {
          validators: VALIDATORS,
          validatorSuite: 'secp256k1',
          blockIntervalMs: net.config.blockIntervalMs,
          timeouts: net.config.timeouts,
          commitsCountedFrom:
            'node0 /v1/events decided blocks; each sender submits to one node, the others get its transfers by gossip',
        },
      };
    } finally {
      const codes = await Promise.all(nodes.map((node) => node.end()));
      codes.forEach((code, i) => {
        if (code !== 0) console.error(`evm ${VALIDATORS} validators: node${i} exited with code ${code}`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function hardhat(o: EvmBenchOptions, token: CompiledToken): Promise<ChainOutcome> {
  const phases = o.quick ? PHASES.quick : PHASES.full;
  // The same number of senders, fresh keys funded at the Hardhat node's genesis.
  const { generatePrivateKey } = await import('viem/accounts');
  const senders = Array.from({ length: SENDERS }, () => generatePrivateKey().slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-evm-hardhat-'));
  const peer = await startPeer('hardhat', senders, HARDHAT_NETWORK);
  try {
    const address = await deployToken(peer.rpcUrl, peer.chainId, token, senders);
    const load = await runPhase(
      [peerUsage(peer, 'evm group')],
      join(dir, 'erc20.json'),
      loadPlan(
        { apiUrls: [peer.rpcUrl], chainId: peer.chainId, senders, token: address, countFrom: 'eth' },
        phases.load,
        ONE,
      ),
    );
    const calls = await ethCallRate(peer.rpcUrl, address, senders, phases.readMs, READ_CONCURRENCY);
    return {
      label: 'hardhat',
      load,
      calls,
      configuration: {
        peer: peer.version,
        ...HARDHAT_NETWORK,
        mining: 'automatic: a block per transaction as it arrives',
        storage: 'in memory',
        commitsCountedFrom: 'eth_subscribe newHeads, then eth_getBlockByNumber',
      },
    };
  } finally {
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function records(
  token: CompiledToken,
  one: ChainOutcome,
  four: ChainOutcome,
  peer: ChainOutcome,
): BenchRecord[] {
  const common = {
    contract: `BenchToken: OpenZeppelin Contracts ${token.openZeppelin} ERC20, solc ${token.solc}, evmVersion cancun, optimizer 200 runs`,
    load: 'transfer(next sender, 1), EIP-1559 with a zero fee cap, 100,000 gas limit, pre-signed with viem, eth_sendRawTransaction in JSON-RPC batches',
    senders: SENDERS,
  };
  const hardhatRate = perSecond(peer.load.result);
  const oneRate = perSecond(one.load.result);
  const transfers = (c: ChainOutcome): BenchRecord => {
    const value = perSecond(c.load.result);
    return {
      group: 'evm',
      name: `${c.label} ERC-20 transfers/s`,
      value,
      unit: 'tx/s',
      configuration: {
        ...common,
        ...c.configuration,
        ...describePhase(c.load),
        signed: c.load.result.signed,
        ...(c.load.result.sampledReceipts ? { sampledReceipts: c.load.result.sampledReceipts } : {}),
        note: 'the same load on every chain: offered above what it commits, backlog capped; commits counted from blocks inside the window',
      },
      // Issue 21: one validator at least half as fast as the Hardhat node on the same load.
      ...(c === one && hardhatRate > 0
        ? {
            comparedWith: {
              name: 'hardhat ERC-20 transfers/s',
              value: hardhatRate,
              ratio: value / hardhatRate,
            },
            target: {
              value: hardhatRate / 2,
              ratio: value / (hardhatRate / 2),
              met: value >= hardhatRate / 2,
            },
          }
        : {}),
      // Four validators replicate every transfer's work four times on the same cores.
      ...(c === four && oneRate > 0
        ? {
            comparedWith: {
              name: 'pujiang 1 validator ERC-20 transfers/s',
              value: oneRate,
              ratio: value / oneRate,
            },
          }
        : {}),
    };
  };
  const out: BenchRecord[] = [transfers(one), transfers(four), transfers(peer)];
  const peerCalls = peer.calls?.perSecond;
  for (const c of [one, peer]) {
    if (c.calls === undefined) continue;
    out.push({
      group: 'evm',
      name: `${c.label} eth_call/s (balanceOf)`,
      value: c.calls.perSecond,
      unit: 'calls/s',
      configuration: {
        ...common,
        ...c.configuration,
        concurrency: READ_CONCURRENCY,
        refused: c.calls.refused,
        note: "single eth_call requests on the 'latest' block, each answer checked, after the transfer load",
      },
      ...(c !== peer && peerCalls
        ? {
            comparedWith: {
              name: 'hardhat eth_call/s (balanceOf)',
              value: peerCalls,
              ratio: c.calls.perSecond / peerCalls,
            },
          }
        : {}),
    });
  }
  for (const c of [one, four, peer])
    out.push(
      ...resourceRecords({
        group: 'evm',
        prefix: `${c.label} ERC-20`,
        saturation: c.load,
        phases: [c.load],
        configuration: { ...c.configuration, loadGeneratorCpuCores: round2(c.load.result.cpuCores) },
      }),
    );
  return out;
}

/**
 * Smart contracts under load: an OpenZeppelin ERC-20's transfers through Ethereum JSON-RPC,
 * pre-signed and offered by the load-generator process, on one Pujiang validator, on a
 * Hardhat node (the same bytecode, transactions and load, hardfork Cancun) and on four
 * validators; and `eth_call`s of `balanceOf` on one validator and on the Hardhat node.
 */
export async function runEvmBench(o: EvmBenchOptions): Promise<BenchRecord[]> {
  const token = compileBenchToken();
  const one = await onePujiang(o, token);
  const peer = await hardhat(o, token);
  const four = await fourPujiang(o, token);
  return records(token, one, four, peer);
}
