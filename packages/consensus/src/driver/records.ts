import {
  bool,
  bytes,
  decode,
  encode,
  fixedBytes,
  literals,
  optional,
  struct,
  u32,
  u64,
  union,
} from '@pujiang/codec';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import type { Input, Proposal, Signed, Vote } from '../core/types.js';

/**
 * The canonical encoding of consensus inputs as WAL records. A startHeight record keeps only
 * the height: the validator set is the chain's, and the driver supplies it again on replay.
 */
const Value = fixedBytes(32);
const SignatureBytes = bytes({ max: 1 << 14 });

const ProposalCodec = struct('Proposal', {
  height: u64,
  round: u32,
  value: Value,
  validRoundPlusOne: u32,
  proposer: u32,
});
const VoteCodec = struct('Vote', {
  type: literals('VoteType', ['prevote', 'precommit'] as const),
  height: u64,
  round: u32,
  value: optional(Value),
  validator: u32,
});
const SignedProposal = struct('SignedProposal', { message: ProposalCodec, signature: SignatureBytes });
const SignedVote = struct('SignedVote', { message: VoteCodec, signature: SignatureBytes });

const Record = union('WalRecord', {
  startHeight: struct('StartHeight', { height: u64 }),
  proposal: SignedProposal,
  vote: SignedVote,
  timeout: struct('Timeout', {
    kind: literals('TimeoutKind', ['propose', 'prevote', 'precommit'] as const),
    height: u64,
    round: u32,
  }),
  proposeValue: struct('ProposeValue', { height: u64, round: u32, value: Value }),
  valueVerdict: struct('ValueVerdict', { height: u64, value: Value, valid: bool }),
  ownProposal: SignedProposal,
  ownVote: SignedVote,
});

const toProposal = (p: Proposal) => ({
  height: BigInt(p.height),
  round: p.round,
  value: hexToBytes(p.value),
  validRoundPlusOne: p.validRound + 1,
  proposer: p.proposer,
});
const fromProposal = (p: ReturnType<typeof toProposal>): Proposal => ({
  height: Number(p.height),
  round: p.round,
  value: bytesToHex(p.value),
  validRound: p.validRoundPlusOne - 1,
  proposer: p.proposer,
});
const toVote = (v: Vote) => ({
  type: v.type,
  height: BigInt(v.height),
  round: v.round,
  ...(v.value === null ? {} : { value: hexToBytes(v.value) }),
  validator: v.validator,
});
const fromVote = (v: {
  type: Vote['type'];
  height: bigint;
  round: number;
  value?: Uint8Array;
  validator: number;
}): Vote => ({
  type: v.type,
  height: Number(v.height),
  round: v.round,
  value: v.value === undefined ? null : bytesToHex(v.value),
  validator: v.validator,
});

/** A WAL record: an input as logged; startHeight carries no validator set. */
export type WalRecord =
  | Exclude<Input, { type: 'startHeight' }>
  | { readonly type: 'startHeight'; readonly height: number };

export function encodeRecord(record: WalRecord): Uint8Array {
  switch (record.type) {
    case 'startHeight':
      return encode(Record, { type: 'startHeight', value: { height: BigInt(record.height) } });
    case 'proposal':
      return encode(Record, {
        type: 'proposal',
        value: { message: toProposal(record.proposal.message), signature: record.proposal.signature },
      });
    case 'vote':
      return encode(Record, {
        type: 'vote',
        value: { message: toVote(record.vote.message), signature: record.vote.signature },
      });
    case 'timeout':
      return encode(Record, {
        type: 'timeout',
        value: { kind: record.kind, height: BigInt(record.height), round: record.round },
      });
    case 'proposeValue':
      return encode(Record, {
        type: 'proposeValue',
        value: { height: BigInt(record.height), round: record.round, value: hexToBytes(record.value) },
      });
    case 'valueVerdict':
      return encode(Record, {
        type: 'valueVerdict',
        value: { height: BigInt(record.height), value: hexToBytes(record.value), valid: record.valid },
      });
    case 'ownSigned':
      return record.kind === 'proposal'
        ? encode(Record, {
            type: 'ownProposal',
            value: {
              message: toProposal((record.message as Signed<Proposal>).message),
              signature: record.message.signature,
            },
          })
        : encode(Record, {
            type: 'ownVote',
            value: {
              message: toVote((record.message as Signed<Vote>).message),
              signature: record.message.signature,
            },
          });
  }
}

export function decodeRecord(bytes: Uint8Array): WalRecord {
  const r = decode(Record, bytes);
  switch (r.type) {
    case 'startHeight':
      return { type: 'startHeight', height: Number(r.value.height) };
    case 'proposal':
      return {
        type: 'proposal',
        proposal: { message: fromProposal(r.value.message), signature: r.value.signature },
      };
    case 'vote':
      return { type: 'vote', vote: { message: fromVote(r.value.message), signature: r.value.signature } };
    case 'timeout':
      return { type: 'timeout', kind: r.value.kind, height: Number(r.value.height), round: r.value.round };
    case 'proposeValue':
      return {
        type: 'proposeValue',
        height: Number(r.value.height),
        round: r.value.round,
        value: bytesToHex(r.value.value),
      };
    case 'valueVerdict':
      return {
        type: 'valueVerdict',
        height: Number(r.value.height),
        value: bytesToHex(r.value.value),
        valid: r.value.valid,
      };
    case 'ownProposal':
      return {
        type: 'ownSigned',
        kind: 'proposal',
        message: { message: fromProposal(r.value.message), signature: r.value.signature },
      };
    case 'ownVote':
      return {
        type: 'ownSigned',
        kind: 'vote',
        message: { message: fromVote(r.value.message), signature: r.value.signature },
      };
  }
}
