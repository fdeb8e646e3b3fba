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
import { bytesToHex } from '@pujiang/types';
import { addAgreementKey } from '../client/agreement-keys.js';
import {
  type DatasetFields,
  getCatalog,
  getDataset,
  registerDataset,
  updateDataset,
} from '../client/catalog.js';
import { newAgreementKeyFile, readJson } from './files.js';

type Values = Record<string, unknown>;

/** `data keygen`: an X25519 key file, added to a DID as its key-agreement key with --did. */
export async function runKeygen(values: Values, ctx: CommandContext): Promise<number> {
  const out = required(values, 'out');
  let publicKey: Uint8Array;
  try {
    publicKey = newAgreementKeyFile(out);
  } catch (error) {
    throw usageError(`cannot write ${out}: ${(error as Error).message}`, { option: 'out' });
  }
  if (values.did === undefined) {
    printJson(ctx.io, { file: out, publicKey: bytesToHex(publicKey) });
    return EXIT.ok;
  }
  const key = ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  let method = '';
  return sendAndReport(
    ctx.io,
    choice,
    async () => {
      const sent = await addAgreementKey(ctx.client(values), {
        key,
        did: values.did as string,
        publicKey,
        ...choice,
      });
      method = sent.method;
      return sent;
    },
    () => ({ fields: { file: out, publicKey: bytesToHex(publicKey), method } }),
  );
}

/** `data catalog [show ID | publish FILE]`. */
export async function runCatalog(
  positionals: string[],
  values: Values,
  ctx: CommandContext,
): Promise<number> {
  const client = ctx.client(values);
  const [sub, arg] = positionals;
  if (sub === undefined) {
    const from = intOption(values, 'from', 0, 0xffff_ffff) ?? 0;
    const limit = intOption(values, 'limit', 0, 500) ?? 100;
    const { count, datasets } = await getCatalog(client, { from, limit });
    printJson(ctx.io, {
      count,
      datasets: datasets.map(({ schema: _schema, ...d }) => d),
    });
    return EXIT.ok;
  }
  if (arg === undefined) throw usageError(`data catalog ${sub} needs its argument`);
  if (sub === 'show') {
    const version = intOption(values, 'version', 1, 0xffff_ffff);
    const dataset = await getDataset(client, arg, version === undefined ? {} : { version });
    printJson(ctx.io, { dataset: dataset ?? null });
    return dataset ? EXIT.ok : EXIT.invalid;
  }
  if (sub !== 'publish') throw usageError(`unknown catalog command "${sub}"`);
  const fields = readJson(arg, 'file') as unknown as DatasetFields;
  const key = ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  const existing =
    typeof fields.id === 'string' ? await getDataset(client, fields.id).catch(() => undefined) : undefined;
  return sendAndReport(ctx.io, choice, () =>
    existing
      ? updateDataset(client, { ...fields, key, version: existing.version, ...choice })
      : registerDataset(client, { ...fields, key, ...choice }),
  );
}
