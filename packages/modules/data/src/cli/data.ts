import { parseArgs } from 'node:util';
import { type CommandContext, SEND_OPTIONS, usageError } from '@pujiang/cli-kit';
import { runAudit } from './audit.js';
import { runCatalog, runKeygen } from './catalog.js';
import { runServe } from './serve.js';
import { runConsent, runDecision, runFetch, runRequest, runShow } from './sharing.js';

export const DATA_USAGE = `Trusted data sharing among agencies (docs/data-sharing.md):
pujiang data keygen --out FILE [--did DID --key KEY]   an X25519 key file (0600); with --did, added to the DID
                                                       as its key-agreement key (requests are sealed to it)
pujiang data catalog [--from N] [--limit N]            the datasets agencies publish
pujiang data catalog show ID [--version N]             a dataset, at its latest or a named version
pujiang data catalog publish FILE --key KEY            publishes a dataset (FILE: id, title, steward, classification,
                                                       legalBases, endpoint, schema, subjectField, policy), or its next version
pujiang data request --dataset ID [--subject S [--subject-did DID]] --purpose P --legal-basis B --until TIME
                     --reply-key XFILE --key KEY [--requester-did DID] [--consent VC.json]
                                                       asks for a dataset or one subject's record; subject, purpose and
                                                       consent are sealed to the steward, auditors and subject
pujiang data consent issue --subject-did DID --requester ID --dataset ID --purpose P --until TIME
                     --list LIST --index N --key KEY --out FILE
                                                       the subject's consent credential (revocable on its status list)
pujiang data consent revoke FILE --key KEY             the subject takes its consent back
pujiang data grant REQUEST [--until TIME] --key KEY    the steward grants (default: as long as asked)
pujiang data refuse REQUEST --reason R --key KEY       the steward refuses
pujiang data revoke REQUEST --reason R --key KEY       the steward (or the requester) ends a grant
pujiang data show REQUEST [--open XFILE]               a request and its grant; --open shows its sealed terms
pujiang data serve --config FILE                       the agency's data service (runs until SIGINT/SIGTERM)
pujiang data fetch REQUEST --service URL --reply-key XFILE --key KEY [--out FILE]
                                                       fetches what the grant covers, checked against its receipt
pujiang data audit [--dataset ID]... --genesis GENESIS [--open XFILE [--auditor DID | --subject S]] [--deliveries LOG] --out BUNDLE
                                                       every access to these datasets (default: every dataset of the
                                                       catalog), with grants and consents, as proofs; --subject lists
                                                       that subject's accesses (a subject audits with its own key);
                                                       --auditor: the key is that auditor's, and a request not sealed
                                                       to it fails
pujiang data audit verify BUNDLE --genesis GENESIS [--open XFILE [--auditor DID | --subject S]]
                                                       checks a bundle offline; exit 1 names the failing check
TIME is ISO 8601 (2027-01-31T00:00:00Z) or a duration from now (30d, 12h, 90m).`;

const OPTIONS = {
  ...SEND_OPTIONS,
  out: { type: 'string' },
  did: { type: 'string' },
  from: { type: 'string' },
  limit: { type: 'string' },
  version: { type: 'string' },
  dataset: { type: 'string', multiple: true },
  subject: { type: 'string' },
  'subject-did': { type: 'string' },
  purpose: { type: 'string' },
  'legal-basis': { type: 'string' },
  until: { type: 'string' },
  'reply-key': { type: 'string' },
  'requester-did': { type: 'string' },
  requester: { type: 'string' },
  consent: { type: 'string' },
  list: { type: 'string' },
  index: { type: 'string' },
  reason: { type: 'string' },
  open: { type: 'string' },
  config: { type: 'string' },
  service: { type: 'string' },
  genesis: { type: 'string' },
  deliveries: { type: 'string' },
  auditor: { type: 'string' },
} as const;

/** `pujiang data ...`. */
export async function runData(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [command, ...rest] = args;
  const parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  const { positionals } = parsed;
  // Only an audit takes several datasets.
  const datasets = parsed.values.dataset ?? [];
  if (command !== 'audit' && datasets.length > 1) throw usageError('name one --dataset');
  const values = command === 'audit' ? parsed.values : { ...parsed.values, dataset: datasets[0] };
  switch (command) {
    case 'keygen':
      return runKeygen(values, ctx);
    case 'catalog':
      return runCatalog(positionals, values, ctx);
    case 'request':
      return runRequest(values, ctx);
    case 'consent':
      return runConsent(positionals, values, ctx);
    case 'grant':
    case 'refuse':
    case 'revoke':
      return runDecision(command, positionals, values, ctx);
    case 'show':
      return runShow(positionals, values, ctx);
    case 'serve':
      return runServe(values, ctx);
    case 'fetch':
      return runFetch(positionals, values, ctx);
    case 'audit':
      return runAudit(positionals, values, ctx);
    default:
      throw usageError(`unknown data command "${command ?? ''}"\n\n${DATA_USAGE}`);
  }
}

/** A time option: ISO 8601, or a duration from now (`30d`, `12h`, `90m`, `45s`). */
export function timeOption(values: Record<string, unknown>, name: string): Date | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const duration = /^([0-9]{1,6})([dhms])$/.exec(String(text));
  if (duration) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[duration[2] as 'd' | 'h' | 'm' | 's'];
    return new Date(Date.now() + Number(duration[1]) * unit);
  }
  const date = new Date(String(text));
  if (Number.isNaN(date.getTime()))
    throw usageError(`--${name} is an ISO 8601 time or a duration (30d)`, { option: name });
  return date;
}
