import { decode, encode, u64 } from '@pujiang/codec';
import { voteSignBytes } from '@pujiang/consensus';
import { deriveAddress, type HashAlgorithm, verify } from '@pujiang/crypto';
import { defineMessage, defineQuery, type MessageContext, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, equalBytes, PujiangError } from '@pujiang/types';
import {
  EVIDENCE_KEYS,
  Evidence,
  EvidenceQuery,
  EvidenceRecord,
  type SignedVote,
  voteOf,
} from '../evidence.js';
import { GOV_KEYS, ValidatorSetRecord } from '../formats.js';
import { readAs } from './registry.js';

/**
 * `governance/evidence`: equivocation evidence checked in execution and recorded once. Both
 * votes must be for the same height, round and type by the same validator index, for
 * different values, and both signatures must verify over the consensus sign bytes with the
 * key that index names in that height's validator set. The state keeps only the current
 * set, which is the set of every height from its `since`: evidence from before the last
 * change cannot be checked here and is refused as stale (`GOV_EVIDENCE_STALE`).
 */
export const EVIDENCE_ERRORS = {
  GOV_EVIDENCE_INVALID:
    'the two votes are not a conflict: another height, round, type or validator, or the same value',
  GOV_EVIDENCE_STALE:
    'the evidence is for a height the current validator set does not cover (before its last change, or not yet decided)',
  GOV_EVIDENCE_UNKNOWN_VALIDATOR: "the vote names no validator of that height's set",
  GOV_EVIDENCE_BAD_SIGNATURE: "a vote's signature does not verify with the validator's key",
  GOV_EVIDENCE_DUPLICATE: 'this equivocation is already recorded',
} as const;

export const EVIDENCE_EVENTS = {
  evidence: ['id', 'validator', 'name', 'height', 'round', 'voteType', 'first', 'second', 'reporter'],
} as const;

/** Gas per signature checked (an SM2 or ML-DSA verification costs well under this in CPU). */
export const EVIDENCE_SIGNATURE_GAS = 20_000;

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new PujiangError('GOV_EVIDENCE_INVALID', message, details);

function checkConflict(first: SignedVote, second: SignedVote): void {
  for (const field of ['type', 'height', 'round', 'validator'] as const)
    if (first[field] !== second[field])
      throw invalid(`the votes differ in ${field}`, {
        field,
        first: String(first[field]),
        second: String(second[field]),
      });
  const same =
    first.value === undefined || second.value === undefined
      ? first.value === second.value
      : equalBytes(first.value, second.value);
  if (same) throw invalid('both votes are for the same value');
}

