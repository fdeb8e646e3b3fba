import type { PublicKey } from '@pujiang/crypto';
import type { BlockLimits, Genesis } from '@pujiang/protocol';
import type { Executor } from '../execution/executor.js';

/** A validator as consensus and certificate checks need it. */
export interface ChainValidator {
  readonly publicKey: PublicKey;
  readonly power: number;
  readonly name?: string;
}

/** The validator set that signs from height `since` on. */
export interface ValidatorSetAt {
  readonly since: bigint;
  readonly validators: readonly ChainValidator[];
}

/** What governance may change and every node must apply identically: suites, block limits, pacing. */
export interface GovernedConfig {
  readonly acceptedSuites: readonly string[];
  readonly limits: BlockLimits;
  /** How often an idle chain makes a block; 0: every block interval (no waiting for transactions). */
  readonly emptyBlockIntervalMs: number;
}

/**
 * The validator set recorded in the state at `root` by the module that provides the kernel's
 * `validatorSet` service (governance), or the genesis set on a chain without one.
 */
export function validatorSetIn(executor: Executor, root: Uint8Array, genesis: Genesis): ValidatorSetAt {
  const record = executor.kernelCall('validatorSet', root, (service, read) => service(read));
  return record ?? { since: 1n, validators: genesis.validators };
}

/** The suites and block limits in force in the state at `root` (genesis values on a chain without a provider). */
export function governedConfigIn(executor: Executor, root: Uint8Array, genesis: Genesis): GovernedConfig {
  const config = executor.kernelCall('chainConfig', root, (service, read) => service(read));
  if (!config)
    return { acceptedSuites: genesis.acceptedSuites, limits: genesis.limits, emptyBlockIntervalMs: 0 };
  return { ...config, emptyBlockIntervalMs: config.emptyBlockIntervalMs ?? 0 };
}
