import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  intOption,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { bytesToHex } from '@pujiang/types';
import { digestDocument } from '../batch.js';
import { createAsset, getLineageProof, recordLineageEvent, searchNotary } from '../client/lineage.js';
import { parseLineageProof, verifyLineageProof } from '../verify/lineage.js';
import { pinnedValidators, reportVerification, searchParameters } from './notary.js';

export const TRACE_USAGE = `Data traceability (an asset's append-only, hash-linked lineage of events):
pujiang trace create ASSET --type T --key FILE [--action TEXT] [--output HEX | --output-file FILE]...
  registers an asset owned by the key's address; its first event is "created"
pujiang trace record ASSET --event TYPE --key FILE [--action TEXT] [--input HEX | --input-file FILE]...
                     [--output HEX | --output-file FILE]... [--to ADDRESS]
  appends an event: transformed, accessed, shared/unshared (--to: may then record accessed, transformed
  and custom events), transferred (--to: the new owner) or a custom lowercase word
  (create and record take --node, --no-wait and --timeout-ms; exit 0 OK, 1 refused or failed, 3 pending)
pujiang trace lineage ASSET [--height H] [--out FILE] [--node URL]
  the asset's whole lineage with state proofs and the certified header they lead to (a lineage proof)
pujiang trace verify PROOF [--validators GENESIS_OR_SET]
  offline: checks every event's proof, order and hash link against the pinned validators (default
  ./genesis.json); exit 0 valid, 1 invalid (names the check), 2 bad input
pujiang trace search [--owner ADDRESS] [--type T] [--from MS] [--to MS] [--limit N] [--after CURSOR]
  assets by owner, type and creation time (the node's index; prove a hit with trace lineage)`;

const OPTIONS = {
  ...SEND_OPTIONS,
  type: { type: 'string' },
  event: { type: 'string' },
  action: { type: 'string' },
  input: { type: 'string', multiple: true },
  'input-file': { type: 'string', multiple: true },
  output: { type: 'string', multiple: true },
  'output-file': { type: 'string', multiple: true },
  to: { type: 'string' },
  height: { type: 'string' },
  out: { type: 'string' },
  validators: { type: 'string' },
  owner: { type: 'string' },
  from: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
} as const;

/** Digests named directly (hex) or as files (digested with `algorithm`). */
function digestsOf(values: Record<string, unknown>, name: 'input' | 'output', algorithm: 'sm3' | 'sha256') {
  const hex = ((values[name] as string[] | undefined) ?? []).map((h) => {
    if (!/^[0-9a-f]{64}$/.test(h))
      throw usageError(`--${name} is a 32-byte digest in lowercase hex`, { option: name });
    return h;
  });
  const files = ((values[`${name}-file`] as string[] | undefined) ?? []).map((path) => {
    try {
      return bytesToHex(digestDocument(algorithm, new Uint8Array(readFileSync(path))));
    } catch (error) {
      throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option: `${name}-file` });
    }
  });
  return [...hex, ...files];
}

function oneAsset(positionals: readonly string[]): string {
  if (positionals.length !== 1) throw usageError('name one ASSET');
  return positionals[0]!;
}

/** `trace create | record | lineage | verify | search`. */
export async function runTrace(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  switch (sub) {
    case 'create':
    case 'record': {
      const asset = oneAsset(positionals);
      const client = ctx.client(values);
      const key = ctx.readKey(required(values, 'key'));
      const { chainHash } = await client.getStatus();
      const choice = waitChoice(values);
      const common = {
        key,
        asset,
        ...choice,
        ...(values.action === undefined ? {} : { action: values.action }),
      };
      if (sub === 'create') {
        const assetType = required(values, 'type');
        const outputs = digestsOf(values, 'output', chainHash);
        return sendAndReport(io, choice, () => createAsset(client, { ...common, assetType, outputs }));
      }
      const eventType = required(values, 'event');
      const inputs = digestsOf(values, 'input', chainHash);
      const outputs = digestsOf(values, 'output', chainHash);
      return sendAndReport(io, choice, () =>
        recordLineageEvent(client, {
          ...common,
          eventType,
          inputs,
          outputs,
          ...(values.to === undefined ? {} : { to: values.to }),
        }),
      );
    }
    case 'lineage': {
      const asset = oneAsset(positionals);
      const height = intOption(values, 'height', 1, Number.MAX_SAFE_INTEGER);
      const proof = await getLineageProof(ctx.client(values), asset, height === undefined ? {} : { height });
      if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(proof, null, 2)}\n`);
      const pages = proof.pages.map((p) => p.result as { asset?: unknown; events?: unknown[] } | null);
      const record = pages[0]?.asset ?? null;
      printJson(io, {
        height: proof.pages[0]?.height,
        asset: record,
        events: pages.flatMap((p) => p?.events ?? []),
      });
      return record ? EXIT.ok : EXIT.invalid;
    }
    case 'verify': {
      if (positionals.length !== 1) throw usageError('name one PROOF file');
      let text: string;
      try {
        text = readFileSync(positionals[0]!, 'utf8');
      } catch (error) {
        throw usageError(`cannot read ${positionals[0]}: ${(error as Error).message}`, { option: 'PROOF' });
      }
      const proof = parseLineageProof(text);
      const trust = pinnedValidators(values.validators ?? 'genesis.json', proof);
      return reportVerification(io, () => {
        printJson(io, { status: 'valid', ...verifyLineageProof({ proof, trust }) });
        return EXIT.ok;
      });
    }
    case 'search':
      printJson(io, await searchNotary(ctx.client(values), 'assets', searchParameters(values)));
      return EXIT.ok;
    default:
      throw usageError(`unknown trace command "${sub ?? ''}"\n\n${TRACE_USAGE}`);
  }
}
