import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  type CommandIo,
  EXIT,
  intOption,
  printJson,
  readFileOption,
  readJsonOption,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import type { CertifiedValidator } from '@pujiang/consensus';
import { publicKeyFromHex } from '@pujiang/module-kit/keys';
import { parseGenesis } from '@pujiang/protocol';
import { type TrustParameters, VerificationError } from '@pujiang/verify';
import { digestDocument, NotaryBatch } from '../batch.js';
import { awaitNotaryReceipts, getAnchor, notarize, receiptsOfExistingAnchor } from '../client/anchor.js';
import { searchNotary } from '../client/lineage.js';
import type { NotaryReceipt } from '../documents.js';
import { parseNotaryReceipt, verifyNotaryReceipt } from '../verify/receipt.js';

export const NOTARY_USAGE = `Notarization (document digests on chain; the content never leaves this machine):
pujiang notary stamp FILE... --key FILE [--out DIR] [--hash sm3|sha256] [--owner O] [--type T] [--tag T]...
                     [--ref R] [--node URL] [--timeout-ms MS]
  digests the files, anchors them in one transaction (a Merkle batch), and writes DIR/<file>.receipt.json
  for each (default DIR: .); exit 0 all receipts complete, 3 some pending (complete them later), 1 refused
pujiang notary complete RECEIPT... [--node URL] [--timeout-ms MS]
  fills in pending receipts in place once their blocks are decided; exit 0 all complete, 3 some pending
pujiang notary verify RECEIPT --file FILE [--validators GENESIS_OR_SET]
  offline: recomputes the file's digest, replays the batch path and the block proofs, and checks the commit
  certificates against the pinned validators (a genesis file, or a validator set as /v1/validators gives it;
  default ./genesis.json); exit 0 valid, 1 invalid (names the check), 3 pending, 2 bad input
pujiang notary show ROOT [--node URL]                   who anchored a root (hex), when, in which transaction
pujiang notary search [--owner O] [--type T] [--from MS] [--to MS] [--limit N] [--after CURSOR] [--node URL]
                                                        anchors by owner, document type and time (not proven)`;

const OPTIONS = {
  ...SEND_OPTIONS,
  out: { type: 'string' },
  hash: { type: 'string' },
  owner: { type: 'string' },
  type: { type: 'string' },
  tag: { type: 'string', multiple: true },
  ref: { type: 'string' },
  file: { type: 'string' },
  validators: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
} as const;

const readBytes = readFileOption;
const readJson = readJsonOption;

/**
 * The pinned validators: a genesis file, or a validator set (`{validators: [{suite,
 * publicKey, power}]}` as `GET /v1/validators` answers) for the receipt's chain. A set's
 * chain id comes from the receipt: validators' signatures cover the chain id, so a set
 * cannot certify another chain's headers.
 */
export function pinnedValidators(
  path: string,
  chain: { chainId: string; chainHash: 'sm3' | 'sha256' },
): TrustParameters {
  const json = readJson(path, 'validators') as { chainId?: unknown; validators?: unknown };
  if (json !== null && typeof json === 'object' && 'chainId' in json) return { genesis: parseGenesis(json) };
  const list = (json as { validators?: unknown })?.validators;
  if (!Array.isArray(list) || list.length === 0)
    throw usageError(`${path} is neither a genesis nor a validator set`, { option: 'validators' });
  const validators: CertifiedValidator[] = list.map(
    (v: { suite?: unknown; publicKey?: unknown; power?: unknown }, i) => {
      if (typeof v?.suite !== 'string' || typeof v.publicKey !== 'string' || !Number.isSafeInteger(v.power))
        throw usageError(`${path}: validators[${i}] needs suite, publicKey and power`, {
          option: 'validators',
        });
      try {
        return { publicKey: publicKeyFromHex(v.suite, v.publicKey), power: v.power as number };
      } catch (error) {
        throw usageError(`${path}: validators[${i}]: ${(error as Error).message}`, { option: 'validators' });
      }
    },
  );
  return { ...chain, validators };
}

function writeReceipt(path: string, receipt: NotaryReceipt): void {
  writeFileSync(path, `${JSON.stringify(receipt, null, 2)}\n`);
}

/** Receipt paths in DIR, one per file, made distinct when two files share a name. */
function receiptPaths(files: readonly string[], dir: string): string[] {
  const used = new Set<string>();
  return files.map((file) => {
    let name = `${basename(file)}.receipt.json`;
    for (let i = 2; used.has(name); i++) name = `${basename(file)}.${i}.receipt.json`;
    used.add(name);
    return join(dir, name);
  });
}

