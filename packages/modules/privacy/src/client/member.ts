import { sdkError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { decodeScalar, encodeScalar, randomScalar } from '../crypto/group.js';

/**
 * What a committee member keeps (a file the CLI writes with mode 0600): its committee key's
 * secret, the polynomial it dealt in each epoch until that epoch ends (to answer complaints),
 * and its share of the committee key in each finished epoch.
 */
export const MEMBER_STATE_FORMAT = 'pujiang-committee-member/v1';

export interface MemberState {
  readonly format: typeof MEMBER_STATE_FORMAT;
  /** The committee key's secret scalar, hex (32 bytes little-endian). */
  readonly secret: string;
  /** By epoch: the dealt polynomial's coefficients, hex. */
  readonly dealt: Readonly<Record<string, readonly string[]>>;
  /** By epoch: this member's share of the committee key, hex. */
  readonly shares: Readonly<Record<string, string>>;
}

export function newMemberState(): MemberState {
  return {
    format: MEMBER_STATE_FORMAT,
    secret: bytesToHex(encodeScalar(randomScalar())),
    dealt: {},
    shares: {},
  };
}

const isHexScalar = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);

export function parseMemberState(value: unknown): MemberState {
  const v = value as Partial<MemberState> | null;
  const ok =
    v !== null &&
    typeof v === 'object' &&
    v.format === MEMBER_STATE_FORMAT &&
    isHexScalar(v.secret) &&
    typeof v.dealt === 'object' &&
    v.dealt !== null &&
    Object.values(v.dealt).every((c) => Array.isArray(c) && c.every(isHexScalar)) &&
    typeof v.shares === 'object' &&
    v.shares !== null &&
    Object.values(v.shares).every(isHexScalar);
  if (!ok)
    throw sdkError('SDK_INVALID_ARGUMENT', `not a ${MEMBER_STATE_FORMAT} file`, { parameter: 'member' });
  return v as MemberState;
}

export const scalarOf = (hex: string, field: string): bigint => decodeScalar(hexToBytes(hex), field);
export const scalarHex = (value: bigint): string => bytesToHex(encodeScalar(value));
