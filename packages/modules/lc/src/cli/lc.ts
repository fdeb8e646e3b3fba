import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  intOption,
  printJson,
  readJsonOption,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import type { CalendarYearJson } from '../calendar.js';
import {
  acceptAmendment,
  adviseCredit,
  amendCredit,
  approveCredit,
  checkCredit,
  claimPayment,
  completePresentation,
  draftCredit,
  getBankingCalendar,
  getCredit,
  getPresentation,
  honourPresentation,
  issueCredit,
  type LcRecord,
  presentDocuments,
  refusePresentation,
  rejectAmendment,
  setBankingCalendar,
  settlePresentation,
  waiveDiscrepancies,
} from '../client/index.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../formats.js';
import { parseMt700 } from '../mt700-parse.js';

export const LC_USAGE = `Letters of credit under UCP 600 and eUCP 2.0 (docs/letters-of-credit.md); amounts in minor units:
pujiang lc parse FILE                       an MT700 text's terms as JSON (offline; refusals name the field)
pujiang lc draft --mt700 FILE --issuing-bank ORG --advising-bank ORG --beneficiary ADDRESS --calendar CN
    --require KIND[,KIND...] [--tenor-days N] [--denom D] --key FILE     the applicant's maker drafts (prints the id)
pujiang lc check|approve ID --key FILE      the applicant's checker, then approver (three different identities)
pujiang lc issue ID --number REF --key FILE the issuing bank issues (escrows the amount with its tolerance)
pujiang lc advise ID --key FILE             the advising bank advises the beneficiary
pujiang lc amend ID [--amount N] [--tolerance P/M] [--expiry YYYY-MM-DD] [--latest-shipment YYYY-MM-DD]
    [--presentation-days N] --key FILE      the issuing bank proposes; binding once the beneficiary accepts
pujiang lc accept-amendment|reject-amendment ID --seq N --key FILE        the beneficiary
pujiang lc present ID --amount N --record KIND=registered:DOCID|KIND=notarized:SHA256 ... --key FILE
pujiang lc complete ID --seq N --key FILE   eUCP notice of completeness (the beneficiary)
pujiang lc honour ID --seq N --key FILE     the issuing bank pays at sight, or accepts to pay at maturity
pujiang lc refuse ID --seq N --discrepancy TEXT ... --key FILE   the single notice of refusal
pujiang lc waive ID --seq N --key FILE      the applicant waives the discrepancies
pujiang lc claim ID --seq N --key FILE      the beneficiary, once the bank is precluded (no notice in time)
pujiang lc settle ID --seq N --key FILE     an accepted presentation at maturity
pujiang lc show ID | presentation ID --seq N
pujiang lc export ID [--out FILE]           the credit's MT700 text as issued
pujiang lc calendar set --calendar CN --year FILE.json --key FILE | calendar show --calendar CN --year 2026
KIND: ${DOCUMENT_KINDS.join(', ')}`;

const OPTIONS = {
  ...SEND_OPTIONS,
  mt700: { type: 'string' },
  'issuing-bank': { type: 'string' },
  'advising-bank': { type: 'string' },
  beneficiary: { type: 'string' },
  calendar: { type: 'string' },
  require: { type: 'string' },
  'tenor-days': { type: 'string' },
  denom: { type: 'string' },
  number: { type: 'string' },
  amount: { type: 'string' },
  tolerance: { type: 'string' },
  expiry: { type: 'string' },
  'latest-shipment': { type: 'string' },
  'presentation-days': { type: 'string' },
  seq: { type: 'string' },
  record: { type: 'string', multiple: true },
  discrepancy: { type: 'string', multiple: true },
  out: { type: 'string' },
  year: { type: 'string' },
} as const;

function kindOf(text: string): DocumentKind {
  if (!(DOCUMENT_KINDS as readonly string[]).includes(text))
    throw usageError(`${text} is not a document kind (${DOCUMENT_KINDS.join(', ')})`, { option: 'record' });
  return text as DocumentKind;
}

function recordOf(text: string): LcRecord {
  const match = /^([A-Za-z]+)=(registered|notarized):([0-9a-f]{64})$/.exec(text);
  if (!match)
    throw usageError('--record is KIND=registered:DOCID or KIND=notarized:SHA256', { option: 'record' });
  const kind = kindOf(match[1]!);
  return match[2] === 'registered' ? { kind, registered: match[3]! } : { kind, notarized: match[3]! };
}

