import { readFileSync } from 'node:fs';
import { type CommandContext, EXIT, printJson, required, usageError } from '@pujiang/cli-kit';
import { parseGenesis } from '@pujiang/protocol';
import { buildAuditBundle, requestOpener } from '../client/audit.js';
import { DeliveryLog } from '../service/delivery-log.js';
import { verifyAuditBundle } from '../verify/index.js';
import type { ScopeReport } from '../verify/scope.js';
import { readAgreementKey, readJson, writeJson } from './files.js';

type Values = Record<string, unknown>;

function genesisOf(values: Values) {
  const path = required(values, 'genesis');
  try {
    return parseGenesis(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw usageError(`cannot read the genesis ${path}: ${(error as Error).message}`, { option: 'genesis' });
  }
}

/** Prints the report; exit 1 names the first failing check. */
function report(ctx: CommandContext, r: ScopeReport, extra: Record<string, unknown> = {}): number {
  printJson(ctx.io, { ...extra, ...r });
  const unchecked = [...new Set(r.datasets.flatMap((d) => d.unchecked))];
  if (unchecked.length > 0)
    ctx.io.err(`not checked: ${unchecked.join(', ')} (give --open and --deliveries to check them)`);
  const failed = [
    ...r.checks.map((c) => ({ dataset: '', ...c })),
    ...r.datasets.flatMap((d) => d.checks.map((c) => ({ dataset: d.dataset, ...c }))),
  ].find((c) => !c.verified);
  if (!failed) return EXIT.ok;
  ctx.io.err(
    `failed ${failed.check}${failed.dataset ? ` of ${failed.dataset}` : ''}${failed.seq === undefined ? '' : ` (receipt ${failed.seq})`}: ${failed.code} ${failed.message ?? ''}`,
  );
  return EXIT.invalid;
}

/** `data audit [--dataset ID]... --out BUNDLE` and `data audit verify BUNDLE`. */
export async function runAudit(positionals: string[], values: Values, ctx: CommandContext): Promise<number> {
  const genesis = genesisOf(values);
  const openKey =
    values.open === undefined ? undefined : readAgreementKey(values.open as string, 'open').secretKey;
  const subject = values.subject as string | undefined;
  const [sub, file] = positionals;
  if (sub === 'verify') {
    if (file === undefined) throw usageError('name the BUNDLE');
    const r = await verifyAuditBundle(readJson(file, 'bundle'), {
      trust: { genesis },
      ...(openKey ? { open: requestOpener(openKey, genesis) } : {}),
      ...(subject !== undefined ? { subject } : {}),
      ...(values.auditor !== undefined ? { auditor: values.auditor as string } : {}),
    });
    return report(ctx, r);
  }
  if (sub !== undefined) throw usageError(`unknown audit command "${sub}"`);
  const out = required(values, 'out');
  let deliveries: ReturnType<typeof DeliveryLog.read> | undefined;
  if (values.deliveries !== undefined)
    try {
      deliveries = DeliveryLog.read(values.deliveries as string);
    } catch (error) {
      throw usageError(`cannot read ${values.deliveries}: ${(error as Error).message}`, {
        option: 'deliveries',
      });
    }
  const { bundle, report: r } = await buildAuditBundle(ctx.client(values), {
    ...(values.dataset === undefined ? {} : { datasets: values.dataset as string[] }),
    trust: { genesis },
    ...(openKey ? { openKey } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(values.auditor !== undefined ? { auditor: values.auditor as string } : {}),
    ...(deliveries ? { deliveries } : {}),
  });
  writeJson(out, bundle, 0o600);
  return report(ctx, r, { bundle: out });
}
