import { decode } from '@pujiang/codec';
import type { CertifiedValidator } from '@pujiang/consensus';
import type { Genesis, StateReadJson } from '@pujiang/protocol';
import { type CertifiedHeader, parseFor, verifyStateRead } from '@pujiang/verify';
import { ValidatorSetRecord, validatorSetStateKey, validatorsOfRecord } from './formats.js';

/**
 * `@pujiang/module-governance/verify`: what a light client needs of governance, offline
 * (browser-safe): the validator set of a height, proven under the header before it.
 */

/** Whether a chain can change its validator set at all (without founding organizations nobody can vote a change). */
export function validatorSetCanChange(genesis: Genesis): boolean {
  const governance = genesis.modules.governance as { organizations?: unknown[] } | undefined;
  return (governance?.organizations?.length ?? 0) > 0;
}

/**
 * The validators that sign height `height`, from the validator-set record proven in the
 * state header `height - 1` commits to; the genesis set while none is recorded.
 */
export function verifyValidatorSet(
  read: StateReadJson,
  previous: CertifiedHeader,
  genesis: Genesis,
): readonly CertifiedValidator[] {
  const proven = verifyStateRead(read, previous, validatorSetStateKey());
  if (proven.value === undefined) return genesis.validators;
  const value = proven.value;
  return parseFor('state-proof', 'validator set record', () =>
    validatorsOfRecord(decode(ValidatorSetRecord, value)),
  );
}