function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --${option} ${path}: ${(error as Error).message}`, { option });
  }
}

/** `pujiang lc ...`. */
export async function runLc(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const id = () => {
    if (positionals.length !== 1) throw usageError('name one credit ID');
    return positionals[0]!;
  };
  const key = () => ctx.readKey(required(values, 'key'));
  const seq = () => {
    required(values, 'seq');
    return intOption(values, 'seq', 1, 2 ** 32 - 1) as number;
  };
  const choice = waitChoice(values);
  const client = () => ctx.client(values);
  const common = () => ({ key: key(), ...choice });
  switch (sub) {
    case 'parse': {
      if (positionals.length !== 1) throw usageError('name one MT700 FILE');
      const { headers, terms } = parseMt700(readText(positionals[0]!, 'file'));
      printJson(ctx.io, { headers, terms: { ...terms, amount: String(terms.amount) } });
      return EXIT.ok;
    }
    case 'draft': {
      let drafted: string | undefined;
      return sendAndReport(
        ctx.io,
        choice,
        async () => {
          const sent = await draftCredit(client(), {
            ...common(),
            mt700: readText(required(values, 'mt700'), 'mt700'),
            issuingOrg: required(values, 'issuing-bank'),
            advisingOrg: required(values, 'advising-bank'),
            beneficiary: required(values, 'beneficiary'),
            calendar: required(values, 'calendar'),
            required: required(values, 'require').split(',').map(kindOf),
            ...(values['tenor-days'] ? { tenorDays: intOption(values, 'tenor-days', 0, 720) as number } : {}),
            ...(values.denom ? { denom: values.denom } : {}),
          });
          drafted = sent.id;
          return sent;
        },
        () => ({ fields: { id: drafted } }),
      );
    }
    case 'check':
      return sendAndReport(ctx.io, choice, () => checkCredit(client(), { ...common(), id: id() }));
    case 'approve':
      return sendAndReport(ctx.io, choice, () => approveCredit(client(), { ...common(), id: id() }));
    case 'advise':
      return sendAndReport(ctx.io, choice, () => adviseCredit(client(), { ...common(), id: id() }));
    case 'issue':
      return sendAndReport(ctx.io, choice, () =>
        issueCredit(client(), { ...common(), id: id(), number: required(values, 'number') }),
      );
    case 'amend': {
      const tolerance = values.tolerance?.match(/^(\d{1,2})\/(\d{1,2})$/);
      if (values.tolerance !== undefined && !tolerance)
        throw usageError('--tolerance is PLUS/MINUS percent', { option: 'tolerance' });
      return sendAndReport(ctx.io, choice, () =>
        amendCredit(client(), {
          ...common(),
          id: id(),
          ...(values.amount ? { amount: values.amount } : {}),
          ...(tolerance ? { tolerance: { plus: Number(tolerance[1]), minus: Number(tolerance[2]) } } : {}),
          ...(values.expiry ? { expiryDate: values.expiry } : {}),
          ...(values['latest-shipment'] ? { latestShipmentDate: values['latest-shipment'] } : {}),
          ...(values['presentation-days']
            ? { presentationDays: intOption(values, 'presentation-days', 0, 365) as number }
            : {}),
        }),
      );
    }
    case 'accept-amendment':
      return sendAndReport(ctx.io, choice, () =>
        acceptAmendment(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'reject-amendment':
      return sendAndReport(ctx.io, choice, () =>
        rejectAmendment(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'present':
      return sendAndReport(ctx.io, choice, () =>
        presentDocuments(client(), {
          ...common(),
          id: id(),
          amount: required(values, 'amount'),
          documents: (values.record ?? []).map(recordOf),
        }),
      );
    case 'complete':
      return sendAndReport(ctx.io, choice, () =>
        completePresentation(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'honour':
      return sendAndReport(ctx.io, choice, () =>
        honourPresentation(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'refuse':
      return sendAndReport(ctx.io, choice, () =>
        refusePresentation(client(), {
          ...common(),
          id: id(),
          seq: seq(),
          discrepancies: values.discrepancy ?? [],
        }),
      );
    case 'waive':
      return sendAndReport(ctx.io, choice, () =>
        waiveDiscrepancies(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'claim':
      return sendAndReport(ctx.io, choice, () =>
        claimPayment(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'settle':
      return sendAndReport(ctx.io, choice, () =>
        settlePresentation(client(), { ...common(), id: id(), seq: seq() }),
      );
    case 'show': {
      const credit = await getCredit(client(), id());
      printJson(ctx.io, { credit });
      return credit ? EXIT.ok : EXIT.invalid;
    }
    case 'presentation': {
      const presentation = await getPresentation(client(), { id: id(), seq: seq() });
      printJson(ctx.io, { presentation });
      return presentation ? EXIT.ok : EXIT.invalid;
    }
    case 'export': {
      const credit = await getCredit(client(), id());
      if (!credit) {
        ctx.io.err(`no credit ${id()}`);
        return EXIT.invalid;
      }
      if (values.out) writeFileSync(values.out, credit.mt700, { flag: 'wx' });
      else ctx.io.out(credit.mt700);
      return EXIT.ok;
    }
    case 'calendar': {
      const [action] = positionals;
      const calendar = required(values, 'calendar');
      if (action === 'set')
        return sendAndReport(ctx.io, choice, () =>
          setBankingCalendar(client(), {
            ...common(),
            calendar,
            year: readJsonOption(required(values, 'year'), 'year') as CalendarYearJson,
          }),
        );
      if (action === 'show') {
        const year = intOption(values, 'year', 1970, 9999) as number;
        const entry = await getBankingCalendar(client(), { calendar, year });
        printJson(ctx.io, { calendar: entry });
        return entry ? EXIT.ok : EXIT.invalid;
      }
      throw usageError('lc calendar set | show');
    }
    default:
      throw usageError(`unknown lc command ${sub ?? '(none)'}; see pujiang help lc`);
  }
}
