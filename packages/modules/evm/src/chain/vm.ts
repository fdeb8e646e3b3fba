import { type Block, createBlock } from '@ethereumjs/block';
import { type Common, createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { createZeroAddress } from '@ethereumjs/util';
import { createVM, type VM } from '@ethereumjs/vm';
import { PUJIANG_PRECOMPILES } from './precompiles/index.js';
import { ChainStateManager, type EvmStore } from './state-manager.js';

/** The EVM's rules: Cancun (transient storage, MCOPY, PUSH0, EIP-6780 SELFDESTRUCT). */
export const EVM_HARDFORK = Hardfork.Cancun;

/** What the GASLIMIT opcode and Ethereum block views say (the chain's own limit is `maxBlockGas`). */
export const EVM_BLOCK_GAS_LIMIT = 30_000_000n;

/** One interpreter per chain id, reused: creating one builds its opcode and precompile tables. */
export interface EvmInstance {
  readonly vm: VM;
  readonly common: Common;
  readonly state: ChainStateManager;
}

const instances = new Map<bigint, Promise<EvmInstance>>();

async function create(chainId: bigint): Promise<EvmInstance> {
  const common = createCustomCommon({ chainId: Number(chainId), name: `pujiang-${chainId}` }, Mainnet, {
    hardfork: EVM_HARDFORK,
  });
  const state = new ChainStateManager({ get: () => undefined, set: () => {} });
  const vm = await createVM({
    common,
    stateManager: state,
    evmOpts: { customPrecompiles: PUJIANG_PRECOMPILES },
  });
  return { vm, common, state };
}

let turn: Promise<unknown> = Promise.resolve();

/**
 * Runs `run` with the chain's interpreter bound to `store`, one run at a time in this process
 * (several nodes of a test, and `eth_call`s beside execution, share the instance): the state
 * manager is the instance's, so two runs must never interleave at an `await`.
 */
export function withEvm<T>(
  chainId: bigint,
  store: EvmStore,
  run: (evm: EvmInstance) => Promise<T>,
): Promise<T> {
  const next = turn.then(async () => {
    let instance = instances.get(chainId);
    if (instance === undefined) {
      instance = create(chainId);
      instances.set(chainId, instance);
    }
    const evm = await instance;
    evm.state.bind(store);
    try {
      return await run(evm);
    } finally {
      evm.state.bind(EMPTY_STORE);
    }
  });
  turn = next.catch(() => undefined);
  return next;
}

const EMPTY_STORE: EvmStore = { get: () => undefined, set: () => {} };

/**
 * The block an EVM transaction sees: the chain's height and time (in seconds), no base fee
 * (gas on a permissioned chain is not paid for: an EIP-1559 fee cap of 0 is accepted), the
 * zero coinbase, and PREVRANDAO 0 (a BFT chain has no beacon randomness to offer).
 */
export function blockContext(common: Common, height: bigint, timeMs: bigint): Block {
  return createBlock(
    {
      header: {
        number: height,
        timestamp: timeMs / 1000n,
        gasLimit: EVM_BLOCK_GAS_LIMIT,
        baseFeePerGas: 0n,
        coinbase: createZeroAddress(),
      },
    },
    { common, skipConsensusFormatValidation: true },
  );
}
