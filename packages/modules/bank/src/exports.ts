import { decode, encode } from '@pujiang/codec';
import { type CallContext, defineExport, moduleError, Type } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  DENOM,
  DenomRecord,
  decodeAmount,
  denomKey,
  encodeAmount,
  HOLD_ID,
  HoldRecord,
  holdKey,
  moduleAccount,
  NATIVE_DENOM,
} from './formats.js';
import { changeSupply, checkDenom, credit, debit, move } from './ledger.js';

/**
 * What other modules may call (when they import it): moving funds, holding them in escrow
 * for the calling module, and issuing denominations. A module may move only the funds of
 * the transaction's signer or of its own module account, and release only its own holds.
 */
const ADDRESS = /^[0-9a-f]{42}$/;

const Amount = Type.Union([Type.BigInt(), Type.String()]);
const Text = Type.String({ maxLength: 128 });

function amountOf(value: bigint | string): bigint {
  const amount = typeof value === 'bigint' ? value : /^[0-9]{1,78}$/.test(value) ? BigInt(value) : -1n;
  if (amount <= 0n) throw moduleError('BANK_ZERO_AMOUNT', 'an amount is a positive integer');
  return amount;
}

function address(value: string, name: string): string {
  if (!ADDRESS.test(value))
    throw moduleError('BANK_BAD_ADDRESS', `${name} is not an address`, { [name]: value });
  return value;
}

/** Funds a module may take: the signer's (of a transaction) or its own account's. */
function payer(ctx: CallContext, from: string): string {
  const own = moduleAccount(ctx.chainHash, ctx.caller);
  if (from !== ctx.sender && from !== own)
    throw moduleError('BANK_NOT_AUTHORIZED', `module ${ctx.caller} may not move the funds of ${from}`, {
      caller: ctx.caller,
      from,
    });
  return from;
}

function hold(ctx: CallContext, id: string): HoldRecord | undefined {
  if (!HOLD_ID.test(id)) throw moduleError('BANK_BAD_HOLD', `${id} is not a hold id`, { id });
  const bytes = ctx.get(holdKey(ctx.caller, id));
  return bytes ? decode(HoldRecord, bytes) : undefined;
}

