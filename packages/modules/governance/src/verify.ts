import { decode } from '@pujiang/codec';
import type { CertifiedValidator } from '@pujiang/consensus';
import type { Genesis, StateReadJson } from '@pujiang/protocol';
import { invalidArgument } from '@pujiang/types';
import { type CertifiedHeader, objectParameter, parseFor, trustOf, verifyStateRead } from '@pujiang/verify';
import { ValidatorSetRecord, validatorSetStateKey, validatorsOfRecord } from './formats.js';

/**
 * `@pujiang/module-governance/verify`: what a light client needs of governance, offline
 * (browser-safe): the validator set of a height, proven under the header before it.
 */

/** Whether a chain can change its validator set at all (without founding organizations nobody can vote a change). */
export function validatorSetCanChange(genesis: Genesis): boolean {
  if (typeof objectParameter(genesis, 'genesis').modules !== 'object' || genesis.modules === null)
    throw invalidArgument('genesis must be a parsed genesis (parseGenesis)', 'genesis');
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
  const { validators } = trustOf({ genesis });
  const proven = verifyStateRead(read, previous, validatorSetStateKey());
  if (proven.value === undefined) return validators;
  const value = proven.value;
  return parseFor('state-proof', 'validator set record', () =>
    validatorsOfRecord(decode(ValidatorSetRecord, value)),
  );
}
