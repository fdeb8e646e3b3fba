import { existsSync } from 'node:fs';
import {
  type CommandContext,
  EXIT,
  eventsOf,
  intOption,
  printJson,
  required,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import {
  decryptPaillier,
  generatePaillierKey,
  modulusBytes,
  parsePaillierKeyFile,
  publishPaillierTotal,
  registerPaillierKey,
} from '../client/paillier.js';
import { closeRound, getRound, openRound, submitToRound } from '../client/rounds.js';
import { readJsonFile, writeSecretFile } from './files.js';

/** `privacy key ...` and `privacy round ...`: Paillier keys and aggregation rounds. */
type Values = Record<string, unknown>;

const value = (values: Values): bigint => {
  const text = required(values, 'value');
  if (!/^(0|[1-9][0-9]*)$/.test(text))
    throw usageError('--value is a non-negative integer', { option: 'value' });
  return BigInt(text);
};

const oneId = (positionals: readonly string[], what: string): string => {
  if (positionals.length !== 1) throw usageError(`name one ${what}`);
  return positionals[0] as string;
};

export async function runKey(
  sub: string | undefined,
  values: Values,
  positionals: string[],
  ctx: CommandContext,
): Promise<number> {
  switch (sub) {
    case 'new': {
      const out = required(values, 'out');
      if (existsSync(out))
        throw usageError(`${out} exists: a key file is never overwritten`, { option: 'out' });
      const key = await generatePaillierKey(intOption(values, 'bits', 2048, 4096) ?? 2048);
      writeSecretFile(out, key);
      printJson(ctx.io, { out, bits: BigInt(`0x${key.n}`).toString(2).length, modulus: key.n });
      return EXIT.ok;
    }
    case 'register': {
      const keyFile = parsePaillierKeyFile(readJsonFile(required(values, 'paillier'), 'paillier'));
      const client = ctx.client(values);
      const key = ctx.readKey(required(values, 'key'));
      const id = oneId(positionals, 'key ID');
      return sendAndReport(ctx.io, waitChoice(values), () =>
        registerPaillierKey(client, {
          key,
          id,
          modulus: keyFile.n,
          label: (values.label as string) ?? '',
          ...waitChoice(values),
        }),
      );
    }
    default:
      throw usageError(`unknown privacy key command "${sub ?? ''}"`);
  }
}

export async function runRound(
  sub: string | undefined,
  values: Values,
  positionals: string[],
  ctx: CommandContext,
): Promise<number> {
  const client = ctx.client(values);
  const id = oneId(positionals, 'round ID');
  const choice = waitChoice(values);
  switch (sub) {
    case 'open': {
      const scheme = required(values, 'scheme');
      if (scheme !== 'paillier' && scheme !== 'committee')
        throw usageError('--scheme is paillier or committee', { option: 'scheme' });
      const closesAt = intOption(values, 'closes-at', 1, Number.MAX_SAFE_INTEGER);
      if (closesAt === undefined) throw usageError('--closes-at HEIGHT is required', { option: 'closes-at' });
      const key = ctx.readKey(required(values, 'key'));
      return sendAndReport(ctx.io, choice, () =>
        openRound(client, {
          key,
          id,
          scheme,
          ...(values['paillier-key'] === undefined ? {} : { keyId: values['paillier-key'] as string }),
          submitters: (values.submitter as string[] | undefined) ?? [],
          orgs: (values.org as string[] | undefined) ?? [],
          maxPerSubmitter: intOption(values, 'max', 1, 1_000_000) ?? 1,
          closesAt,
          label: (values.label as string) ?? '',
          ...choice,
        }),
      );
    }
    case 'submit': {
      const key = ctx.readKey(required(values, 'key'));
      const v = value(values);
      return sendAndReport(
        ctx.io,
        choice,
        () => submitToRound(client, { key, round: id, value: v, ...choice }),
        (sent) => ({
          fields: { count: eventsOf(sent.result.receipt, 'privacy', 'submitted')[0]?.attributes.count },
        }),
      );
    }
    case 'close': {
      const key = ctx.readKey(required(values, 'key'));
      return sendAndReport(ctx.io, choice, () => closeRound(client, { key, round: id, ...choice }));
    }
    case 'show': {
      const round = await getRound(client, id);
      printJson(ctx.io, { round });
      return round ? EXIT.ok : EXIT.invalid;
    }
    case 'decrypt': {
      const keyFile = parsePaillierKeyFile(readJsonFile(required(values, 'paillier'), 'paillier'));
      const round = await getRound(client, id);
      if (round?.scheme !== 'paillier') throw usageError(`${id} is not a Paillier round`);
      const { value: total, randomness } = decryptPaillier(keyFile, round.total);
      if (!values.publish) {
        printJson(ctx.io, { round: id, count: round.count, total: total.toString() });
        return EXIT.ok;
      }
      const key = ctx.readKey(required(values, 'key'));
      const bytes = modulusBytes(BigInt(`0x${keyFile.n}`)).length;
      return sendAndReport(
        ctx.io,
        choice,
        () =>
          publishPaillierTotal(client, {
            key,
            round: id,
            modulusBytes: bytes,
            value: total,
            randomness,
            ...choice,
          }),
        () => ({ fields: { total: total.toString(), count: round.count } }),
      );
    }
    default:
      throw usageError(`unknown privacy round command "${sub ?? ''}"`);
  }
}
