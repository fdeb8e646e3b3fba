import {
  bool,
  bytes,
  fixedBytes,
  type Infer,
  list,
  literals,
  string,
  struct,
  u8,
  u32,
  u64,
  union,
} from '@pujiang/codec';
import { ADDRESS_LENGTH } from '@pujiang/crypto';

/**
 * The `privacy` module's formats: Paillier keys and aggregation rounds (members submit
 * encrypted values, the chain sums them), the regulator committee (its threshold ElGamal key
 * from a distributed key generation, reshared when governance changes the members) and
 * decryption requests the committee answers with proven partial decryptions.
 */
export const PRIVACY_MODULE = 'privacy';

export const PRIVACY_LIMITS = {
  id: 64,
  label: 128,
  reason: 256,
  submitters: 4096,
  orgs: 64,
  committee: 32,
  modulusBytes: 512,
} as const;

/** Ids of keys, rounds and requests: lowercase letters, digits, `.`, `_`, `-`. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const Address = fixedBytes(ADDRESS_LENGTH);
const Point = fixedBytes(32);
const Proof = fixedBytes(64);
const Id = string({ max: PRIVACY_LIMITS.id });

export const SCHEMES = ['paillier', 'committee'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** `privacy/registerKey`: a Paillier public key (its modulus n), owned by the sender. */
export const RegisterKey = struct('RegisterKey', {
  id: Id,
  modulus: bytes({ max: PRIVACY_LIMITS.modulusBytes }),
  label: string({ max: PRIVACY_LIMITS.label }),
});
export type RegisterKey = Infer<typeof RegisterKey>;

export const KeyRecord = struct('KeyRecord', {
  id: Id,
  owner: Address,
  modulus: bytes({ max: PRIVACY_LIMITS.modulusBytes }),
  label: string({ max: PRIVACY_LIMITS.label }),
  height: u64,
});
export type KeyRecord = Infer<typeof KeyRecord>;

/**
 * `privacy/openRound`: an aggregation. Paillier rounds name a registered key (its owner
 * decrypts the total); committee rounds encrypt to the committee's key (t members decrypt
 * the total). Who may submit: the listed addresses, and valid identities of the listed
 * organizations, each at most `maxPerSubmitter` times, before height `closesAt`.
 */
export const OpenRound = struct('OpenRound', {
  id: Id,
  scheme: literals('Scheme', SCHEMES),
  key: string({ max: PRIVACY_LIMITS.id }),
  submitters: list(Address, { max: PRIVACY_LIMITS.submitters }),
  orgs: list(string({ max: 64 }), { max: PRIVACY_LIMITS.orgs }),
  maxPerSubmitter: u32,
  closesAt: u64,
  label: string({ max: PRIVACY_LIMITS.label }),
});
export type OpenRound = Infer<typeof OpenRound>;

export const RoundRecord = struct('RoundRecord', {
  id: Id,
  opener: Address,
  scheme: literals('Scheme', SCHEMES),
  /** Paillier: the key's id. Committee: empty (the key is `publicKey`). */
  key: string({ max: PRIVACY_LIMITS.id }),
  /** Committee rounds: the committee's public key when the round opened. */
  publicKey: bytes({ max: 32 }),
  orgs: list(string({ max: 64 }), { max: PRIVACY_LIMITS.orgs }),
  maxPerSubmitter: u32,
  closesAt: u64,
  label: string({ max: PRIVACY_LIMITS.label }),
  openedAt: u64,
});
export type RoundRecord = Infer<typeof RoundRecord>;

/** A round's running sum: its count and the encrypted total (Paillier c, or ElGamal c1 || c2). */
export const RoundTotal = struct('RoundTotal', {
  count: u32,
  total: bytes({ max: 2 * PRIVACY_LIMITS.modulusBytes }),
});
export type RoundTotal = Infer<typeof RoundTotal>;

