import { encode, fixedBytes, literals, string, struct, u32, u64, union } from '@pujiang/codec';
import { concatBytes, hexToBytes, utf8ToBytes } from '@pujiang/types';
import type { Proposal, Vote } from './core/types.js';

/**
 * The bytes a validator signs for a proposal or a vote: a domain label, then the canonical
 * encoding with the chain id. Values are 32-byte block hashes (hex in the core); validRound
 * is stored +1 so that -1 fits an unsigned field; nil is a variant of its own, so no value
 * can be confused with it. The validator's identity is its key, so it is not in the bytes.
 */
const DOMAIN = utf8ToBytes('pujiang/consensus/v1\0');

const ValueOrNil = union('ValueOrNil', { nil: struct('Nil', {}), value: fixedBytes(32) });

const SignedMessage = union('ConsensusMessage', {
  proposal: struct('Proposal', {
    chainId: string({ max: 64 }),
    height: u64,
    round: u32,
    value: fixedBytes(32),
    validRoundPlusOne: u32,
  }),
  vote: struct('Vote', {
    chainId: string({ max: 64 }),
    type: literals('VoteType', ['prevote', 'precommit'] as const),
    height: u64,
    round: u32,
    value: ValueOrNil,
  }),
});

export function proposalSignBytes(chainId: string, p: Proposal): Uint8Array {
  return concatBytes(
    DOMAIN,
    encode(SignedMessage, {
      type: 'proposal',
      value: {
        chainId,
        height: BigInt(p.height),
        round: p.round,
        value: hexToBytes(p.value),
        validRoundPlusOne: p.validRound + 1,
      },
    }),
  );
}

export function voteSignBytes(chainId: string, v: Vote): Uint8Array {
  return concatBytes(
    DOMAIN,
    encode(SignedMessage, {
      type: 'vote',
      value: {
        chainId,
        type: v.type,
        height: BigInt(v.height),
        round: v.round,
        value: v.value === null ? { type: 'nil', value: {} } : { type: 'value', value: hexToBytes(v.value) },
      },
    }),
  );
}

/** The sign bytes of either kind of consensus message. */
export function signBytes(chainId: string, kind: 'proposal' | 'vote', message: Proposal | Vote): Uint8Array {
  return kind === 'proposal'
    ? proposalSignBytes(chainId, message as Proposal)
    : voteSignBytes(chainId, message as Vote);
}
