import { type Codec, decode } from '@pujiang/codec';
import type { PublicKey } from '@pujiang/crypto';
import {
  type BlockLimits,
  ChainConfig,
  type Genesis,
  GOV_KEYS,
  GOVERNANCE_MODULE,
  moduleKey,
  ValidatorSetRecord,
  validatorsOfRecord,
} from '@pujiang/protocol';
import type { SparseMerkleTree } from '@pujiang/state';

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

/** What governance may change and every node must apply identically: suites and block limits. */
export interface GovernedConfig {
  readonly acceptedSuites: readonly string[];
  readonly limits: BlockLimits;
}

function read<T>(tree: SparseMerkleTree, root: Uint8Array, key: string, codec: Codec<T>): T | undefined {
  const bytes = tree.get(root, moduleKey(GOVERNANCE_MODULE, key));
  return bytes === undefined ? undefined : decode(codec, bytes);
}

/**
 * The validator set recorded in the state at `root` (the governance module keeps it), or the
 * genesis set on a chain without that module.
 */
export function validatorSetIn(tree: SparseMerkleTree, root: Uint8Array, genesis: Genesis): ValidatorSetAt {
  const record = read(tree, root, GOV_KEYS.validators, ValidatorSetRecord);
  if (record === undefined) return { since: 1n, validators: genesis.validators };
  return { since: record.since, validators: validatorsOfRecord(record) };
}

/** The suites and block limits in force in the state at `root` (genesis values on a chain without governance). */
export function governedConfigIn(tree: SparseMerkleTree, root: Uint8Array, genesis: Genesis): GovernedConfig {
  const config = read(tree, root, GOV_KEYS.config, ChainConfig);
  if (config === undefined) return { acceptedSuites: genesis.acceptedSuites, limits: genesis.limits };
  return {
    acceptedSuites: config.acceptedSuites,
    limits: {
      maxBlockBytes: config.maxBlockBytes,
      maxBlockTxs: config.maxBlockTxs,
      maxBlockGas: Number(config.maxBlockGas),
    },
  };
}