/** A decrypted total, proven on chain (Paillier: its opening; committee: the blind). */
export const RoundResult = struct('RoundResult', {
  value: bytes({ max: PRIVACY_LIMITS.modulusBytes }),
  by: Address,
  height: u64,
});
export type RoundResult = Infer<typeof RoundResult>;

/** `privacy/submit`: one encrypted value (Paillier: c; committee: c1 || c2 with the proof of r). */
export const Submit = struct('Submit', {
  round: Id,
  ciphertext: bytes({ max: 2 * PRIVACY_LIMITS.modulusBytes }),
  proof: bytes({ max: 64 }),
});
export type Submit = Infer<typeof Submit>;

export const CloseRound = struct('CloseRound', { round: Id });
export type CloseRound = Infer<typeof CloseRound>;

/** `privacy/publishTotal`: the Paillier key's owner opens a closed round's total (value and r). */
export const PublishTotal = struct('PublishTotal', {
  round: Id,
  value: bytes({ max: PRIVACY_LIMITS.modulusBytes }),
  randomness: bytes({ max: PRIVACY_LIMITS.modulusBytes }),
});
export type PublishTotal = Infer<typeof PublishTotal>;

/** The committee, a parameter governance sets by proposal: members in order (index = position + 1). */
export const CommitteeParam = struct('CommitteeParam', {
  members: list(Address, { max: PRIVACY_LIMITS.committee }),
  threshold: u8,
  /** Blocks each phase of a key generation lasts: dealing, complaints, answers. */
  phaseBlocks: u32,
});
export type CommitteeParam = Infer<typeof CommitteeParam>;
export const COMMITTEE_PARAM = 'committee';

/** `privacy/registerMemberKey`: the sender's committee key (ristretto255), with a proof of its secret. */
export const RegisterMemberKey = struct('RegisterMemberKey', { key: Point, proof: Proof });
export type RegisterMemberKey = Infer<typeof RegisterMemberKey>;

export const EPOCH_STATUSES = ['dealing', 'done', 'failed'] as const;

/** A key generation (or resharing) for one committee: who deals, who receives, its outcome. */
export const EpochRecord = struct('EpochRecord', {
  number: u32,
  members: list(Address, { max: PRIVACY_LIMITS.committee }),
  memberKeys: list(Point, { max: PRIVACY_LIMITS.committee }),
  threshold: u8,
  phaseBlocks: u32,
  start: u64,
  /** The epoch whose shares are reshared (0: a fresh key). */
  previous: u32,
  dealers: list(Address, { max: PRIVACY_LIMITS.committee }),
  /** Valid deals needed: t for a fresh key, the previous epoch's t for a resharing. */
  dealersNeeded: u8,
  status: literals('EpochStatus', EPOCH_STATUSES),
  /** When done: the joint commitments (the first is the committee's public key). */
  commitments: list(Point, { max: PRIVACY_LIMITS.committee }),
  /** When done: the dealers (1-based indexes among `dealers`) whose deals count. */
  qualified: list(u8, { max: PRIVACY_LIMITS.committee }),
});
export type EpochRecord = Infer<typeof EpochRecord>;

/** `privacy/deal`: a dealer's commitments, its ephemeral key and a sealed share per member. */
export const Deal = struct('Deal', {
  epoch: u32,
  commitments: list(Point, { max: PRIVACY_LIMITS.committee }),
  ephemeral: Point,
  shares: list(fixedBytes(32), { max: PRIVACY_LIMITS.committee }),
  /** Proof of knowledge of the constant term (its log base G is A_0). */
  proof: Proof,
});
export type Deal = Infer<typeof Deal>;

export const Complain = struct('Complain', { epoch: u32, dealer: u8 });
export type Complain = Infer<typeof Complain>;

/** `privacy/reveal`: a dealer answers a complaint with the share in the clear. */
export const Reveal = struct('Reveal', { epoch: u32, receiver: u8, share: fixedBytes(32) });
export type Reveal = Infer<typeof Reveal>;