async function stamp(values: Record<string, unknown>, files: string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  if (files.length === 0) throw usageError('name at least one FILE to stamp');
  const client = ctx.client(values);
  const key = ctx.readKey(required(values, 'key'));
  const chainHash = (await client.getStatus()).chainHash;
  const given = values.hash ?? chainHash;
  if (given !== 'sm3' && given !== 'sha256')
    throw usageError('--hash must be sm3 or sha256', { option: 'hash' });
  const algorithm: 'sm3' | 'sha256' = given;
  const documents = files.map((file) => ({
    algorithm,
    digest: digestDocument(algorithm, readBytes(file, 'FILE')),
  }));
  const dir = (values.out as string | undefined) ?? '.';
  mkdirSync(dir, { recursive: true });
  const paths = receiptPaths(files, dir);
  const choice = waitChoice(values);
  // The first anchoring of a root stands: the same files stamped again get receipts of it.
  const batch = new NotaryBatch(chainHash, documents);
  const existing = await receiptsOfExistingAnchor(client, batch, {
    timeoutMs: choice.waitTimeoutMs ?? 30_000,
  });
  if (existing !== null) {
    for (const [i, r] of existing.entries()) writeReceipt(paths[i]!, r);
    printJson(io, { status: 'alreadyAnchored', root: existing[0]!.batch.root, tx: existing[0]!.tx.hash });
    io.err(`already anchored: wrote ${existing.length} receipt(s) of the first anchoring to ${dir}`);
    return existing.some((r) => r.status === 'pending') ? EXIT.pending : EXIT.ok;
  }
  let receipts: NotaryReceipt[] = [];
  const exit = await sendAndReport(
    io,
    choice,
    async () => {
      const done = await notarize(client, {
        key,
        documents: batch,
        ...(values.owner === undefined ? {} : { owner: values.owner as string }),
        ...(values.type === undefined ? {} : { docType: values.type as string }),
        ...(values.tag === undefined ? {} : { tags: values.tag as string[] }),
        ...(values.ref === undefined ? {} : { ref: values.ref as string }),
        ...choice,
      });
      receipts = done.receipts;
      return done.sent;
    },
    () => ({ fields: { root: receipts[0]?.batch.root, documents: files.length } }),
  );
  if (receipts.length === 0 || exit === EXIT.invalid) return exit;
  if (choice.wait)
    receipts = await awaitNotaryReceipts(client, receipts, { timeoutMs: choice.waitTimeoutMs ?? 30_000 });
  for (const [i, r] of receipts.entries()) writeReceipt(paths[i]!, r);
  const pending = receipts.filter((r) => r.status === 'pending').length;
  io.err(
    `wrote ${receipts.length} receipt(s) to ${dir}${pending ? `, ${pending} pending: run notary complete later` : ''}`,
  );
  return pending > 0 ? EXIT.pending : exit;
}

async function complete(
  values: Record<string, unknown>,
  paths: string[],
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  if (paths.length === 0) throw usageError('name at least one RECEIPT');
  const client = ctx.client(values);
  const receipts = paths.map((path) => parseNotaryReceipt(readJson(path, 'RECEIPT')));
  const timeoutMs = intOption(values, 'timeout-ms', 0, 600_000) ?? 0;
  const done = await awaitNotaryReceipts(client, receipts, { timeoutMs });
  for (const [i, r] of done.entries()) writeReceipt(paths[i]!, r);
  const pending = done.filter((r) => r.status === 'pending').length;
  printJson(io, { complete: done.length - pending, pending });
  return pending > 0 ? EXIT.pending : EXIT.ok;
}

function verify(values: Record<string, unknown>, paths: string[], io: CommandIo): number {
  if (paths.length !== 1) throw usageError('name one RECEIPT to verify');
  const receipt = parseNotaryReceipt(readJson(paths[0]!, 'RECEIPT'));
  const content = readBytes(required(values, 'file'), 'file');
  const pinned = (values.validators as string | undefined) ?? 'genesis.json';
  if (values.validators === undefined && !existsSync(pinned))
    throw usageError('give the pinned validators: --validators GENESIS_OR_SET (no ./genesis.json here)', {
      option: 'validators',
    });
  const trust = pinnedValidators(pinned, receipt);
  return reportVerification(io, () => {
    const result = verifyNotaryReceipt({ receipt, trust, content });
    printJson(io, result);
    if (result.status !== 'pending') return EXIT.ok;
    io.err('pending: the anchor is not in a decided block yet (notary complete fills the receipt in)');
    return EXIT.pending;
  });
}

/** Runs an offline check: a failed check prints `{status: invalid, check, ...}` and exits 1. */
export function reportVerification(io: CommandIo, verify: () => number): number {
  try {
    return verify();
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    printJson(io, { status: 'invalid', check: error.check, message: error.message, details: error.details });
    io.err(`invalid (${error.check}): ${error.message}`);
    return EXIT.invalid;
  }
}

export function searchParameters(values: Record<string, unknown>) {
  const ms = (name: string) => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !/^[0-9]{1,16}$/.test(v))
      throw usageError(`--${name} is a time in milliseconds since the epoch`, { option: name });
    return BigInt(v);
  };
  const from = ms('from');
  const to = ms('to');
  const limit = intOption(values, 'limit', 1, 1000);
  return {
    ...(values.owner === undefined ? {} : { owner: values.owner as string }),
    ...(values.type === undefined ? {} : { type: values.type as string }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(limit === undefined ? {} : { limit }),
    ...(values.after === undefined ? {} : { after: values.after as string }),
  };
}

/** `notary stamp | complete | verify | show | search`. */
export async function runNotary(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  switch (sub) {
    case 'stamp':
      return stamp(values, positionals, ctx);
    case 'complete':
      return complete(values, positionals, ctx);
    case 'verify':
      return verify(values, positionals, io);
    case 'show': {
      const root = positionals[0];
      if (positionals.length !== 1 || !/^[0-9a-f]{64}$/.test(root ?? ''))
        throw usageError('name one ROOT (64 lowercase hex digits)');
      const anchor = await getAnchor(ctx.client(values), root!);
      printJson(io, { anchor });
      return anchor ? EXIT.ok : EXIT.invalid;
    }
    case 'search':
      printJson(io, await searchNotary(ctx.client(values), 'anchors', searchParameters(values)));
      return EXIT.ok;
    default:
      throw usageError(`unknown notary command "${sub ?? ''}"\n\n${NOTARY_USAGE}`);
  }
}
