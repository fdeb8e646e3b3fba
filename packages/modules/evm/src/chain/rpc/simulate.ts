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
import { RPC, RpcError } from './errors.js';

/** A call to simulate: what `eth_call` and `eth_estimateGas` take. */
export interface CallRequest {
  readonly from?: string;
  readonly to?: string;
  readonly data: Uint8Array;
  readonly value: bigint;
  readonly gas?: bigint;
}

/** The most gas a simulated call may use (geth's default RPC gas cap). */
export const CALL_GAS_CAP = 50_000_000n;

type RunResult = Awaited<ReturnType<typeof runTx>>;

/** Runs a call on the state after block `height`; nothing it writes is kept. */
export async function simulate(host: RouteHost, request: CallRequest, height: bigint): Promise<RunResult> {
  const run = await simulateRuns(host, request, height, [request.gas ?? CALL_GAS_CAP]);
  return run[0]!;
}

/**
 * The least gas limit with which the call succeeds (what `eth_estimateGas` answers): one run
 * at the cap (a failure there is the call's error), then a binary search from the gas it used,
 * since refunds and the 63/64 rule make the limit a call needs exceed the gas it is charged.
 */
export async function estimateGas(host: RouteHost, request: CallRequest, height: bigint): Promise<bigint> {
  const cap = request.gas ?? CALL_GAS_CAP;
  const first = (await simulateRuns(host, request, height, [cap]))[0]!;
  failure(first);
  let lo = first.totalGasSpent - 1n;
  let hi = cap;
  const guess = ((first.totalGasSpent + first.gasRefund) * 64n) / 63n + 2300n;
  if (guess < hi && succeeded((await simulateRuns(host, request, height, [guess]))[0]!)) hi = guess;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (succeeded((await simulateRuns(host, request, height, [mid]))[0]!)) hi = mid;
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
  gasLimits: readonly bigint[],
): Promise<(RunResult | undefined)[]> {
  const state = host.stateAfter(height);
  const header = host.blocks.header(height);
  if (state === undefined) throw new RpcError(RPC.RESOURCE_NOT_FOUND, `block ${height} is not known here`);
  const store: EvmStore = { get: (key) => state.read(key), set: () => {} };
  const caller = request.from ? new Address(hexToBytes(request.from)) : createZeroAddress();
  return withEvm(ethereumChainId(host.chainId), store, async (evm: EvmInstance) => {
    const results: (RunResult | undefined)[] = [];
    const stored = state.read(accountKey(request.from ?? '0'.repeat(40)));
    const nonce = stored === undefined ? 0n : decodeAccount(stored).nonce;
    for (const gasLimit of gasLimits) {
      evm.state.bind(store);
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
          { common: evm.common },
        ),
        caller,
      );
      try {
        results.push(
          await runTx(evm.vm, {
            tx,
            block: blockContext(evm.common, height, header?.time ?? 0n),
            skipBalance: true,
            skipNonce: true,
            skipBlockGasLimitValidation: true,
          }),
        );
      } catch (error) {
        // Below the intrinsic gas, say: the limit is too low (a search step), or the call is malformed.
        if (gasLimits.length === 1 && gasLimit === (request.gas ?? CALL_GAS_CAP))
          throw new RpcError(RPC.INVALID_INPUT, (error as Error).message);
        results.push(undefined);
      }
    }
    return results;
  });
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
