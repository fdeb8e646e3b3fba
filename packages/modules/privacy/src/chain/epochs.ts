import { decode, encode, u32 } from '@pujiang/codec';
import { type ModuleContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, equalBytes } from '@pujiang/types';
import { shareCommitment } from '../crypto/dkg.js';
import { decodePoint, type Point } from '../crypto/group.js';
import {
  COMMITTEE_PARAM,
  CommitteeParam,
  CURRENT_EPOCH_KEY,
  EpochRecord,
  epochKey,
  LATEST_EPOCH_KEY,
  memberKeyKey,
  PRIVACY_LIMITS,
} from '../formats.js';
import { COMPUTE_GAS } from './gas.js';

/**
 * Committee epochs. Governance sets the committee (`params/committee`) by proposal; the first
 * committee message after a change starts an epoch: a fresh key generation if the committee
 * has no key yet, else a resharing of the current key by the previous members to the new
 * ones (the public key stays). An epoch runs three phases of `phaseBlocks` each (deals,
 * complaints, answers); then anyone finalizes it.
 */
export const PARAM_KEY = `params/${COMMITTEE_PARAM}`;

export function readEpoch(read: StateRead, n: number): EpochRecord | undefined {
  if (n === 0) return undefined;
  const bytes = read(epochKey(n));
  return bytes ? decode(EpochRecord, bytes) : undefined;
}

const pointer = (read: StateRead, key: string): number => {
  const bytes = read(key);
  return bytes ? decode(u32, bytes) : 0;
};

export const latestEpoch = (read: StateRead): EpochRecord | undefined =>
  readEpoch(read, pointer(read, LATEST_EPOCH_KEY));
export const currentEpoch = (read: StateRead): EpochRecord | undefined =>
  readEpoch(read, pointer(read, CURRENT_EPOCH_KEY));

/** The key in force: the current epoch's public key (the first joint commitment). */
export function currentKey(
  read: StateRead,
): { readonly epoch: number; readonly publicKey: Uint8Array } | undefined {
  const epoch = currentEpoch(read);
  const first = epoch?.commitments[0];
  return epoch && first ? { epoch: epoch.number, publicKey: first } : undefined;
}

export function readParam(
  read: StateRead,
): { readonly param: CommitteeParam; readonly bytes: Uint8Array } | undefined {
  const bytes = read(PARAM_KEY);
  return bytes ? { param: decode(CommitteeParam, bytes), bytes } : undefined;
}

const sameCommittee = (epoch: EpochRecord, param: CommitteeParam): boolean =>
  epoch.threshold === param.threshold &&
  epoch.phaseBlocks === param.phaseBlocks &&
  epoch.members.length === param.members.length &&
  epoch.members.every((m, i) => equalBytes(m, param.members[i] as Uint8Array));

/** Whether the committee parameter calls for a new epoch (changed since the latest, or the latest failed). */
export function epochDue(read: StateRead): boolean {
  const param = readParam(read);
  if (!param) return false;
  const latest = latestEpoch(read);
  return !latest || latest.status === 'failed' || !sameCommittee(latest, param.param);
}

/**
 * The epoch a committee message is for: the latest, or a new one started now when one is
 * due (every member must have registered a committee key: shares are sealed to it).
 */
export function epochFor(ctx: ModuleContext): EpochRecord {
  const read = (k: string) => ctx.get(k);
  const latest = latestEpoch(read);
  if (!epochDue(read)) {
    if (!latest) throw moduleError('PRIVACY_NO_COMMITTEE', 'governance has not set a committee');
    return latest;
  }
  const { param } = readParam(read) as NonNullable<ReturnType<typeof readParam>>;
  const memberKeys = param.members.map((m) => {
    const key = ctx.get(memberKeyKey(bytesToHex(m)));
    if (!key)
      throw moduleError(
        'PRIVACY_NO_MEMBER_KEY',
        `committee member ${bytesToHex(m)} has not registered a key`,
        {
          member: bytesToHex(m),
        },
      );
    return key;
  });
  const previous = currentEpoch(read);
  const number = (latest?.number ?? 0) + 1;
  const epoch: EpochRecord = {
    number,
    members: param.members,
    memberKeys,
    threshold: param.threshold,
    phaseBlocks: param.phaseBlocks,
    start: ctx.height,
    previous: previous?.number ?? 0,
    dealers: previous ? previous.members : param.members,
    dealersNeeded: previous ? previous.threshold : param.threshold,
    status: 'dealing',
    commitments: [],
    qualified: [],
  };
  writeEpoch(ctx, epoch);
  ctx.set(LATEST_EPOCH_KEY, encode(u32, number));
  ctx.emit('epochStarted', {
    epoch: String(number),
    kind: previous ? 'reshare' : 'keygen',
    members: String(param.members.length),
    threshold: String(param.threshold),
  });
  return epoch;
}

export function writeEpoch(ctx: ModuleContext, epoch: EpochRecord): void {
  if (epoch.members.length > PRIVACY_LIMITS.committee)
    throw moduleError('PRIVACY_BAD_COMMITTEE', 'too many members');
  ctx.set(epochKey(epoch.number), encode(EpochRecord, epoch));
}

export function markCurrent(ctx: ModuleContext, epoch: number): void {
  ctx.set(CURRENT_EPOCH_KEY, encode(u32, epoch));
}

export type Phase = 'deal' | 'complain' | 'answer' | 'over';

export function phaseOf(epoch: EpochRecord, height: bigint): Phase {
  const step = BigInt(epoch.phaseBlocks);
  if (height < epoch.start + step) return 'deal';
  if (height < epoch.start + 2n * step) return 'complain';
  if (height < epoch.start + 3n * step) return 'answer';
  return 'over';
}

/** Member j's verification key in a finished epoch: Y_j = Σ C_k·j^k over the joint commitments. */
export function verificationKey(ctx: ModuleContext, epoch: EpochRecord, member: number): Point {
  ctx.consume(
    epoch.commitments.length * (COMPUTE_GAS.pointDecode + COMPUTE_GAS.pointMul),
    'verification key',
  );
  const commitments = epoch.commitments.map((c, k) => decodePoint(c, `commitments[${k}]`));
  return shareCommitment(commitments, member);
}

/** A sender's 1-based index in a list of addresses, or 0. */
export const indexOf = (list: readonly Uint8Array[], addressHex: string): number =>
  list.findIndex((a) => bytesToHex(a) === addressHex) + 1;
