import { fixedBytes, struct, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { type ChainModule, defineMessage, type MessageContext, moduleError } from '../execution/module.js';

/**
 * Accounts and a native token: balances, transfers, and minting by the account named at
 * genesis. Amounts are u64; overflow and overdraft are typed errors.
 */
const Transfer = struct('Transfer', { to: fixedBytes(ADDRESS_LENGTH), amount: u64 });
const Mint = struct('Mint', { to: fixedBytes(ADDRESS_LENGTH), amount: u64 });
const U64_MAX = (1n << 64n) - 1n;

export interface BankGenesis {
  readonly minter?: string;
  readonly balances: Readonly<Record<string, string>>;
}

function encodeAmount(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

function decodeAmount(bytes: Uint8Array | undefined): bigint {
  return bytes === undefined ? 0n : new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}

const balanceKey = (address: string) => `balance/${address}`;

function credit(ctx: MessageContext, address: string, amount: bigint): void {
  const next = decodeAmount(ctx.get(balanceKey(address))) + amount;
  if (next > U64_MAX) throw moduleError('BANK_OVERFLOW', 'the balance would overflow', { address });
  ctx.set(balanceKey(address), encodeAmount(next));
}

export const bank: ChainModule = {
  name: 'bank',
  messages: {
    transfer: defineMessage(Transfer, (ctx, message) => {
      if (message.amount === 0n) throw moduleError('BANK_ZERO_AMOUNT', 'transfer a positive amount');
      const from = decodeAmount(ctx.get(balanceKey(ctx.sender)));
      if (from < message.amount) {
        throw moduleError('BANK_INSUFFICIENT_FUNDS', 'the balance is too low', {
          balance: String(from),
          amount: String(message.amount),
        });
      }
      const to = bytesToHex(message.to);
      ctx.set(balanceKey(ctx.sender), encodeAmount(from - message.amount));
      credit(ctx, to, message.amount);
      ctx.emit('transfer', { from: ctx.sender, to, amount: String(message.amount) });
    }),
    mint: defineMessage(Mint, (ctx, message) => {
      const minter = ctx.get('minter');
      if (!minter || bytesToHex(minter) !== ctx.sender)
        throw moduleError('BANK_NOT_MINTER', 'only the minter may mint');
      const to = bytesToHex(message.to);
      credit(ctx, to, message.amount);
      ctx.emit('mint', { to, amount: String(message.amount) });
    }),
  },
  queries: {
    balance: (read, params) => {
      const address = (params as { address?: unknown })?.address;
      if (typeof address !== 'string' || !/^[0-9a-f]{42}$/.test(address)) {
        throw moduleError('BANK_BAD_ADDRESS', 'address must be 21 bytes of lowercase hex');
      }
      return { address, balance: String(decodeAmount(read(balanceKey(address)))) };
    },
  },
  genesis(write, config) {
    const g = config as BankGenesis;
    if (g.minter !== undefined) write('minter', Buffer.from(g.minter, 'hex'));
    for (const [address, amount] of Object.entries(g.balances ?? {}))
      write(balanceKey(address), encodeAmount(BigInt(amount)));
  },
};
