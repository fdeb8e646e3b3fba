import {
  bytes,
  fixedBytes,
  type Infer,
  list,
  literals,
  optional,
  string,
  struct,
  u32,
  u64,
} from '@pujiang/codec';
import type { CertifiedValidator } from '@pujiang/consensus';
import { HASH_ALGORITHMS, SUITE_IDS } from '@pujiang/crypto';
import { BlockHeader } from '@pujiang/protocol';

/** A client's id on its host chain: 1-64 of [a-z0-9-] (e.g. `customs-sm2`). */
export const CLIENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const Validator = struct('XchainValidator', {
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  power: u64,
});
export type Validator = Infer<typeof Validator>;
const Validators = list(Validator, { max: 1000 });

/**
 * A header as a relayer submits it: the header, its commit certificate (protocol's binary
 * form), the validators it says signed it, and, optionally, governance's validator-set record
 * read under it (the API's state-read JSON, UTF-8: the proof format clients already verify).
 */
export const Submission = struct('XchainSubmission', {
  header: BlockHeader,
  certificate: bytes({ max: 1 << 20 }),
  validators: Validators,
  nextValidatorsRead: bytes({ max: 64 * 1024 }),
});
export type Submission = Infer<typeof Submission>;

export const CreateClient = struct('XchainCreateClient', {
  clientId: string({ max: 64 }),
  chainId: string({ max: 64 }),
  chainHash: literals('HashAlgorithm', HASH_ALGORITHMS),
  trustingPeriodMs: u64,
  maxClockDriftMs: u64,
  trusted: Submission,
});
export type CreateClient = Infer<typeof CreateClient>;

export const UpdateClient = struct('XchainUpdateClient', {
  clientId: string({ max: 64 }),
  header: Submission,
});
export type UpdateClient = Infer<typeof UpdateClient>;

export const SubmitMisbehaviour = struct('XchainSubmitMisbehaviour', {
  clientId: string({ max: 64 }),
  a: Submission,
  b: Submission,
});
export type SubmitMisbehaviour = Infer<typeof SubmitMisbehaviour>;

/** Governance's recovery of a frozen or expired client: trust this header anew (module param `recover`). */
export const RecoverClient = struct('XchainRecoverClient', {
  clientId: string({ max: 64 }),
  trusted: Submission,
});
export type RecoverClient = Infer<typeof RecoverClient>;

/** Applies governance's recovery to the client it names (anyone may send it, once). */
export const ApplyRecovery = struct('XchainApplyRecovery', { clientId: string({ max: 64 }) });
export type ApplyRecovery = Infer<typeof ApplyRecovery>;

/**
 * A state read of the followed chain, proven under a header the client holds (the API's
 * state-read JSON, UTF-8): a notary anchor, a DID's record, a status list, any key.
 */
export const ProveState = struct('XchainProveState', {
  clientId: string({ max: 64 }),
  height: u64,
  read: bytes({ max: 64 * 1024 }),
});
export type ProveState = Infer<typeof ProveState>;

/** What the host keeps of a proven read: at which height of the followed chain, and the value (absent: proven absent). */
export const ProvenRecord = struct('XchainProvenRecord', {
  height: u64,
  value: optional(bytes({ max: 64 * 1024 })),
});
export type ProvenRecord = Infer<typeof ProvenRecord>;

export const provenKey = (id: string, keyHex: string) => `proven/${id}/${keyHex}`;

export const ClientRecord = struct('XchainClientRecord', {
  chainId: string({ max: 64 }),
  chainHash: literals('HashAlgorithm', HASH_ALGORITHMS),
  trustingPeriodMs: u64,
  maxClockDriftMs: u64,
  latestHeight: u64,
  frozenHeight: u64,
  /** Bumped by each recovery, so a recovery is applied once. */
  generation: u32,
});
export type ClientRecord = Infer<typeof ClientRecord>;

export const ConsensusRecord = struct('XchainConsensusRecord', {
  /** The client's generation when it accepted the header (a recovery starts a new one). */
  generation: u32,
  hash: fixedBytes(32),
  time: u64,
  stateRoot: fixedBytes(32),
  validators: Validators,
  nextValidators: optional(Validators),
});
export type ConsensusRecord = Infer<typeof ConsensusRecord>;

export const clientKey = (id: string) => `client/${id}`;
/** Heights zero-padded, so a client's consensus states list in height order. */
export const consensusKey = (id: string, height: number | bigint | string) =>
  `consensus/${id}/${String(height).padStart(20, '0')}`;
export const RECOVER_PARAM = 'recover';
export const recoveredKey = () => 'recover/applied';

export const toValidators = (vs: readonly Validator[]): CertifiedValidator[] =>
  vs.map((v) => ({ publicKey: { suite: v.suite, bytes: v.publicKey }, power: Number(v.power) }));

export const fromValidators = (vs: readonly CertifiedValidator[]): Validator[] =>
  vs.map((v) => ({ suite: v.publicKey.suite, publicKey: v.publicKey.bytes, power: BigInt(v.power) }));
