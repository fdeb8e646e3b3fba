import { bytes, fixedBytes, type Infer, literals, string, struct, u64 } from '@pujiang/codec';

/**
 * Hash time-locked contracts on this chain, for atomic exchange with chains that run no light
 * client of ours (an EVM chain): funds locked under SHA-256(preimage), paid to the receiver
 * against the preimage before the time-lock, or back to the sender after it. SHA-256, because
 * the EVM has it as a precompile: the same hash lock works on both chains.
 */
export const HTLC_STATES = ['LOCKED', 'CLAIMED', 'REFUNDED'] as const;

export const HtlcLock = struct('XchainHtlcLock', {
  receiver: string({ max: 64 }),
  denom: string({ max: 64 }),
  amount: string({ max: 78 }),
  hashlock: fixedBytes(32),
  /** This chain's block time (ms since the epoch) from which the sender may refund, and no claim is taken. */
  timelock: u64,
});
export type HtlcLock = Infer<typeof HtlcLock>;

export const HtlcClaim = struct('XchainHtlcClaim', { id: fixedBytes(32), preimage: bytes({ max: 256 }) });
export type HtlcClaim = Infer<typeof HtlcClaim>;
export const HtlcRefund = struct('XchainHtlcRefund', { id: fixedBytes(32) });
export type HtlcRefund = Infer<typeof HtlcRefund>;

export const HtlcRecord = struct('XchainHtlcRecord', {
  sender: string({ max: 64 }),
  receiver: string({ max: 64 }),
  denom: string({ max: 64 }),
  amount: string({ max: 78 }),
  hashlock: fixedBytes(32),
  timelock: u64,
  state: literals('HtlcState', HTLC_STATES),
  /** Revealed by the claim: the other leg of the exchange claims with it. */
  preimage: bytes({ max: 256 }),
});
export type HtlcRecord = Infer<typeof HtlcRecord>;

/** An HTLC's id is its locking transaction's hash. */
export const htlcKey = (idHex: string) => `htlc/${idHex}`;
export const htlcHoldId = (idHex: string) => `htlc:${idHex}`;
