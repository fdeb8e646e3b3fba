import { type Block, createBlock } from '@ethereumjs/block';
import { type Common, createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import type { EVM } from '@ethereumjs/evm';
import { paramsTx } from '@ethereumjs/tx';
import { createZeroAddress } from '@ethereumjs/util';
import { createVM, type VM } from '@ethereumjs/vm';
import { isPujiangError } from '@pujiang/types';
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
  /**
   * `common` with the transaction parameters merged in, for building transactions with
   * `{ common: txCommon, params: {} }`: a transaction otherwise copies every parameter of
   * `common` it merges `paramsTx` into (JSON round trips), which is most of building one.
   * The parameters a transaction ends up with are the same.
   */
  readonly txCommon: Common;
  readonly state: ChainStateManager;
}

/**
 * Who runs the interpreter: block execution, or the JSON-RPC's simulations (`eth_call`,
 * `eth_estimateGas`). Each has instances and a queue of its own, so no simulation's state
 * (nor a long one's turn) reaches a transaction's execution.
 */
export type EvmPurpose = 'execution' | 'rpc';

const instances = new Map<string, Promise<EvmInstance>>();
const turns = new Map<EvmPurpose, Promise<unknown>>();

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
  const txCommon = common.copy();
  txCommon.updateParams(paramsTx);
  return { vm, common, txCommon, state };
}

/**
 * Runs `run` with the chain's interpreter bound to `store`, one run at a time per purpose in
 * this process (several nodes of a test share the instance): the state manager is the
 * instance's, so two runs must never interleave at an `await`. Each run starts clean: an
 * empty journal and no transient storage (a run the interpreter left by an exception, not an
 * EVM error, could leave some behind). After such an exception the instance is dropped and
 * built again, so nothing of it can reach the next run.
 */
export function withEvm<T>(
  chainId: bigint,
  store: EvmStore,
  run: (evm: EvmInstance) => Promise<T>,
  purpose: EvmPurpose = 'execution',
): Promise<T> {
  const key = `${purpose}/${chainId}`;
  const next = (turns.get(purpose) ?? Promise.resolve()).then(async () => {
    let instance = instances.get(key);
    if (instance === undefined) {
      instance = create(chainId);
      instances.set(key, instance);
    }
    const evm = await instance;
    const transient = (evm.vm.evm as EVM).transientStorage;
    evm.state.bind(store);
    transient.clear();
    try {
      return await run(evm);
    } catch (error) {
      if (!isPujiangError(error)) instances.delete(key);
      throw error;
    } finally {
      evm.state.bind(EMPTY_STORE);
      transient.clear();
    }
  });
  turns.set(
    purpose,
    next.catch(() => undefined),
  );
  return next;
}

const EMPTY_STORE: EvmStore = { get: () => undefined, set: () => {} };

/**
 * The block an EVM transaction sees: the chain's height and time (in seconds), no base fee
 * (gas on a permissioned chain is not paid for: an EIP-1559 fee cap of 0 is accepted), the
 * zero coinbase, and PREVRANDAO 0 (a BFT chain has no beacon randomness to offer).
 */
export function blockContext(common: Common, height: bigint, timeMs: bigint): Block {
  // Every transaction of a block (and every eth_call on it) sees the same one: built once.
  const cached = blocks.find((b) => b.common === common && b.height === height && b.timeMs === timeMs);
  if (cached !== undefined) return cached.block;
  const block = createBlock(
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
  if (blocks.length >= CACHED_BLOCKS) blocks.shift();
  blocks.push({ common, height, timeMs, block });
  return block;
}

/** The last block contexts built; a Block is frozen, so sharing one cannot change it. */
const blocks: { common: Common; height: bigint; timeMs: bigint; block: Block }[] = [];
const CACHED_BLOCKS = 8;
