import { usageError } from '@pujiang/cli-kit';
import { isPujiangError } from '@pujiang/types';
import { FunctionFragment, getAddress, Interface, type ParamType, type Result } from 'ethers';
import type { ContractArtifact } from '../artifact.js';
import type { EvmLog } from '../client/logs.js';

// The ABI side of the commands, on ethers' `Interface` (a maintained ABI coder): encoding
// constructor and function arguments, decoding results, revert data and logs.

/** Runs an ABI step; what ethers refuses (a bad signature, an argument of the wrong type) is bad input. */
export function abiStep<T>(option: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isPujiangError(error)) throw error;
    const e = error as { shortMessage?: string; message?: string };
    throw usageError(`${what}: ${e.shortMessage ?? e.message ?? String(error)}`, { option });
  }
}

export const interfaceOf = (artifact: ContractArtifact | undefined): Interface =>
  abiStep('contract', `${artifact?.name ?? 'the ABI'}: the abi`, () => new Interface(artifact?.abi ?? []));

/**
 * The function `--function` names: a name or signature in the artifact's ABI, else a
 * signature (`transfer(address,uint256)`, with `returns (...)` to decode a call's result).
 */
export function functionOf(abi: Interface, hasAbi: boolean, spec: string): FunctionFragment {
  const inAbi = abiStep('function', `--function ${spec}`, () => abi.getFunction(spec));
  if (inAbi !== null) return inAbi;
  if (spec.includes('('))
    return abiStep('function', `--function ${spec}`, () =>
      FunctionFragment.from(spec.startsWith('function ') ? spec : `function ${spec}`),
    );
  throw usageError(
    hasAbi
      ? `no function ${spec} in the ABI`
      : `--function ${spec}: give a signature such as transfer(address,uint256), or an artifact with the ABI`,
    { option: 'function' },
  );
}

/** `--args`: a JSON array of the arguments (quote integers beyond 2^53 as strings). */
export function argsOption(text: unknown): unknown[] {
  if (text === undefined) return [];
  let args: unknown;
  try {
    args = JSON.parse(String(text));
  } catch {
    throw usageError('--args is a JSON array, e.g. \'["0x…", "1000"]\'', { option: 'args' });
  }
  if (!Array.isArray(args)) throw usageError('--args is a JSON array', { option: 'args' });
  const unsafe = (v: unknown): boolean =>
    typeof v === 'number'
      ? Number.isInteger(v) && !Number.isSafeInteger(v)
      : Array.isArray(v)
        ? v.some(unsafe)
        : typeof v === 'object' && v !== null && Object.values(v).some(unsafe);
  if (unsafe(args))
    throw usageError('--args: quote integers beyond 2^53 as strings ("1000000000000000000")', {
      option: 'args',
    });
  return args;
}

/** A decoded value as JSON: integers as decimal strings, tuples and arrays as arrays. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return Array.from(value, plain);
  return value;
}

/** Decoded values by parameter name when every parameter has one, else in order. */
export function named(params: readonly ParamType[], values: Result): unknown {
  if (params.length > 0 && params.every((p) => p.name !== ''))
    return Object.fromEntries(params.map((p, i) => [p.name, plain(values[i])]));
  return plain(values);
}

/** A revert's data decoded with the ABI (its custom errors, and Error(string) and Panic(uint256)). */
export function decodeRevert(abi: Interface, data: string): Record<string, unknown> | undefined {
  try {
    const error = abi.parseError(data);
    if (error === null) return undefined;
    return { error: error.signature, args: named(error.fragment.inputs, error.args) };
  } catch {
    return undefined;
  }
}

/** Logs decoded with the ABI: the event's signature and its arguments, or the raw log when the ABI has no such event. */
export function decodeLogs(abi: Interface, logs: readonly EvmLog[]): Record<string, unknown>[] {
  return logs.map((log) => {
    const address = getAddress(log.address);
    try {
      const parsed = abi.parseLog({ topics: log.topics, data: log.data });
      if (parsed !== null)
        return { address, event: parsed.signature, args: named(parsed.fragment.inputs, parsed.args) };
    } catch {
      // Not this ABI's event after all: the raw log.
    }
    return { address, topics: log.topics, data: log.data };
  });
}

/** An address as Ethereum tools print it (EIP-55 checksum). */
export const checksummed = (address: string): string => getAddress(address);
