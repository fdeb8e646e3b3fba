import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  printJson,
  readFileOption,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import {
  cancelFinancing,
  confirmReceivable,
  financeReceivable,
  getCreditLine,
  getInvoice,
  getReceivable,
  releasePledge,
  requestFinancing,
  setCreditLine,
  settleReceivable,
  splitReceivable,
  transferReceivable,
  verifiedInvoice,
} from '../client/index.js';

export const SCF_USAGE = `Supply-chain finance (docs/supply-chain-finance.md); amounts in the denomination's smallest unit:
pujiang scf credit-line --buyer ADDRESS --limit N [--denom D] --key FILE     a bank caps a buyer's confirmations
pujiang scf confirm --supplier ADDRESS --amount N --due YYYY-MM-DD --invoice FILE|--invoice-digest HEX
    [--delivery FILE]... --reference REF [--denom D] --key FILE --supplier-key FILE
  the buyer confirms a payable, the supplier endorsing: the receivable (its id derives from the invoice) is held by the supplier,
  the invoice and delivery documents notarized; one receivable per invoice across the chain
pujiang scf split ID --amounts N,N[,N...] --key FILE      the holder divides a part (prints the new parts' ids)
pujiang scf transfer ID --to ADDRESS --key FILE           the holder hands a part to another member
pujiang scf request-financing ID --bank ORG --advance N --key FILE    the holder asks a bank to finance a part
pujiang scf cancel-financing ID --key FILE
pujiang scf finance ID --pay-to ADDRESS --advance N --key FILE [--endorser FILE]...
  the requested bank pays the advance (the one the holder asked for) and takes the part in pledge;
  its checker and approver endorse
pujiang scf release ID --key FILE                        the pledgee bank gives the part back
pujiang scf settle ID [--amount N] --key FILE            the buyer pays (from the due date), pro rata to the parts
pujiang scf show ID                                      the receivable with its parts
pujiang scf invoice FILE|--digest HEX [--genesis GENESIS]    which receivable an invoice backs (proven
  from the pinned genesis with --genesis)
pujiang scf line --buyer ADDRESS [--denom D]             a buyer's credit line`;

const OPTIONS = {
  ...SEND_OPTIONS,
  buyer: { type: 'string' },
  limit: { type: 'string' },
  denom: { type: 'string' },
  supplier: { type: 'string' },
  amount: { type: 'string' },
  due: { type: 'string' },
  invoice: { type: 'string' },
  'invoice-digest': { type: 'string' },
  delivery: { type: 'string', multiple: true },
  reference: { type: 'string' },
  amounts: { type: 'string' },
  to: { type: 'string' },
  bank: { type: 'string' },
  advance: { type: 'string' },
  'pay-to': { type: 'string' },
  'supplier-key': { type: 'string' },
  endorser: { type: 'string', multiple: true },
  digest: { type: 'string' },
  genesis: { type: 'string' },
} as const;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `pujiang scf ...`. */
export async function runScf(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const id = () => {
    if (positionals.length !== 1) throw usageError('name one receivable or part ID');
    return positionals[0]!;
  };
  const key = () => ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  const client = () => ctx.client(values);
  switch (sub) {
    case 'credit-line':
      return sendAndReport(ctx.io, choice, () =>
        setCreditLine(client(), {
          key: key(),
          buyer: required(values, 'buyer'),
          limit: required(values, 'limit'),
          ...(values.denom ? { denom: values.denom } : {}),
          ...choice,
        }),
      );
    case 'confirm': {
      if ((values.invoice === undefined) === (values['invoice-digest'] === undefined))
        throw usageError('give the invoice as --invoice FILE or --invoice-digest HEX', { option: 'invoice' });
      const invoiceDigest = values.invoice
        ? sha256(readFileOption(values.invoice, 'invoice'))
        : values['invoice-digest']!;
      let id = '';
      return sendAndReport(
        ctx.io,
        choice,
        async () => {
          const sent = await confirmReceivable(client(), {
            key: key(),
            supplier: required(values, 'supplier'),
            amount: required(values, 'amount'),
            dueDate: required(values, 'due'),
            invoiceDigest,
            deliveryDigests: (values.delivery ?? []).map((f) => sha256(readFileOption(f, 'delivery'))),
            reference: required(values, 'reference'),
            endorsers: [ctx.readKey(required(values, 'supplier-key'))],
            ...(values.denom ? { denom: values.denom } : {}),
            ...choice,
          });
          id = sent.id;
          return sent;
        },
        () => ({ fields: { id, invoiceDigest } }),
      );
    }
    case 'split': {
      const amounts = required(values, 'amounts').split(',');
      let parts: string[] = [];
      return sendAndReport(
        ctx.io,
        choice,
        async () => {
          const sent = await splitReceivable(client(), { key: key(), id: id(), amounts, ...choice });
          parts = sent.parts;
          return sent;
        },
        () => ({ fields: { parts } }),
      );
    }
    case 'transfer':
      return sendAndReport(ctx.io, choice, () =>
        transferReceivable(client(), { key: key(), id: id(), to: required(values, 'to'), ...choice }),
      );
    case 'request-financing':
      return sendAndReport(ctx.io, choice, () =>
        requestFinancing(client(), {
          key: key(),
          id: id(),
          org: required(values, 'bank'),
          advance: required(values, 'advance'),
          ...choice,
        }),
      );
    case 'cancel-financing':
      return sendAndReport(ctx.io, choice, () =>
        cancelFinancing(client(), { key: key(), id: id(), ...choice }),
      );
    case 'finance':
      return sendAndReport(ctx.io, choice, () =>
        financeReceivable(client(), {
          key: key(),
          id: id(),
          payTo: required(values, 'pay-to'),
          advance: required(values, 'advance'),
          endorsers: (values.endorser ?? []).map((f) => ctx.readKey(f)),
          ...choice,
        }),
      );
    case 'release':
      return sendAndReport(ctx.io, choice, () =>
        releasePledge(client(), { key: key(), id: id(), ...choice }),
      );
    case 'settle':
      return sendAndReport(ctx.io, choice, () =>
        settleReceivable(client(), {
          key: key(),
          id: id(),
          ...(values.amount ? { amount: values.amount } : {}),
          ...choice,
        }),
      );
    case 'show': {
      const receivable = await getReceivable(client(), id());
      printJson(ctx.io, { receivable });
      return receivable ? EXIT.ok : EXIT.invalid;
    }
    case 'invoice': {
      if ((positionals.length === 1) === (values.digest !== undefined))
        throw usageError('name the invoice FILE or give --digest HEX');
      const digest = values.digest ?? sha256(readFileOption(positionals[0]!, 'invoice'));
      const receivable = values.genesis
        ? await verifiedInvoice(ctx.verifiedClient(values, values.genesis), digest)
        : await getInvoice(client(), digest);
      printJson(ctx.io, { digest, proven: values.genesis !== undefined, receivable });
      return EXIT.ok;
    }
    case 'line': {
      const line = await getCreditLine(client(), {
        buyer: required(values, 'buyer'),
        ...(values.denom ? { denom: values.denom } : {}),
      });
      printJson(ctx.io, { line });
      return line ? EXIT.ok : EXIT.invalid;
    }
    default:
      throw usageError(`unknown scf command ${sub ?? '(none)'}; see pujiang help scf`);
  }
}
