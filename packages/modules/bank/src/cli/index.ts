import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  type ModuleCommand,
  NODE_OPTIONS,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { encode } from '@pujiang/codec';
import { parseAddress, queryTyped } from '@pujiang/module-kit';
import { PujiangError } from '@pujiang/types';
import {
  BANK_MODULE,
  BankSend,
  DENOM,
  DenomBalanceQuery,
  DenomQuery,
  encodeAmount,
  HOLD_ID,
  HoldQuery,
  MAX_AMOUNT,
  NATIVE_DENOM,
} from '../formats.js';

export const BANK_USAGE = `Bank (every denomination; the native one is also \`pujiang send\` and \`pujiang balance\`):
pujiang bank send --to ADDRESS --amount N [--denom D] --key FILE [--node URL] [--no-wait] [--timeout-ms MS]
  sends N (an integer up to 2^256-1; the native denomination up to 2^64-1) of D (default native)
pujiang bank balance ADDRESS [--denom D] [--node URL]     a balance in a denomination
pujiang bank denom D [--node URL]                          a denomination's issuer, decimals and supply
pujiang bank hold MODULE ID [--node URL]                   what a module holds in escrow under an id`;

function denomOption(values: Record<string, unknown>): string {
  const denom = (values.denom as string | undefined) ?? NATIVE_DENOM;
  if (!DENOM.test(denom))
    throw usageError(`--denom ${denom} is not a denomination name`, { option: 'denom' });
  return denom;
}

function amountOption(values: Record<string, unknown>): bigint {
  const text = required(values, 'amount');
  const amount = /^[1-9][0-9]{0,77}$/.test(text) ? BigInt(text) : 0n;
  if (amount <= 0n || amount > MAX_AMOUNT)
    throw usageError('--amount must be a positive integer up to 2^256-1', { option: 'amount' });
  return amount;
}

async function runBank(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { io } = ctx;
  switch (sub) {
    case 'send': {
      const { values } = parseArgs({
        args: [...rest],
        options: {
          ...SEND_OPTIONS,
          to: { type: 'string' },
          amount: { type: 'string' },
          denom: { type: 'string' },
        },
        strict: true,
      });
      const payload = encode(BankSend, {
        to: parseAddress(required(values, 'to'), 'to'),
        denom: denomOption(values),
        amount: encodeAmount(amountOption(values)),
      });
      const key = ctx.readKey(required(values, 'key'));
      const choice = waitChoice(values);
      return sendAndReport(io, choice, () =>
        ctx.client(values).sendTransaction({ key, module: BANK_MODULE, type: 'send', payload, ...choice }),
      );
    }
    case 'balance':
    case 'denom':
    case 'hold': {
      const { values, positionals } = parseArgs({
        args: [...rest],
        options: { ...NODE_OPTIONS, denom: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const client = ctx.client(values);
      if (sub === 'balance') {
        if (positionals.length !== 1) throw usageError('bank balance takes one ADDRESS');
        const address = positionals[0]!.toLowerCase();
        printJson(
          io,
          (await queryTyped(client, DenomBalanceQuery, { address, denom: denomOption(values) })).result,
        );
      } else if (sub === 'denom') {
        if (positionals.length !== 1 || !DENOM.test(positionals[0]!))
          throw usageError('bank denom takes one denomination name');
        printJson(io, (await queryTyped(client, DenomQuery, { denom: positionals[0]! })).result);
      } else {
        const [module, id] = positionals;
        if (positionals.length !== 2 || !HOLD_ID.test(id ?? ''))
          throw usageError('bank hold takes MODULE and ID');
        printJson(io, (await queryTyped(client, HoldQuery, { module: module!, id: id! })).result);
      }
      return EXIT.ok;
    }
    default:
      throw new PujiangError('CLI_UNKNOWN_COMMAND', `unknown command "bank ${sub ?? ''}"\n\n${BANK_USAGE}`);
  }
}

/** `pujiang bank ...`. */
export const bankCommands: readonly ModuleCommand[] = [
  {
    name: 'bank',
    summary: 'send any denomination; balances, denominations and escrow holds',
    usage: BANK_USAGE,
    run: runBank,
  },
];
