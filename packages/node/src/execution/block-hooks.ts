import type { HashAlgorithm } from '@pujiang/crypto';
import {
  type BlockHookPhase,
  type ChainModule,
  GasMeter,
  kitError,
  type ModuleGraph,
} from '@pujiang/module-kit';
import { hookId, type Receipt } from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import { ExecutionScope, hookContext, isThenable } from './context.js';
import { receiptCode } from './prepared-tx.js';
import type { StateOverlay } from './state-overlay.js';

/** What running a block's hooks needs of the executor. */
export interface HookChain {
  readonly modules: readonly ChainModule[];
  readonly chainHash: HashAlgorithm;
  readonly chainId: string;
  readonly graph: ModuleGraph;
}

/**
 * Runs every enabled module's hook of `phase`, each in its own overlay under its own gas
 * budget. A hook that fails (out of gas, or a typed error) changes nothing and gets a
 * receipt with its code and a `hookFailed` event; the block goes on. Only hooks that wrote,
 * emitted or failed get receipts, so chains without them keep their results roots. Hooks are
 * synchronous: one that returns a promise fails (`MODULE_INVALID`), its writes dropped.
 */
export function runBlockHooks(
  chain: HookChain,
  phase: BlockHookPhase,
  block: StateOverlay,
  height: bigint,
  time: bigint,
): Receipt[] {
  const receipts: Receipt[] = [];
  for (const module of chain.modules) {
    const hook = module[phase];
    if (hook === undefined) continue;
    const gas = new GasMeter(hook.gas);
    const scope = new ExecutionScope(
      block.child(),
      gas,
      height,
      time,
      chain.chainHash,
      chain.chainId,
      chain.graph,
    );
    const txHash = hookId(chain.chainHash, phase, module.name, height);
    try {
      const result: unknown = hook.run(hookContext(module, scope, phase));
      if (isThenable(result)) {
        // Its failure is this receipt; what it does later must not reach the process.
        Promise.resolve(result).catch(() => {});
        throw kitError('MODULE_INVALID', `the ${phase} hook of ${module.name} is asynchronous`, {
          module: module.name,
        });
      }
      scope.state.mergeIntoParent();
      // A hook with nothing to do this block (no write, no event) leaves no receipt: a module
      // that looks at a cursor every block does not add a receipt to every block.
      if (scope.events.length > 0 || scope.state.changes.size > 0)
        receipts.push({ txHash, code: 'OK', gasUsed: Math.min(gas.used, gas.limit), events: scope.events });
    } catch (error) {
      if (!isPujiangError(error)) throw error; // a bug, not bad input
      const code = error.code === 'EXEC_OUT_OF_GAS' ? 'HOOK_OUT_OF_GAS' : receiptCode(error.code);
      receipts.push({
        txHash,
        code,
        message: error.message,
        gasUsed: Math.min(gas.used, gas.limit),
        events: [{ module: module.name, type: 'hookFailed', attributes: { phase, code } }],
      });
    } finally {
      scope.closed = true;
    }
  }
  return receipts;
}
