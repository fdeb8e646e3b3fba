import { decode, encode } from '@pujiang/codec';
import { hash } from '@pujiang/crypto';
import { DENOM, NATIVE_DENOM } from '@pujiang/module-bank';
import { defineQuery, type MessageContext } from '@pujiang/module-kit';
import { bytesToHex, equalBytes } from '@pujiang/types';
import { xchainError } from '../errors.js';
import {
  type HtlcClaim,
  type HtlcLock,
  HtlcRecord,
  type HtlcRefund,
  htlcHoldId,
  htlcKey,
} from '../htlc-formats.js';
import { htlcQueryContract } from '../htlc-schemas.js';

/**
 * HTLCs: the sender's funds go into a hold of this module (the bank's escrow); the receiver
 * is paid against the preimage while the time-lock has not passed; after it, the sender is
 * refunded. Each settles once: a second claim or refund finds it settled.
 */
const ADDRESS = /^[0-9a-f]{42}$/;
const AMOUNT = /^[1-9][0-9]{0,77}$/;

function load(ctx: MessageContext, id: Uint8Array): HtlcRecord {
  const bytes = ctx.get(htlcKey(bytesToHex(id)));
  if (!bytes) throw xchainError('XCHAIN_HTLC_UNKNOWN', undefined, { id: bytesToHex(id) });
  const record = decode(HtlcRecord, bytes);
  if (record.state !== 'LOCKED')
    throw xchainError('XCHAIN_HTLC_SETTLED', `the HTLC was ${record.state.toLowerCase()}`, {
      id: bytesToHex(id),
      state: record.state,
    });
  return record;
}

export function htlcLock(ctx: MessageContext, m: HtlcLock): void {
  if (!ADDRESS.test(m.receiver)) throw xchainError('XCHAIN_BAD_HTLC', 'the receiver is not an address');
  if (!AMOUNT.test(m.amount))
    throw xchainError('XCHAIN_BAD_HTLC', 'the amount is a positive decimal integer');
  if (m.denom !== NATIVE_DENOM && !DENOM.test(m.denom))
    throw xchainError('XCHAIN_BAD_HTLC', `${m.denom} is not a denomination`);
  if (m.timelock <= ctx.time) throw xchainError('XCHAIN_BAD_HTLC', 'the time-lock is in the past');
  const id = ctx.txHash;
  ctx.call('bank', 'escrow', { id: htlcHoldId(id), from: ctx.sender, denom: m.denom, amount: m.amount });
  ctx.set(
    htlcKey(id),
    encode(HtlcRecord, { ...m, sender: ctx.sender, state: 'LOCKED', preimage: new Uint8Array() }),
  );
  ctx.emit('htlcLocked', {
    id,
    sender: ctx.sender,
    receiver: m.receiver,
    denom: m.denom,
    amount: m.amount,
    hashlock: bytesToHex(m.hashlock),
    timelock: String(m.timelock),
  });
}

export function htlcClaim(ctx: MessageContext, m: HtlcClaim): void {
  const record = load(ctx, m.id);
  const id = bytesToHex(m.id);
  if (ctx.time >= record.timelock)
    throw xchainError('XCHAIN_HTLC_EXPIRED', undefined, { id, timelock: String(record.timelock) });
  // Exactly 32 bytes, as HashTimeLock.sol takes: a preimage one chain accepts, the other must too.
  if (m.preimage.length !== 32 || !equalBytes(hash('sha256', m.preimage), record.hashlock))
    throw xchainError('XCHAIN_HTLC_WRONG_PREIMAGE', undefined, { id });
  ctx.call('bank', 'release', { id: htlcHoldId(id), to: record.receiver });
  ctx.set(htlcKey(id), encode(HtlcRecord, { ...record, state: 'CLAIMED', preimage: m.preimage }));
  ctx.emit('htlcClaimed', { id, receiver: record.receiver, preimage: bytesToHex(m.preimage) });
}

export function htlcRefund(ctx: MessageContext, m: HtlcRefund): void {
  const record = load(ctx, m.id);
  const id = bytesToHex(m.id);
  if (ctx.time < record.timelock)
    throw xchainError('XCHAIN_HTLC_NOT_EXPIRED', undefined, { id, timelock: String(record.timelock) });
  ctx.call('bank', 'refund', { id: htlcHoldId(id) });
  ctx.set(htlcKey(id), encode(HtlcRecord, { ...record, state: 'REFUNDED' }));
  ctx.emit('htlcRefunded', { id, sender: record.sender });
}

export const htlcQuery = defineQuery({
  ...htlcQueryContract,
  run: (read, { id }) => {
    const bytes = read(htlcKey(id));
    if (!bytes) return { htlc: null };
    const r = decode(HtlcRecord, bytes);
    return {
      htlc: {
        ...r,
        hashlock: bytesToHex(r.hashlock),
        timelock: String(r.timelock),
        preimage: r.state === 'CLAIMED' ? bytesToHex(r.preimage) : null,
      },
    };
  },
});
