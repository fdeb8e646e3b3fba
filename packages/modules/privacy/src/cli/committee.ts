import { existsSync } from 'node:fs';
import {
  type CommandContext,
  EXIT,
  intOption,
  printJson,
  required,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import {
  answerComplaints,
  badDealers,
  committeeParamValue,
  complainAbout,
  dealShares,
  deriveShare,
  finalizeEpoch,
  getCommittee,
  registerMemberKey,
} from '../client/committee.js';
import {
  finishDecryption,
  getDecryptionRequest,
  requestDecryption,
  submitPartialDecryption,
} from '../client/decryption.js';
import { type MemberState, newMemberState, parseMemberState } from '../client/member.js';
import { readJsonFile, writeSecretFile } from './files.js';

/** `privacy committee ...` (a member's side of the key generation) and `privacy decrypt ...`. */
type Values = Record<string, unknown>;

const readMember = (values: Values): { path: string; member: MemberState } => {
  const path = required(values, 'member');
  return { path, member: parseMemberState(readJsonFile(path, 'member')) };
};

export async function runCommittee(
  sub: string | undefined,
  values: Values,
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  const choice = waitChoice(values);
  if (sub === 'init') {
    const path = required(values, 'member');
    if (existsSync(path))
      throw usageError(`${path} exists: a member file is never overwritten`, { option: 'member' });
    writeSecretFile(path, newMemberState());
    printJson(io, { member: path });
    return EXIT.ok;
  }
  if (sub === 'param') {
    const threshold = intOption(values, 'threshold', 1, 32);
    const phaseBlocks = intOption(values, 'phase-blocks', 1, 100_000) ?? 20;
    const members = (values['member-address'] as string[] | undefined) ?? [];
    if (threshold === undefined) throw usageError('--threshold T is required', { option: 'threshold' });
    printJson(io, {
      module: 'privacy',
      name: 'committee',
      value: committeeParamValue({ members, threshold, phaseBlocks }),
    });
    return EXIT.ok;
  }
  const client = ctx.client(values);
  if (sub === 'show') {
    printJson(io, await getCommittee(client));
    return EXIT.ok;
  }
  const key = ctx.readKey(required(values, 'key'));
  switch (sub) {
    case 'register': {
      const { member } = readMember(values);
      return sendAndReport(io, choice, () => registerMemberKey(client, { key, member, ...choice }));
    }
    case 'deal': {
      const { path, member } = readMember(values);
      let epoch = 0;
      return sendAndReport(
        io,
        choice,
        async () => {
          const dealt = await dealShares(client, { key, member, ...choice });
          // The polynomial is kept before anything else, so a complaint can always be answered.
          writeSecretFile(path, dealt.member);
          epoch = dealt.epoch;
          return dealt.result;
        },
        () => ({ fields: { epoch } }),
      );
    }
    case 'check': {
      const { member } = readMember(values);
      const bad = await badDealers(client, { key, member });
      const { latest } = await getCommittee(client);
      if (values.complain && latest)
        for (const dealer of bad) {
          const exit = await sendAndReport(io, choice, () =>
            complainAbout(client, { key, epoch: latest.number, dealer, ...choice }),
          );
          if (exit !== EXIT.ok) return exit;
        }
      printJson(io, { epoch: latest?.number ?? null, badDealers: bad });
      return bad.length === 0 ? EXIT.ok : EXIT.invalid;
    }
    case 'answer': {
      const { member } = readMember(values);
      const answered = await answerComplaints(client, { key, member, ...choice });
      printJson(io, {
        answered: answered.map((a) => ({ hash: a.result.hash, code: a.result.receipt?.code ?? null })),
      });
      return answered.every((a) => a.result.receipt?.code === 'OK' || a.result.status !== 'committed')
        ? EXIT.ok
        : EXIT.invalid;
    }
    case 'finalize': {
      const epoch = intOption(values, 'epoch', 1, 0xffff_ffff) ?? (await getCommittee(client)).latest?.number;
      if (epoch === undefined) throw usageError('there is no key generation to finalize');
      return sendAndReport(io, choice, () => finalizeEpoch(client, { key, epoch, ...choice }));
    }
    case 'share': {
      const { path, member } = readMember(values);
      const derived = await deriveShare(client, { key, member });
      writeSecretFile(path, derived.member);
      printJson(io, { epoch: derived.epoch, index: derived.index });
      return EXIT.ok;
    }
    default:
      throw usageError(`unknown privacy committee command "${sub ?? ''}"`);
  }
}

export async function runDecrypt(
  sub: string | undefined,
  values: Values,
  positionals: string[],
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  const choice = waitChoice(values);
  const client = ctx.client(values);
  if (positionals.length !== 1) throw usageError('name one REQUEST id');
  const id = positionals[0] as string;
  switch (sub) {
    case 'request': {
      const out = required(values, 'blind-out');
      if (existsSync(out)) throw usageError(`${out} exists`, { option: 'blind-out' });
      const key = ctx.readKey(required(values, 'key'));
      const target =
        values.round !== undefined
          ? { round: values.round as string }
          : { record: required(values, 'record') };
      return sendAndReport(io, choice, async () => {
        const asked = await requestDecryption(client, {
          key,
          id,
          reason: required(values, 'reason'),
          ...target,
          ...choice,
        });
        writeSecretFile(out, { request: id, blind: asked.blind });
        return asked.result;
      });
    }
    case 'partial': {
      const key = ctx.readKey(required(values, 'key'));
      const { member } = readMember(values);
      return sendAndReport(io, choice, () =>
        submitPartialDecryption(client, { key, request: id, member, ...choice }),
      );
    }
    case 'finish': {
      const blind = (readJsonFile(required(values, 'blind'), 'blind') as { blind?: unknown }).blind;
      if (typeof blind !== 'string') throw usageError('the blind file has no blind', { option: 'blind' });
      const max = values.max === undefined ? undefined : BigInt(required(values, 'max'));
      const publish = Boolean(values.publish);
      const key = publish ? ctx.readKey(required(values, 'key')) : undefined;
      const done = await finishDecryption(client, {
        request: id,
        blind,
        publish,
        ...(max === undefined ? {} : { maxValue: max }),
        ...(key ? { key, ...choice } : {}),
      });
      printJson(io, {
        request: id,
        value: done.value.toString(),
        published: done.result?.result.receipt?.code ?? null,
      });
      return done.result && done.result.result.receipt?.code !== 'OK' ? EXIT.invalid : EXIT.ok;
    }
    case 'show': {
      const request = await getDecryptionRequest(client, id);
      printJson(io, { request });
      return request ? EXIT.ok : EXIT.invalid;
    }
    default:
      throw usageError(`unknown privacy decrypt command "${sub ?? ''}"`);
  }
}
