import { writeFileSync } from 'node:fs';
import {
  type CommandContext,
  EXIT,
  eventsOf,
  intOption,
  nodeUrl,
  printJson,
  required,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { issueConsent, revokeConsent } from '../client/consent.js';
import { fetchData } from '../client/fetch.js';
import { getDataRequest, grantRequest, refuseRequest, requestData, revokeGrant } from '../client/requests.js';
import { DATA_MODULE } from '../formats.js';
import { openRequest } from '../sealed-request.js';
import { timeOption } from './data.js';
import { readAgreementKey, readJson, writeJson } from './files.js';

type Values = Record<string, unknown>;

const requestId = (positionals: string[]): string => {
  const [id] = positionals;
  if (id === undefined || !/^[0-9a-f]{64}$/.test(id)) throw usageError('name the REQUEST (its id, 64 hex)');
  return id;
};

/** `data request`: asks for a dataset or a subject's record, sealed. */
export async function runRequest(values: Values, ctx: CommandContext): Promise<number> {
  const client = ctx.client(values);
  const key = ctx.readKey(required(values, 'key'));
  const reply = readAgreementKey(required(values, 'reply-key'), 'reply-key');
  const validUntil = timeOption(values, 'until');
  if (!validUntil) throw usageError('--until TIME is required', { option: 'until' });
  const choice = waitChoice(values);
  return sendAndReport(
    ctx.io,
    choice,
    () =>
      requestData(client, {
        key,
        dataset: required(values, 'dataset'),
        ...(values.subject === undefined ? {} : { subject: values.subject as string }),
        ...(values['subject-did'] === undefined ? {} : { subjectDid: values['subject-did'] as string }),
        ...(values['requester-did'] === undefined ? {} : { requesterDid: values['requester-did'] as string }),
        purpose: required(values, 'purpose'),
        legalBasis: required(values, 'legal-basis'),
        validUntil,
        replyKey: reply.publicKey,
        ...(values.consent === undefined ? {} : { consent: readJson(values.consent as string, 'consent') }),
        ...choice,
      }),
    (sent) => ({
      fields: {
        request: sent.hash,
        granted: eventsOf(sent.result.receipt, DATA_MODULE, 'granted').length > 0,
      },
    }),
  );
}

/** `data consent issue | revoke`: the subject's side. */
export async function runConsent(
  positionals: string[],
  values: Values,
  ctx: CommandContext,
): Promise<number> {
  const client = ctx.client(values);
  const key = ctx.readKey(required(values, 'key'));
  const [sub, file] = positionals;
  if (sub === 'revoke') {
    if (file === undefined) throw usageError('name the consent FILE');
    const choice = waitChoice(values);
    return sendAndReport(ctx.io, choice, () =>
      revokeConsent(client, { key, consent: readJson(file, 'file') }),
    );
  }
  if (sub !== 'issue') throw usageError('data consent issue | revoke');
  const validUntil = timeOption(values, 'until');
  if (!validUntil) throw usageError('--until TIME is required', { option: 'until' });
  const index = intOption(values, 'index', 0, 1 << 20);
  if (index === undefined)
    throw usageError('--index N is required (the consent’s bit in the list)', { option: 'index' });
  const list = required(values, 'list');
  const credential = await issueConsent(client, {
    key,
    subjectDid: required(values, 'subject-did'),
    requester: required(values, 'requester'),
    dataset: required(values, 'dataset'),
    purpose: required(values, 'purpose'),
    validUntil,
    statusList: { list, url: `${nodeUrl(values)}/credentials/status/${list}`, index },
  });
  writeJson(required(values, 'out'), credential);
  printJson(ctx.io, { file: values.out, consent: credential });
  return EXIT.ok;
}

/** `data grant | refuse | revoke REQUEST`. */
export async function runDecision(
  command: 'grant' | 'refuse' | 'revoke',
  positionals: string[],
  values: Values,
  ctx: CommandContext,
): Promise<number> {
  const client = ctx.client(values);
  const request = requestId(positionals);
  const key = ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  if (command === 'grant') {
    const until = timeOption(values, 'until');
    return sendAndReport(ctx.io, choice, () =>
      grantRequest(client, { key, request, ...(until ? { validUntil: until } : {}), ...choice }),
    );
  }
  const reason = required(values, 'reason');
  const send = command === 'refuse' ? refuseRequest : revokeGrant;
  return sendAndReport(ctx.io, choice, () => send(client, { key, request, reason, ...choice }));
}

/** `data show REQUEST [--open XFILE]`. */
export async function runShow(positionals: string[], values: Values, ctx: CommandContext): Promise<number> {
  const client = ctx.client(values);
  const request = await getDataRequest(client, requestId(positionals));
  if (!request) {
    printJson(ctx.io, { request: null });
    return EXIT.invalid;
  }
  if (values.open === undefined) {
    printJson(ctx.io, { request });
    return EXIT.ok;
  }
  const { chainId, chainHash } = await client.getStatus();
  const secrets = openRequest(readAgreementKey(values.open as string, 'open').secretKey, request, {
    chainId,
    chainHash,
  });
  printJson(ctx.io, { request, sealed: secrets });
  return EXIT.ok;
}

/** `data fetch REQUEST`: the requester fetches from the agency's data service. */
export async function runFetch(positionals: string[], values: Values, ctx: CommandContext): Promise<number> {
  const client = ctx.client(values);
  const fetched = await fetchData(client, {
    service: required(values, 'service'),
    request: requestId(positionals),
    key: ctx.readKey(required(values, 'key')),
    replySecret: readAgreementKey(required(values, 'reply-key'), 'reply-key').secretKey,
  });
  if (values.out !== undefined)
    writeFileSync(values.out as string, `${JSON.stringify(fetched.delivery, null, 2)}\n`, { mode: 0o600 });
  printJson(ctx.io, values.out === undefined ? fetched : { ...fetched, delivery: { file: values.out } });
  return EXIT.ok;
}
