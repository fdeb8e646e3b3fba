import { readFileSync } from 'node:fs';
import { decode, encode, u32, u64 } from '@pujiang/codec';
import { defineQuery, type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { commit, coordinates, decodeJub, encodeJub, IDENTITY, type JubPoint } from '../babyjub.js';
import {
  type Accept,
  AUDITOR_PARAM,
  balanceKey,
  InboxEntry,
  inboxCountKey,
  inboxKey,
  MINTERS_PARAM,
  type Mint,
  Minters,
  type RegisterViewKey,
  SUPPLY_CAP,
  SUPPLY_KEY,
  type Transfer,
  viewKeyKey,
} from '../formats.js';
import { loadVerificationKey, type SnarkjsVerificationKey, verifyGroth16 } from '../groth16.js';
import { BalanceQuery, InboxQuery, ParamsQuery } from '../schemas.js';

/**
 * The token's balances are commitments; the chain adds and subtracts them and never sees an
 * amount but a minted one. A transfer's proof is checked against the sender's balance as it
 * is now (a public input), so a proof for an older balance, another sender or another amount
 * commitment proves nothing.
 */
const VERIFICATION_KEY = loadVerificationKey(
  JSON.parse(
    readFileSync(new URL('../../../keys/verification_key.json', import.meta.url), 'utf8'),
  ) as SnarkjsVerificationKey,
);

/** Three pairings, the precomputed e(α, β) and the public-input combination: 38 ms measured, at about 100 gas per microsecond. */
export const VERIFY_GAS = 4_000_000;
const POINT_GAS = 150_000;

export function readBalance(read: StateRead, addressHex: string): JubPoint {
  const bytes = read(balanceKey(addressHex));
  return bytes ? decodeJub(bytes, 'balance') : IDENTITY;
}

/** Puts a credit in the receiver's inbox; its balance changes only when it accepts it. */
function credit(
  ctx: MessageContext,
  to: string,
  amount: JubPoint,
  entry: Omit<InboxEntry, 'amount' | 'height' | 'accepted'>,
): void {
  const count = ctx.get(inboxCountKey(to));
  const seq = count ? decode(u32, count) : 0;
  const record: InboxEntry = { ...entry, amount: encodeJub(amount), height: ctx.height, accepted: false };
  ctx.set(inboxKey(to, seq), encode(InboxEntry, record));
  ctx.set(inboxCountKey(to), encode(u32, seq + 1));
}

export function accept(ctx: MessageContext, m: Accept): void {
  if (m.seqs.length === 0 || new Set(m.seqs).size !== m.seqs.length)
    throw moduleError('CONFIDENTIAL_BAD_TRANSFER', 'accept names 1 to 64 distinct inbox entries');
  ctx.consume((m.seqs.length + 1) * POINT_GAS, 'accept');
  let balance = readBalance((k) => ctx.get(k), ctx.sender);
  for (const seq of m.seqs) {
    const stored = ctx.get(inboxKey(ctx.sender, seq));
    if (!stored) throw moduleError('CONFIDENTIAL_BAD_TRANSFER', `there is no inbox entry ${seq}`, { seq });
    const entry = decode(InboxEntry, stored);
    if (entry.accepted)
      throw moduleError('CONFIDENTIAL_BAD_TRANSFER', `inbox entry ${seq} was accepted`, { seq });
    balance = balance.add(decodeJub(entry.amount, 'amount'));
    ctx.set(inboxKey(ctx.sender, seq), encode(InboxEntry, { ...entry, accepted: true }));
  }
  ctx.set(balanceKey(ctx.sender), encodeJub(balance));
  ctx.emit('accepted', { account: ctx.sender, entries: String(m.seqs.length) });
}

export function mint(ctx: MessageContext, m: Mint): void {
  const minters = ctx.get(`params/${MINTERS_PARAM}`);
  if (!minters || !decode(Minters, minters).some((a) => bytesToHex(a) === ctx.sender))
    throw moduleError('CONFIDENTIAL_NOT_MINTER', 'governance has not made the sender a minter');
  const supplied = ctx.get(SUPPLY_KEY);
  const supply = (supplied ? decode(u64, supplied) : 0n) + m.amount;
  if (m.amount > 0n && supply > SUPPLY_CAP)
    throw moduleError(
      'CONFIDENTIAL_SUPPLY_CAP',
      'the total ever minted stays below 2^64 (every balance must)',
      {
        supply: supply.toString(),
      },
    );
  if (m.amount === 0n || m.amount >= 2n ** 64n)
    throw moduleError('CONFIDENTIAL_BAD_AMOUNT', 'a minted amount is 1 to 2^64 - 1');
  ctx.consume(2 * POINT_GAS, 'mint');
  ctx.set(SUPPLY_KEY, encode(u64, supply));
  const to = bytesToHex(m.to);
  credit(ctx, to, commit(m.amount, 0n), {
    from: hexToBytes(ctx.sender),
    minted: m.amount,
    memo: new Uint8Array(0),
    memoAuditor: new Uint8Array(0),
  });
  ctx.emit('minted', { to, amount: m.amount.toString() });
}

export function transfer(ctx: MessageContext, m: Transfer): void {
  if (!ctx.get(`params/${AUDITOR_PARAM}`))
    throw moduleError('CONFIDENTIAL_NO_AUDITOR', 'governance has not set the auditor view key');
  const to = bytesToHex(m.to);
  if (to === ctx.sender) throw moduleError('CONFIDENTIAL_BAD_TRANSFER', 'a transfer goes to another account');
  ctx.consume(VERIFY_GAS + 4 * POINT_GAS, 'transfer proof');
  const amount = decodeJub(m.amount, 'amount');
  const balance = readBalance((k) => ctx.get(k), ctx.sender);
  const inputs = [...coordinates(balance), ...coordinates(amount)];
  if (!verifyGroth16(VERIFICATION_KEY, m.proof, inputs))
    throw moduleError(
      'CONFIDENTIAL_BAD_PROOF',
      'the transfer proof does not verify against the balance and amount',
      {
        sender: ctx.sender,
      },
    );
  ctx.set(balanceKey(ctx.sender), encodeJub(balance.subtract(amount)));
  credit(ctx, to, amount, {
    from: hexToBytes(ctx.sender),
    minted: 0n,
    memo: m.memoTo,
    memoAuditor: m.memoAuditor,
  });
  ctx.emit('transferred', { from: ctx.sender, to });
}

export function registerViewKey(ctx: MessageContext, m: RegisterViewKey): void {
  ctx.set(viewKeyKey(ctx.sender), m.key);
  ctx.emit('viewKey', { account: ctx.sender, key: bytesToHex(m.key) });
}

export const balanceQuery = defineQuery({
  ...BalanceQuery,
  run: (read, { address }) => {
    const bytes = read(balanceKey(address));
    const view = read(viewKeyKey(address));
    return { commitment: bytesToHex(bytes ?? encodeJub(IDENTITY)), viewKey: view ? bytesToHex(view) : null };
  },
});

export const inboxQuery = defineQuery({
  ...InboxQuery,
  run: (read, { address, from }) => {
    const count = read(inboxCountKey(address));
    const total = count ? decode(u32, count) : 0;
    const entries = [];
    for (let seq = from ?? 0; seq < Math.min(total, (from ?? 0) + 100); seq++) {
      const e = decode(InboxEntry, read(inboxKey(address, seq)) as Uint8Array);
      entries.push({
        seq,
        from: bytesToHex(e.from),
        amount: bytesToHex(e.amount),
        minted: e.minted.toString(),
        memo: bytesToHex(e.memo),
        memoAuditor: bytesToHex(e.memoAuditor),
        height: e.height.toString(),
        accepted: e.accepted,
      });
    }
    return { count: total, entries };
  },
});

export const paramsQuery = defineQuery({
  ...ParamsQuery,
  run: (read) => {
    const minters = read(`params/${MINTERS_PARAM}`);
    const auditor = read(`params/${AUDITOR_PARAM}`);
    const supply = read(SUPPLY_KEY);
    return {
      minters: minters ? decode(Minters, minters).map(bytesToHex) : [],
      auditor: auditor ? bytesToHex(auditor) : null,
      supply: (supply ? decode(u64, supply) : 0n).toString(),
    };
  },
});