export const bankExports = {
  transfer: defineExport(
    'Moves funds of the signer or of the calling module account to an address',
    Type.Object({ from: Text, to: Text, denom: Type.Optional(Text), amount: Amount }),
    (ctx, a) => {
      const denom = a.denom ?? NATIVE_DENOM;
      const amount = amountOf(a.amount);
      move(ctx, denom, payer(ctx, address(a.from, 'from')), address(a.to, 'to'), amount);
      ctx.emit('send', { from: a.from, to: a.to, denom, amount: String(amount) });
    },
  ),
  escrow: defineExport(
    "Holds funds of the signer (or the module's account) for the calling module under an id",
    Type.Object({ id: Text, from: Text, denom: Type.Optional(Text), amount: Amount }),
    (ctx, a) => {
      if (hold(ctx, a.id)) throw moduleError('BANK_HOLD_EXISTS', `hold ${a.id} exists`, { id: a.id });
      const denom = a.denom ?? NATIVE_DENOM;
      const amount = amountOf(a.amount);
      const from = payer(ctx, address(a.from, 'from'));
      checkDenom(ctx, denom);
      debit(ctx, denom, from, amount);
      ctx.set(
        holdKey(ctx.caller, a.id),
        encode(HoldRecord, { denom, amount: encodeAmount(amount), from: hexToBytes(from) }),
      );
      ctx.emit('escrowed', { module: ctx.caller, id: a.id, from, denom, amount: String(amount) });
    },
  ),
  release: defineExport(
    "Pays out of one of the calling module's holds (all that is left, or `amount`)",
    Type.Object({ id: Text, to: Text, amount: Type.Optional(Amount) }),
    (ctx, a) => {
      const record = hold(ctx, a.id);
      if (!record) throw moduleError('BANK_UNKNOWN_HOLD', `no hold ${a.id}`, { id: a.id });
      const held = decodeAmount(record.amount) ?? 0n;
      const amount = a.amount === undefined ? held : amountOf(a.amount);
      if (amount > held)
        throw moduleError('BANK_INSUFFICIENT_FUNDS', 'the hold is smaller than the amount', {
          held: String(held),
          amount: String(amount),
        });
      const to = address(a.to, 'to');
      credit(ctx, record.denom, to, amount);
      const left = held - amount;
      ctx.set(
        holdKey(ctx.caller, a.id),
        left === 0n ? undefined : encode(HoldRecord, { ...record, amount: encodeAmount(left) }),
      );
      ctx.emit('released', { module: ctx.caller, id: a.id, to, amount: String(amount) });
      return left;
    },
  ),
  refund: defineExport(
    "Returns what is left of one of the calling module's holds to whoever paid in",
    Type.Object({ id: Text }),
    (ctx, a) => {
      const record = hold(ctx, a.id);
      if (!record) throw moduleError('BANK_UNKNOWN_HOLD', `no hold ${a.id}`, { id: a.id });
      const amount = decodeAmount(record.amount) ?? 0n;
      const to = bytesToHex(record.from);
      credit(ctx, record.denom, to, amount);
      ctx.set(holdKey(ctx.caller, a.id), undefined);
      ctx.emit('refunded', { module: ctx.caller, id: a.id, to, amount: String(amount) });
    },
  ),
  createDenom: defineExport(
    'Creates a denomination the calling module issues (mints and burns)',
    Type.Object({ denom: Text, decimals: Type.Integer() }),
    (ctx, a) => {
      if (a.denom === NATIVE_DENOM || !DENOM.test(a.denom))
        throw moduleError('BANK_BAD_DENOM', `${a.denom} is not a denomination name`, { denom: a.denom });
      if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 36)
        throw moduleError('BANK_BAD_DENOM', 'decimals are 0 to 36', { decimals: a.decimals });
      if (ctx.get(denomKey(a.denom)))
        throw moduleError('BANK_DENOM_EXISTS', `${a.denom} exists`, { denom: a.denom });
      ctx.set(
        denomKey(a.denom),
        encode(DenomRecord, { issuer: ctx.caller, decimals: a.decimals, supply: new Uint8Array() }),
      );
      ctx.emit('denomCreated', { denom: a.denom, issuer: ctx.caller, decimals: String(a.decimals) });
    },
  ),
  mint: defineExport(
    'Mints a denomination the calling module issues',
    Type.Object({ to: Text, denom: Text, amount: Amount }),
    (ctx, a) => {
      const record = issued(ctx, a.denom);
      const amount = amountOf(a.amount);
      changeSupply(ctx, a.denom, record, amount);
      credit(ctx, a.denom, address(a.to, 'to'), amount);
      ctx.emit('minted', { to: a.to, denom: a.denom, amount: String(amount) });
    },
  ),
  burn: defineExport(
    'Burns a denomination the calling module issues, from the signer or its module account',
    Type.Object({ from: Text, denom: Text, amount: Amount }),
    (ctx, a) => {
      const record = issued(ctx, a.denom);
      const amount = amountOf(a.amount);
      debit(ctx, a.denom, payer(ctx, address(a.from, 'from')), amount);
      changeSupply(ctx, a.denom, record, -amount);
      ctx.emit('burned', { from: a.from, denom: a.denom, amount: String(amount) });
    },
  ),
};

function issued(ctx: CallContext, denom: string): DenomRecord {
  const record = checkDenom(ctx, denom);
  if (!record || record.issuer !== ctx.caller)
    throw moduleError('BANK_NOT_ISSUER', `module ${ctx.caller} does not issue ${denom}`, {
      denom,
      caller: ctx.caller,
    });
  return record;
}