export const ComplaintRecord = struct('ComplaintRecord', {
  resolved: bool,
  share: bytes({ max: 32 }),
});
export type ComplaintRecord = Infer<typeof ComplaintRecord>;

export const Finalize = struct('Finalize', { epoch: u32 });
export type Finalize = Infer<typeof Finalize>;

/** What a decryption request opens: a committee round's total, or one flagged ciphertext. */
export const DecryptionTarget = union('DecryptionTarget', {
  round: Id,
  record: fixedBytes(64),
});
export type DecryptionTarget = Infer<typeof DecryptionTarget>;

/**
 * `privacy/requestDecryption`: the committee decrypts `blinded` = b·c1 (b known only to the
 * requester, proven by a proof of knowledge of b over c1), so only the requester learns the
 * plaintext, while the chain records who asked to open what, and why.
 */
export const RequestDecryption = struct('RequestDecryption', {
  id: Id,
  target: DecryptionTarget,
  reason: string({ max: PRIVACY_LIMITS.reason }),
  blinded: Point,
  proof: Proof,
});
export type RequestDecryption = Infer<typeof RequestDecryption>;

export const RequestRecord = struct('RequestRecord', {
  id: Id,
  requester: Address,
  epoch: u32,
  target: DecryptionTarget,
  ciphertext: fixedBytes(64),
  blinded: Point,
  reason: string({ max: PRIVACY_LIMITS.reason }),
  height: u64,
  /** Member indexes whose partial decryptions verified, in arrival order. */
  partials: list(u8, { max: PRIVACY_LIMITS.committee }),
  /** Once t partials verified: Σ λ_j·D_j = s·b·c1 (empty before). */
  combined: bytes({ max: 32 }),
  /** When the requester published it: the plaintext, big-endian (empty before). */
  value: bytes({ max: 8 }),
});
export type RequestRecord = Infer<typeof RequestRecord>;

/** `privacy/partialDecrypt`: D = s_j·blinded with a proof that log_G(Y_j) = log_blinded(D). */
export const PartialDecrypt = struct('PartialDecrypt', { request: Id, share: Point, proof: Proof });
export type PartialDecrypt = Infer<typeof PartialDecrypt>;

/** `privacy/publishDecryption`: the requester publishes the plaintext and the blind that proves it. */
export const PublishDecryption = struct('PublishDecryption', {
  request: Id,
  value: u64,
  blind: fixedBytes(32),
});
export type PublishDecryption = Infer<typeof PublishDecryption>;

export const keyKey = (id: string): string => `key/${id}`;
export const memberKeyKey = (addressHex: string): string => `member/${addressHex}`;
export const roundKey = (id: string): string => `round/${id}`;
export const roundTotalKey = (id: string): string => `total/${id}`;
export const roundResultKey = (id: string): string => `result/${id}`;
export const submitterKey = (round: string, addressHex: string): string => `submitter/${round}/${addressHex}`;
export const LATEST_EPOCH_KEY = 'committee/latest';
export const CURRENT_EPOCH_KEY = 'committee/current';
export const epochKey = (n: number): string => `epoch/${n}`;
export const dealKey = (epoch: number, dealer: number): string => `deal/${epoch}/${dealer}`;
export const complaintKey = (epoch: number, dealer: number, receiver: number): string =>
  `complaint/${epoch}/${dealer}/${receiver}`;
export const requestKey = (id: string): string => `request/${id}`;
export const partialKey = (id: string, member: number): string => `partial/${id}/${member}`;

/** A deal as stored, with the height it landed at. */
export const StoredDeal = struct('StoredDeal', {
  epoch: u32,
  commitments: list(Point, { max: PRIVACY_LIMITS.committee }),
  ephemeral: Point,
  shares: list(fixedBytes(32), { max: PRIVACY_LIMITS.committee }),
  proof: Proof,
  height: u64,
});
export type StoredDeal = Infer<typeof StoredDeal>;
