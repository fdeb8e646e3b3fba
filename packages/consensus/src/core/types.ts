/**
 * Messages and state of the Tendermint core (arXiv:1807.04938, Algorithm 1). Values are
 * identified by their id (the block hash, hex); the core never sees block bytes. Validators
 * are identified by their index in the height's validator set.
 */
export type ValueId = string;
export type VoteType = 'prevote' | 'precommit';
export type Step = 'propose' | 'prevote' | 'precommit';
export type TimeoutKind = 'propose' | 'prevote' | 'precommit';

export interface Proposal {
  readonly height: number;
  readonly round: number;
  readonly value: ValueId;
  /** -1 when the proposer holds no valid value from an earlier round. */
  readonly validRound: number;
  readonly proposer: number;
}

export interface Vote {
  readonly type: VoteType;
  readonly height: number;
  readonly round: number;
  /** null is a vote for nil. */
  readonly value: ValueId | null;
  readonly validator: number;
}

/** A message with its signature; the driver has verified the signature before the core sees it. */
export interface Signed<M> {
  readonly message: M;
  readonly signature: Uint8Array;
}

export interface ValidatorSet {
  /** Voting power of validator i; the index order is the only iteration order the core uses. */
  readonly powers: readonly number[];
  /** Proposer priorities at round 0 of the height (weighted round robin state). */
  readonly priorities: readonly number[];
}

export interface TimeoutConfig {
  readonly proposeMs: number;
  readonly proposeDeltaMs: number;
  readonly prevoteMs: number;
  readonly prevoteDeltaMs: number;
  readonly precommitMs: number;
  readonly precommitDeltaMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutConfig = {
  proposeMs: 1000,
  proposeDeltaMs: 500,
  prevoteMs: 500,
  prevoteDeltaMs: 250,
  precommitMs: 500,
  precommitDeltaMs: 250,
};

/** A commit certificate: precommits for one value at one round holding more than 2/3 of the power. */
export interface CommitCertificate {
  readonly height: number;
  readonly round: number;
  readonly value: ValueId;
  readonly precommits: readonly Signed<Vote>[];
}

export type Input =
  /** Begin a height (after genesis, or after the previous height was committed); `self` is our index, if we validate. */
  | {
      readonly type: 'startHeight';
      readonly height: number;
      readonly validators: ValidatorSet;
      readonly self?: number;
    }
  | { readonly type: 'proposal'; readonly proposal: Signed<Proposal> }
  | { readonly type: 'vote'; readonly vote: Signed<Vote> }
  | { readonly type: 'timeout'; readonly kind: TimeoutKind; readonly height: number; readonly round: number }
  | {
      readonly type: 'proposeValue';
      readonly height: number;
      readonly round: number;
      readonly value: ValueId;
    }
  | {
      readonly type: 'valueVerdict';
      readonly height: number;
      readonly value: ValueId;
      readonly valid: boolean;
    }
  /** Our own message, signed by the driver, comes back as an input so that it is counted. */
  | {
      readonly type: 'ownSigned';
      readonly message: Signed<Proposal> | Signed<Vote>;
      readonly kind: 'proposal' | 'vote';
    };

export type Effect =
  /** Make the message durable (WAL + fsync) before it is signed; always directly precedes signAndBroadcast. */
  | { readonly type: 'persist'; readonly message: Proposal | Vote; readonly kind: 'proposal' | 'vote' }
  | {
      readonly type: 'signAndBroadcast';
      readonly message: Proposal | Vote;
      readonly kind: 'proposal' | 'vote';
    }
  | {
      readonly type: 'scheduleTimeout';
      readonly kind: TimeoutKind;
      readonly height: number;
      readonly round: number;
      readonly durationMs: number;
    }
  | { readonly type: 'requestValue'; readonly height: number; readonly round: number }
  | {
      readonly type: 'validateValue';
      readonly height: number;
      readonly round: number;
      readonly value: ValueId;
    }
  | { readonly type: 'decide'; readonly certificate: CommitCertificate }
  | { readonly type: 'evidence'; readonly first: Signed<Vote>; readonly second: Signed<Vote> }
  /** We saw a message from a later height: ask peers for decided blocks from `fromHeight` on. */
  | { readonly type: 'requestDecided'; readonly fromHeight: number }
  /**
   * Ask peers for the proposal and votes they hold of this height and round: a round timed out
   * without a decision, or a proposal names a valid round whose prevotes we lack.
   */
  | { readonly type: 'requestVotes'; readonly height: number; readonly round: number };
