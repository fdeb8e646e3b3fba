import { decode } from '@pujiang/codec';
import { moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { CommitteeParam } from './formats.js';

/** The committee parameter's check: governance runs it before a proposal writes the value. */
export function checkCommittee(value: Uint8Array): void {
  let param: CommitteeParam;
  try {
    param = decode(CommitteeParam, value);
  } catch {
    throw moduleError('PRIVACY_BAD_COMMITTEE', 'the committee parameter does not decode');
  }
  const members = new Set(param.members.map((m) => bytesToHex(m)));
  if (param.members.length === 0 || members.size !== param.members.length)
    throw moduleError('PRIVACY_BAD_COMMITTEE', 'a committee has 1 to 32 distinct members');
  if (param.threshold < 1 || param.threshold > param.members.length)
    throw moduleError('PRIVACY_BAD_COMMITTEE', 'the threshold is between 1 and the number of members');
  if (param.phaseBlocks < 1 || param.phaseBlocks > 100_000)
    throw moduleError('PRIVACY_BAD_COMMITTEE', 'a phase lasts 1 to 100,000 blocks');
}
