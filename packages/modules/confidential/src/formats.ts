import { bool, bytes, fixedBytes, type Infer, list, struct, u32, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH } from '@pujiang/crypto';

/**
 * The `confidential` module's formats: a token whose balances are Pedersen commitments on
 * Baby Jubjub. Minting is public (the amount is known); a transfer moves a commitment A from
 * the sender's balance to the receiver's, with a Groth16 proof that the sender knows the
 * openings, that A's amount is in [0, 2^64) and that what remains is in [0, 2^64). Memos
 * carry the amount and blind to the receiver and to the auditor's view key.
 */
export const CONFIDENTIAL_MODULE = 'confidential';

const Address = fixedBytes(ADDRESS_LENGTH);
const Jub = fixedBytes(64);
/** X25519 ephemeral key (32) + AES-256-GCM of amount (8) and blind (32) with its tag (16) and nonce (12). */
export const MEMO_BYTES = 32 + 12 + 40 + 16;

/** `confidential/mint`: a minter (a governance parameter) credits `amount` in the clear. */
export const Mint = struct('ConfidentialMint', { to: Address, amount: u64 });
export type Mint = Infer<typeof Mint>;

/** `confidential/transfer`: the amount commitment, its proof, and memos for the receiver and the auditor. */
export const Transfer = struct('ConfidentialTransfer', {
  to: Address,
  amount: Jub,
  proof: fixedBytes(256),
  memoTo: fixedBytes(MEMO_BYTES),
  memoAuditor: fixedBytes(MEMO_BYTES),
});
export type Transfer = Infer<typeof Transfer>;

/**
 * `confidential/accept`: the receiver adds inbox entries to its balance. Nothing is added
 * unasked, so a transfer with a memo its receiver cannot open (or a credit arriving while the
 * receiver proves a transfer) never spoils the receiver's balance: it just stays unaccepted.
 */
export const Accept = struct('ConfidentialAccept', { seqs: list(u32, { max: 64 }) });
export type Accept = Infer<typeof Accept>;

/** The most ever minted: balances stay below 2^64 as the circuit requires. */
export const SUPPLY_CAP = 2n ** 64n - 1n;
export const SUPPLY_KEY = 'supply';

/** `confidential/registerViewKey`: the X25519 key memos to the sender are sealed to. */
export const RegisterViewKey = struct('RegisterViewKey', { key: fixedBytes(32) });
export type RegisterViewKey = Infer<typeof RegisterViewKey>;

/** What a receiver finds in its inbox: who sent, the commitment moved, the memo sealed to it. */
export const InboxEntry = struct('InboxEntry', {
  from: Address,
  amount: Jub,
  /** Minted amounts are in the clear (memo empty); transfers carry a memo. */
  minted: u64,
  memo: bytes({ max: MEMO_BYTES }),
  memoAuditor: bytes({ max: MEMO_BYTES }),
  height: u64,
  accepted: bool,
});
export type InboxEntry = Infer<typeof InboxEntry>;

/** Governance parameters: who may mint, and the auditor's view key (X25519). */
export const Minters = list(Address, { max: 16 });
export const AuditorKey = fixedBytes(32);
export const MINTERS_PARAM = 'minters';
export const AUDITOR_PARAM = 'auditor';

export const balanceKey = (addressHex: string): string => `balance/${addressHex}`;
export const viewKeyKey = (addressHex: string): string => `viewkey/${addressHex}`;
export const inboxCountKey = (addressHex: string): string => `inbox-count/${addressHex}`;
export const inboxKey = (addressHex: string, seq: number): string => `inbox/${addressHex}/${seq}`;
