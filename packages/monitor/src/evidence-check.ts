import { type Vote, voteSignBytes } from '@pujiang/consensus';
import { type SuiteId, verify } from '@pujiang/crypto';
import { hexToBytes } from '@pujiang/types';
import type { EvidenceJson } from './governance-view.js';

/**
 * The monitor's own check of an evidence record a node reports, before it raises
 * `equivocation`: both votes of the same height, round, type and validator, for different
 * values, each signed by the validator's key (from the record) over the consensus sign
 * bytes of this chain. A node that lies about evidence cannot make the monitor accuse a
 * validator. `checked` says what was verified; `problem` why a record was not believed.
 */
export interface EvidenceCheck {
  readonly valid: boolean;
  readonly checked: string;
  readonly problem?: string;
}

const CHECKED = 'both signatures verified by the monitor over the consensus sign bytes';

function voteOf(v: Readonly<Record<string, unknown>>): Vote {
  const type = v.type;
  if (type !== 'prevote' && type !== 'precommit') throw new Error('not a vote type');
  const value = v.value;
  if (value !== null && (typeof value !== 'string' || !/^[0-9a-f]*$/.test(value)))
    throw new Error('bad vote value');
  const height = Number(v.height);
  const round = Number(v.round);
  const validator = Number(v.validator);
  if (![height, round, validator].every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new Error('bad vote numbers');
  return { type, height, round, value, validator };
}

export function checkEvidence(e: EvidenceJson, chainId: string | null): EvidenceCheck {
  const no = (problem: string): EvidenceCheck => ({ valid: false, checked: 'not believed', problem });
  if (!chainId) return no('the chain id is not known yet');
  try {
    const first = voteOf(e.first);
    const second = voteOf(e.second);
    if (
      first.type !== second.type ||
      first.height !== second.height ||
      first.round !== second.round ||
      first.validator !== second.validator
    )
      return no('the two votes are not of the same height, round, type and validator');
    if (first.value === second.value) return no('the two votes are for the same value');
    if (first.validator !== e.validator.index || String(first.height) !== String(e.height))
      return no('the votes do not match the record');
    const key = { suite: e.validator.suite as SuiteId, bytes: hexToBytes(e.validator.publicKey) };
    for (const [vote, json] of [
      [first, e.first],
      [second, e.second],
    ] as const) {
      const signature = { suite: key.suite, bytes: hexToBytes(String(json.signature)) };
      if (!verify(key, voteSignBytes(chainId, vote), signature))
        return no(`the ${vote === first ? 'first' : 'second'} vote's signature does not verify`);
    }
    return { valid: true, checked: CHECKED };
  } catch (error) {
    return no(`unreadable record: ${error instanceof Error ? error.message : String(error)}`);
  }
}