function handleEvidence(ctx: MessageContext, m: Evidence): void {
  const { first, second } = m;
  checkConflict(first, second);
  const read = (k: string) => ctx.get(k);
  const set = readAs(read, GOV_KEYS.validators, ValidatorSetRecord);
  // Heights the block's state can speak for: from the set's start up to the block being executed.
  if (!set || first.height < set.since || first.height > ctx.height)
    throw new PujiangError('GOV_EVIDENCE_STALE', `evidence of height ${first.height} cannot be checked now`, {
      height: String(first.height),
      setSince: set ? String(set.since) : null,
      blockHeight: String(ctx.height),
    });
  const validator = set.validators[first.validator];
  if (!validator)
    throw new PujiangError(
      'GOV_EVIDENCE_UNKNOWN_VALIDATOR',
      `validator ${first.validator} is not in the set`,
      {
        index: first.validator,
        size: set.validators.length,
      },
    );
  const key = { suite: validator.suite, bytes: validator.publicKey };
  const validatorAddress = bytesToHex(deriveAddress(ctx.chainHash, key));
  const recordKey = EVIDENCE_KEYS.record(first.height, first.round, first.type, validatorAddress);
  if (ctx.get(recordKey) !== undefined)
    throw new PujiangError('GOV_EVIDENCE_DUPLICATE', 'this equivocation is already recorded', {
      height: String(first.height),
      round: first.round,
      voteType: first.type,
    });
  ctx.consume(2 * EVIDENCE_SIGNATURE_GAS, 'evidence signatures');
  for (const [which, vote] of [
    ['first', first],
    ['second', second],
  ] as const)
    if (!verify(key, voteSignBytes(ctx.chainId, voteOf(vote)), { suite: key.suite, bytes: vote.signature }))
      throw new PujiangError('GOV_EVIDENCE_BAD_SIGNATURE', `the ${which} vote's signature does not verify`, {
        vote: which,
      });
  const countBytes = ctx.get(EVIDENCE_KEYS.count);
  const id = (countBytes ? decode(u64, countBytes) : 0n) + 1n;
  const record: EvidenceRecord = {
    id,
    voteType: first.type,
    height: first.height,
    round: first.round,
    validatorIndex: first.validator,
    suite: validator.suite,
    publicKey: validator.publicKey,
    name: validator.name,
    first,
    second,
    reporter: ctx.sender,
    txHash: ctx.txHash,
    committedAt: ctx.height,
  };
  ctx.set(recordKey, encode(EvidenceRecord, record));
  ctx.set(EVIDENCE_KEYS.log(id), new TextEncoder().encode(recordKey));
  ctx.set(EVIDENCE_KEYS.count, encode(u64, id));
  const hexValue = (v: SignedVote) => (v.value === undefined ? 'nil' : bytesToHex(v.value));
  ctx.emit('evidence', {
    id: String(id),
    validator: validatorAddress,
    name: validator.name,
    height: String(first.height),
    round: String(first.round),
    voteType: first.type,
    first: hexValue(first),
    second: hexValue(second),
    reporter: ctx.sender,
  });
}

export const evidenceMessage = defineMessage(Evidence, handleEvidence);

/** Whether this equivocation is recorded (a node checks before it submits the same evidence again). */
export function evidenceRecorded(read: StateRead, m: Evidence): boolean {
  const set = readAs(read, GOV_KEYS.validators, ValidatorSetRecord);
  const validator = set?.validators[m.first.validator];
  if (!validator) return false;
  const address = bytesToHex(
    deriveAddress(chainHashOf(read), { suite: validator.suite, bytes: validator.publicKey }),
  );
  return read(EVIDENCE_KEYS.record(m.first.height, m.first.round, m.first.type, address)) !== undefined;
}

/** The chain's hash, which genesis writes under `hash` (see the module's `HASH_KEY`). */
const chainHashOf = (read: StateRead): HashAlgorithm =>
  new TextDecoder().decode(read('hash') ?? new Uint8Array()) === 'sm3' ? 'sm3' : 'sha256';

const voteJson = (v: SignedVote) => ({
  type: v.type,
  height: String(v.height),
  round: v.round,
  value: v.value === undefined ? null : bytesToHex(v.value),
  validator: v.validator,
  signature: bytesToHex(v.signature),
});

export const evidenceQuery = defineQuery({
  ...EvidenceQuery,
  run: (read, p) => {
    const countBytes = read(EVIDENCE_KEYS.count);
    const last = countBytes ? decode(u64, countBytes) : 0n;
    const limit = BigInt(p.limit ?? 50);
    const chainHash = chainHashOf(read);
    const out = [];
    for (let id = last; id >= 1n && id > last - limit; id--) {
      const key = read(EVIDENCE_KEYS.log(id));
      const bytes = key && read(new TextDecoder().decode(key));
      if (!bytes) continue;
      const r = decode(EvidenceRecord, bytes);
      out.push({
        id: String(r.id),
        voteType: r.voteType,
        height: String(r.height),
        round: r.round,
        validator: {
          index: r.validatorIndex,
          name: r.name,
          suite: r.suite,
          publicKey: bytesToHex(r.publicKey),
          address: bytesToHex(deriveAddress(chainHash, { suite: r.suite, bytes: r.publicKey })),
        },
        first: voteJson(r.first),
        second: voteJson(r.second),
        reporter: r.reporter,
        txHash: r.txHash,
        committedAt: String(r.committedAt),
      });
    }
    return out;
  },
});
