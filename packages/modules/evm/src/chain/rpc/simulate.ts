import { createLegacyTx } from '@ethereumjs/tx';
import { Address, createZeroAddress } from '@ethereumjs/util';
import { runTx } from '@ethereumjs/vm';
import type { RouteHost } from '@pujiang/module-kit';
import { ethereumChainId } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { asSentBy } from '../execute.js';
import { accountKey, decodeAccount } from '../keys.js';
import type { EvmStore } from '../state-manager.js';
import { blockContext, type EvmInstance, withEvm } from '../vm.js';
import type { RpcBudget } from './budget.js';
import { RPC, RpcError } from './errors.js';

/** A call to simulate: what `eth_call` and `eth_estimateGas` take. */
export interface CallRequest {
  readonly from?: string;
  readonly to?: string;
  readonly data: Uint8Array;
  readonly value: bigint;
  readonly gas?: bigint;
}

/**
 * The most gas a simulated call may use, whatever the caller asks. The interpreter runs a few
 * million gas of cheap opcodes per second here, on the thread that also runs consensus, so a
 * call is held to 10,000,000 gas (an ERC-721 deployment takes about 1,000,000).
 */
export const CALL_GAS_CAP = 10_000_000n;

/** Requests waiting for the simulation interpreter beyond this are refused (EIP-1474's limit exceeded). */
export const MAX_WAITING_SIMULATIONS = 8;
let waiting = 0;

const capped = (request: CallRequest): bigint =>
  request.gas !== undefined && request.gas < CALL_GAS_CAP ? request.gas : CALL_GAS_CAP;

type RunResult = Awaited<ReturnType<typeof runTx>>;

/** Runs a call on the state after block `height`; nothing it writes is kept. */
export async function simulate(
  host: RouteHost,
  request: CallRequest,
  height: bigint,
  budget: RpcBudget,
): Promise<RunResult> {
  const run = await simulateRuns(host, request, height, [capped(request)], budget);
  return run[0]!;
}

/**
 * The least gas limit with which the call succeeds (what `eth_estimateGas` answers): one run
 * at the cap (a failure there is the call's error), then a binary search from the gas it used,
 * since refunds and the 63/64 rule make the limit a call needs exceed the gas it is charged.
 */
export async function estimateGas(
  host: RouteHost,
  request: CallRequest,
  height: bigint,
  budget: RpcBudget,
): Promise<bigint> {
  const cap = capped(request);
  const first = (await simulateRuns(host, request, height, [cap], budget))[0]!;
  failure(first);
  let lo = first.totalGasSpent - 1n;
  let hi = cap;
  const guess = ((first.totalGasSpent + first.gasRefund) * 64n) / 63n + 2300n;
  if (guess < hi && succeeded((await simulateRuns(host, request, height, [guess], budget))[0]!)) hi = guess;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (succeeded((await simulateRuns(host, request, height, [mid], budget))[0]!)) hi = mid;
    else lo = mid;
  }
  return hi;
}

const succeeded = (run: RunResult | undefined): boolean =>
  run !== undefined && run.execResult.exceptionError === undefined;

async function simulateRuns(
  host: RouteHost,
  request: CallRequest,
  height: bigint,
  [gasLimit]: readonly [bigint],
  budget: RpcBudget,
): Promise<(RunResult | undefined)[]> {
  const state = host.stateAfter(height);
  const header = host.blocks.header(height);
  if (state === undefined) throw new RpcError(RPC.RESOURCE_NOT_FOUND, `block ${height} is not known here`);
  budget.spendGas(gasLimit);
  if (waiting >= MAX_WAITING_SIMULATIONS)
    throw new RpcError(RPC.LIMIT_EXCEEDED, 'the node is busy simulating other calls: try again');
  const store: EvmStore = { get: (key) => state.read(key), set: () => {} };
  const caller = request.from ? new Address(hexToBytes(request.from)) : createZeroAddress();
  // The first run (at the cap) reports why a call cannot run; a search step below it just fails.
  const first = gasLimit === capped(request);
  waiting++;
  try {
    return await withEvm(
      ethereumChainId(host.chainId),
      store,
      async (evm: EvmInstance) => {
        const stored = state.read(accountKey(request.from ?? '0'.repeat(40)));
        const nonce = stored === undefined ? 0n : decodeAccount(stored).nonce;
        try {
          const tx = asSentBy(
            createLegacyTx(
              {
                nonce,
                gasPrice: 0n,
                gasLimit,
                ...(request.to === undefined ? {} : { to: new Address(hexToBytes(request.to)) }),
                value: request.value,
                data: request.data,
              },
              { common: evm.txCommon, params: {} },
            ),
            caller,
          );
          return [
            await runTx(evm.vm, {
              tx,
              block: blockContext(evm.common, height, header?.time ?? 0n),
              skipBalance: true,
              skipNonce: true,
              skipBlockGasLimitValidation: true,
            }),
          ];
        } catch (error) {
          // Below the intrinsic gas, init code too large, and the like.
          if (first) throw new RpcError(RPC.INVALID_INPUT, (error as Error).message);
          return [undefined];
        }
      },
      'rpc',
    );
  } finally {
    waiting--;
  }
}

/** Throws the call's failure as JSON-RPC reports it: a revert as code 3 with its data. */
export function failure(run: RunResult): void {
  const error = run.execResult.exceptionError;
  if (error === undefined) return;
  if (error.error === 'revert') {
    const data = `0x${Buffer.from(run.execResult.returnValue).toString('hex')}`;
    throw new RpcError(
      RPC.EXECUTION_REVERTED,
      `execution reverted${reasonOf(run.execResult.returnValue)}`,
      data,
    );
  }
  throw new RpcError(RPC.INVALID_INPUT, error.error);
}

/** `: <reason>` for a revert with Error(string) (selector 0x08c379a0), else nothing. */
function reasonOf(data: Uint8Array): string {
  if (data.length < 68 || Buffer.from(data.subarray(0, 4)).toString('hex') !== '08c379a0') return '';
  const length = Number(BigInt(`0x${Buffer.from(data.subarray(36, 68)).toString('hex')}`));
  if (68 + length > data.length) return '';
  return `: ${Buffer.from(data.subarray(68, 68 + length)).toString('utf8')}`;
}
