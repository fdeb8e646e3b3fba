import {
  defineMessage,
  defineModule,
  defineQuery,
  type MessageContext,
  moduleError,
} from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  BANK_MODULE,
  BalanceQuery,
  BankMint,
  BankTransfer,
  balanceKey,
  MINTER_KEY,
  MinterQuery,
} from './formats.js';

/**
 * Accounts and a native token: balances, transfers, and minting by the account named at
 * genesis. Amounts are u64; overflow and overdraft are typed errors. The message codecs
 * and the state layout are in @pujiang/protocol, so clients build and prove without the node.
 */
const U64_MAX = (1n << 64n) - 1n;

export interface BankGenesis {
  readonly minter?: string;
  readonly balances?: Readonly<Record<string, string>>;
}

function credit(ctx: MessageContext, address: string, amount: bigint): void {
  const next = decodeU64(ctx.get(balanceKey(address))) + amount;
  if (next > U64_MAX) throw moduleError('BANK_OVERFLOW', 'the balance would overflow', { address });
  ctx.set(balanceKey(address), encodeU64(next));
}

const ADDRESS = /^[0-9a-f]{42}$/;
const AMOUNT = /^(0|[1-9][0-9]{0,19})$/;

export const bank = defineModule({
  name: BANK_MODULE,
  summary: 'Accounts and the native token: balances, transfers, minting',
  errors: {
    BANK_ZERO_AMOUNT: 'a transfer of 0',
    BANK_INSUFFICIENT_FUNDS: 'the balance is lower than the amount',
    BANK_OVERFLOW: 'a balance would exceed 2^64 - 1',
    BANK_NOT_MINTER: 'only the minter may mint',
    BANK_BAD_ADDRESS: 'an address is not 21 bytes of lowercase hex',
  },
  // Governance may name another minter (`setModuleParam bank minter <address>`).
  params: {
    minter: (value) => {
      if (value.length !== 21) throw moduleError('BANK_BAD_ADDRESS', 'the minter is a 21-byte address');
    },
  },
  events: { transfer: ['from', 'to', 'amount'], mint: ['to', 'amount'] },
  messages: {
    transfer: defineMessage(BankTransfer, (ctx, message) => {
      if (message.amount === 0n) throw moduleError('BANK_ZERO_AMOUNT', 'transfer a positive amount');
      const from = decodeU64(ctx.get(balanceKey(ctx.sender)));
      if (from < message.amount) {
        throw moduleError('BANK_INSUFFICIENT_FUNDS', 'the balance is too low', {
          balance: String(from),
          amount: String(message.amount),
        });
      }
      const to = bytesToHex(message.to);
      ctx.set(balanceKey(ctx.sender), encodeU64(from - message.amount));
      credit(ctx, to, message.amount);
      ctx.emit('transfer', { from: ctx.sender, to, amount: String(message.amount) });
    }),
    mint: defineMessage(BankMint, (ctx, message) => {
      const minter = ctx.get(MINTER_KEY);
      if (!minter || bytesToHex(minter) !== ctx.sender)
        throw moduleError('BANK_NOT_MINTER', 'only the minter may mint');
      const to = bytesToHex(message.to);
      credit(ctx, to, message.amount);
      ctx.emit('mint', { to, amount: String(message.amount) });
    }),
  },
  queries: {
    balance: defineQuery({
      ...BalanceQuery,
      run: (read, { address }) => ({ address, balance: String(decodeU64(read(balanceKey(address)))) }),
    }),
    minter: defineQuery({
      ...MinterQuery,
      run: (read) => {
        const minter = read(MINTER_KEY);
        return { minter: minter ? bytesToHex(minter) : null };
      },
    }),
  },
  validateGenesis(config) {
    const g = (config ?? {}) as Record<string, unknown>;
    if (g.minter !== undefined && (typeof g.minter !== 'string' || !ADDRESS.test(g.minter)))
      throw moduleError('GENESIS_INVALID', 'genesis: modules.bank.minter must be an address (42 hex digits)');
    const balances = g.balances ?? {};
    if (typeof balances !== 'object' || balances === null || Array.isArray(balances))
      throw moduleError('GENESIS_INVALID', 'genesis: modules.bank.balances must map addresses to amounts');
    for (const [address, amount] of Object.entries(balances)) {
      if (
        !ADDRESS.test(address) ||
        typeof amount !== 'string' ||
        !AMOUNT.test(amount) ||
        BigInt(amount) > U64_MAX
      )
        throw moduleError('GENESIS_INVALID', `genesis: bad bank balance for ${address}`, { address });
    }
  },
  genesis(write, config) {
    const g = (config ?? {}) as BankGenesis;
    if (g.minter !== undefined) write(MINTER_KEY, hexToBytes(g.minter));
    for (const [address, amount] of Object.entries(g.balances ?? {}))
      write(balanceKey(address), encodeU64(BigInt(amount)));
  },
});
