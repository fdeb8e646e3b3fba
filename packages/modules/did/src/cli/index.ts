import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  intOption,
  type ModuleCommand,
  NODE_OPTIONS,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { createDid, deactivateDid, resolveDid, updateDid } from '../client/index.js';
import { singleKeyDocument } from '../document.js';
import { didKeyOfChainKey } from '../keys.js';
import { resolutionResult } from '../resolution.js';
import { runVc, VC_USAGE } from './vc.js';

export const DID_USAGE = `Decentralized identifiers (did:pujiang; the method is specified in docs/did-method.md):
pujiang did create --key FILE [--document DOC.json] [--node URL] [--no-wait] [--timeout-ms MS]
  creates a DID controlled by the key (default document: the key as its only method, for every purpose
  but key agreement); prints the DID; exit 0 created, 1 refused, 3 pending
pujiang did update DID --document DOC.json --key FILE [--version N] [--node URL]
  replaces the document (methods referenced as #fragment); --version: the version it replaces (default current)
pujiang did deactivate DID --key FILE [--version N] [--node URL]     ends the DID for good
pujiang did resolve DID [--version-id N] [--version-time 2026-01-01T00:00:00Z] [--node URL]
  prints the W3C DID Resolution result; exit 0 found, 1 not found or deactivated, 2 bad input`;

const OPTIONS = {
  ...SEND_OPTIONS,
  ...NODE_OPTIONS,
  document: { type: 'string' },
  version: { type: 'string' },
  'version-id': { type: 'string' },
  'version-time': { type: 'string' },
} as const;

function readDocument(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option: 'document' });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw usageError(`${path} is not JSON`, { option: 'document' });
  }
}

function oneDid(positionals: string[]): string {
  if (positionals.length !== 1) throw usageError('name one DID');
  return positionals[0]!;
}

async function run(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const client = () => ctx.client(values);
  const version = intOption(values, 'version', 1, 0xffff_ffff);
  switch (sub) {
    case 'create': {
      if (positionals.length > 0) throw usageError('did create takes no DID: the chain derives it');
      const key = ctx.readKey(required(values, 'key'));
      let document: Record<string, unknown> | ReturnType<typeof singleKeyDocument>;
      if (values.document !== undefined) document = readDocument(values.document);
      else {
        const didKey = didKeyOfChainKey(key.publicKey);
        if (!didKey)
          throw usageError(`a ${key.publicKey.suite} key cannot be a DID key; give --document`, {
            option: 'key',
          });
        document = singleKeyDocument(didKey);
      }
      let did = '';
      return sendAndReport(
        ctx.io,
        waitChoice(values),
        async () => {
          const sent = await createDid(client(), { key, document, ...waitChoice(values) });
          did = sent.did;
          return sent;
        },
        () => ({ fields: { did } }),
      );
    }
    case 'update': {
      const did = oneDid(positionals);
      const key = ctx.readKey(required(values, 'key'));
      const document = readDocument(required(values, 'document'));
      return sendAndReport(ctx.io, waitChoice(values), () =>
        updateDid(client(), { key, did, document, ...(version ? { version } : {}), ...waitChoice(values) }),
      );
    }
    case 'deactivate': {
      const did = oneDid(positionals);
      const key = ctx.readKey(required(values, 'key'));
      return sendAndReport(ctx.io, waitChoice(values), () =>
        deactivateDid(client(), { key, did, ...(version ? { version } : {}), ...waitChoice(values) }),
      );
    }
    case 'resolve': {
      const did = oneDid(positionals);
      const versionId = intOption(values, 'version-id', 1, 0xffff_ffff);
      const time = values['version-time'];
      if (time !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(time))
        throw usageError('--version-time must be an XML datetime in UTC, e.g. 2026-01-01T00:00:00Z', {
          option: 'version-time',
        });
      const state = await resolveDid(client(), did, {
        ...(versionId === undefined ? {} : { versionId }),
        ...(time === undefined ? {} : { versionTime: BigInt(Date.parse(time)) }),
      });
      if (!state) {
        printJson(ctx.io, { didResolutionMetadata: { error: 'notFound' }, didDocument: null });
        return EXIT.invalid;
      }
      printJson(ctx.io, resolutionResult(state));
      return state.deactivated ? EXIT.invalid : EXIT.ok;
    }
    default:
      throw usageError(`unknown did command ${sub ?? '(none)'}; see pujiang help did`);
  }
}

/** `pujiang did ...`. */
export const didCommands: readonly ModuleCommand[] = [
  {
    name: 'did',
    summary: 'decentralized identifiers: create, update, deactivate, resolve',
    usage: DID_USAGE,
    run,
  },
  {
    name: 'vc',
    summary: 'verifiable credentials: issue (VC-API), verify, present, verify presentations',
    usage: VC_USAGE,
    run: runVc,
  },
];
