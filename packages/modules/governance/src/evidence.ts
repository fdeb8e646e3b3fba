import { bytes, fixedBytes, type Infer, literals, optional, string, struct, u32, u64 } from '@pujiang/codec';
import type { Vote as ConsensusVote, Signed } from '@pujiang/consensus';
import { SUITE_IDS } from '@pujiang/crypto';
import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { GOVERNANCE_MODULE } from './formats.js';

/**
 * Equivocation evidence: two consensus votes one validator signed for the same height, round
 * and type but different values. Any member may submit it (`governance/evidence`); execution
 * checks both signatures over the consensus sign bytes against that height's validator set
 * and records it once, so the proof lives in the state like any other record.
 */

/** One signed vote as the consensus core holds it (value 32 bytes, or absent for nil). */
export const SignedVote = struct('SignedVote', {
  type: literals('VoteType', ['prevote', 'precommit'] as const),
  height: u64,
  round: u32,
  value: optional(fixedBytes(32)),
  validator: u32,
  signature: bytes({ max: 8192 }),
});
export type SignedVote = Infer<typeof SignedVote>;

/** The `governance/evidence` message: both conflicting votes, in the order they were seen. */
export const Evidence = struct('Evidence', { first: SignedVote, second: SignedVote });
export type Evidence = Infer<typeof Evidence>;

/** What the chain keeps of a proven equivocation. */
export const EvidenceRecord = struct('EvidenceRecord', {
  id: u64,
  voteType: literals('VoteType', ['prevote', 'precommit'] as const),
  height: u64,
  round: u32,
  validatorIndex: u32,
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  name: string({ max: 64 }),
  first: SignedVote,
  second: SignedVote,
  /** Who submitted it, in which transaction and block. */
  reporter: string({ max: 64 }),
  txHash: string({ max: 64 }),
  committedAt: u64,
});
export type EvidenceRecord = Infer<typeof EvidenceRecord>;

/** State keys (module-relative): one record per validator, height, round and type; a numbered log for listing. */
export const EVIDENCE_KEYS = {
  record: (height: bigint, round: number, type: string, validatorAddress: string) =>
    `evidence/${height}/${round}/${type}/${validatorAddress}`,
  count: 'evidence-count',
  log: (id: bigint) => `evidence-log/${id}`,
} as const;

/** The message from the driver's evidence (`onEvidence(first, second)`). */
export function evidenceFromVotes(first: Signed<ConsensusVote>, second: Signed<ConsensusVote>): Evidence {
  const one = (v: Signed<ConsensusVote>): SignedVote => ({
    type: v.message.type,
    height: BigInt(v.message.height),
    round: v.message.round,
    ...(v.message.value === null ? {} : { value: hexToBytes(v.message.value) }),
    validator: v.message.validator,
    signature: v.signature,
  });
  return { first: one(first), second: one(second) };
}

/** A signed vote as the consensus core takes it (for its sign bytes). */
export function voteOf(v: SignedVote): ConsensusVote {
  return {
    type: v.type,
    height: Number(v.height),
    round: v.round,
    value: v.value === undefined ? null : bytesToHex(v.value),
    validator: v.validator,
  };
}

const { address, hex, u64: u64Text } = Schemas;

const SignedVoteSchema = Type.Object({
  type: Type.Union([Type.Literal('prevote'), Type.Literal('precommit')]),
  height: u64Text(),
  round: Type.Integer({ minimum: 0 }),
  value: Type.Union([hex('the block hash voted for'), Type.Null()], { description: 'null: a vote for nil' }),
  validator: Type.Integer({ minimum: 0, description: "index in the height's validator set" }),
  signature: hex(),
});

export const EvidenceSchema = Type.Object({
  id: u64Text('order in which the chain recorded it (1, 2, ...)'),
  voteType: Type.Union([Type.Literal('prevote'), Type.Literal('precommit')]),
  height: u64Text(),
  round: Type.Integer({ minimum: 0 }),
  validator: Type.Object({
    index: Type.Integer({ minimum: 0 }),
    name: Type.String(),
    suite: Type.String(),
    publicKey: hex(),
    address: address(),
  }),
  first: SignedVoteSchema,
  second: SignedVoteSchema,
  reporter: address(),
  txHash: hex(),
  committedAt: u64Text('height of the block that recorded it'),
});

export const EvidenceQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'evidence',
  summary: 'Equivocation evidence recorded on chain, newest first (limit 1-100, default 50)',
  params: Type.Object({ limit: Type.Optional(Schemas.integer(1, 100)) }),
  result: Type.Array(EvidenceSchema),
});
