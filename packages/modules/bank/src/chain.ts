import { decode } from '@pujiang/codec';
import {
  defineMessage,
  defineModule,
  defineQuery,
  type MessageContext,
  moduleError,
  onChainsNamingModules,
} from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { bankExports } from './exports.js';
import {
  BANK_MODULE,
  BalanceQuery,
  BankMint,
  BankSend,
  BankTransfer,
  balanceKey,
  DENOM,
  DenomBalanceQuery,
  DenomQuery,
  DenomRecord,
  decodeAmount,
  denomBalanceKey,
  denomKey,
  HoldQuery,
  HoldRecord,
  holdKey,
  MINTER_KEY,
  MinterQuery,
  NATIVE_DENOM,
} from './formats.js';
import { move } from './ledger.js';

/**
 * Accounts and tokens: the native token (u64 balances, transfers, minting by the account
 * named at genesis or by governance), denominations that modules issue (amounts up to
 * 2^256 - 1), and holds in escrow for modules (letters of credit, DvP, HTLCs). Other modules
 * reach it through its exports. Overflow and overdraft are typed errors.
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
    BANK_OVERFLOW: 'a balance would exceed 2^64 - 1 (native) or 2^256 - 1 (other denominations)',
    BANK_NOT_MINTER: 'only the minter may mint',
    BANK_BAD_ADDRESS: 'an address is not 21 bytes of lowercase hex',
    BANK_BAD_DENOM: 'a denomination name or its decimals are malformed',
    BANK_UNKNOWN_DENOM: 'there is no such denomination',
    BANK_DENOM_EXISTS: 'the denomination exists',
    BANK_NOT_ISSUER: 'only the module that created a denomination mints and burns it',
    BANK_BAD_AMOUNT: 'an amount is not a minimal big-endian integer of at most 32 bytes',
    BANK_NOT_AUTHORIZED: "a module may move only the signer's funds or its own account's",
    BANK_BAD_HOLD: 'a hold id is malformed',
    BANK_HOLD_EXISTS: 'the calling module already has a hold with that id',
    BANK_UNKNOWN_HOLD: 'the calling module has no hold with that id',
    BANK_BAD_QUERY: 'a query parameter is malformed',
    BANK_CORRUPT: 'a stored balance is malformed',
  },
  exports: bankExports,
  // Governance may name another minter (`setModuleParam bank minter <address>`).
  params: {
    minter: (value) => {
      if (value.length !== 21) throw moduleError('BANK_BAD_ADDRESS', 'the minter is a 21-byte address');
    },
  },
  events: {
    transfer: ['from', 'to', 'amount'],
    mint: ['to', 'amount'],
    send: ['from', 'to', 'denom', 'amount'],
    escrowed: ['module', 'id', 'from', 'denom', 'amount'],
    released: ['module', 'id', 'to', 'amount'],
    refunded: ['module', 'id', 'to', 'amount'],
    denomCreated: ['denom', 'issuer', 'decimals'],
    minted: ['to', 'denom', 'amount'],
    burned: ['from', 'denom', 'amount'],
  },
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
    /** Any denomination, the native one too (amount: minimal big-endian bytes). */
    send: defineMessage(
      BankSend,
      (ctx, m) => {
        const amount = decodeAmount(m.amount);
        if (amount === undefined)
          throw moduleError('BANK_BAD_AMOUNT', 'the amount is not a minimal big-endian integer');
        const to = bytesToHex(m.to);
        move(ctx, m.denom, ctx.sender, to, amount);
        ctx.emit('send', { from: ctx.sender, to, denom: m.denom, amount: String(amount) });
      },
      // Chains created before denominations replay their blocks as they were.
      { availableOn: onChainsNamingModules },
    ),
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
    denomBalance: defineQuery({
      ...DenomBalanceQuery,
      run: (read, { address, denom }) => {
        const balance =
          denom === NATIVE_DENOM
            ? decodeU64(read(balanceKey(address)))
            : (decodeAmount(read(denomBalanceKey(denom, address))) ?? 0n);
        return { address, denom, balance: String(balance) };
      },
    }),
    denom: defineQuery({
      ...DenomQuery,
      run: (read, { denom }) => {
        const bytes = DENOM.test(denom) ? read(denomKey(denom)) : undefined;
        if (!bytes) return null;
        const r = decode(DenomRecord, bytes);
        return {
          denom,
          issuer: r.issuer,
          decimals: r.decimals,
          supply: String(decodeAmount(r.supply) ?? 0n),
        };
      },
    }),
    hold: defineQuery({
      ...HoldQuery,
      run: (read, { module, id }) => {
        const bytes = read(holdKey(module, id));
        if (!bytes) return null;
        const h = decode(HoldRecord, bytes);
        return {
          module,
          id,
          denom: h.denom,
          amount: String(decodeAmount(h.amount) ?? 0n),
          from: bytesToHex(h.from),
        };
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
export { bankExports } from './exports.js';
