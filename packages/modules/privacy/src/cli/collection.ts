import { readFileSync, writeFileSync } from 'node:fs';
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
  defineCollection,
  getCollection,
  getPrivateData,
  getPrivateEntry,
  purgePrivateData,
  putPrivateData,
} from '@pujiang/module-collections/client';
import { verifyPrivateValue } from '@pujiang/module-collections/verify';
import { hexToBytes } from '@pujiang/types';

/** `privacy collection ...`: private data collections (the collections module) from the command line. */
type Values = Record<string, unknown>;

function valueOption(values: Values): Uint8Array {
  if ((values.value === undefined) === (values.file === undefined))
    throw usageError('give the value as --value TEXT or --file FILE', { option: 'value' });
  if (values.value !== undefined) return new TextEncoder().encode(values.value as string);
  try {
    return new Uint8Array(readFileSync(values.file as string));
  } catch (error) {
    throw usageError(`cannot read ${values.file}: ${(error as Error).message}`, { option: 'file' });
  }
}

export async function runCollection(
  sub: string | undefined,
  values: Values,
  positionals: string[],
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  const client = ctx.client(values);
  const choice = waitChoice(values);
  const [name, entry] = positionals;
  if (name === undefined) throw usageError('name the COLLECTION');
  const needEntry = () => {
    if (entry === undefined) throw usageError('name the ENTRY');
    return entry;
  };
  switch (sub) {
    case 'define': {
      const key = ctx.readKey(required(values, 'key'));
      const retentionBlocks = intOption(values, 'retention', 1, 10_000_000);
      if (retentionBlocks === undefined)
        throw usageError('--retention BLOCKS is required', { option: 'retention' });
      const orgs = (values.org as string[] | undefined) ?? [];
      const roles = (values.role as string[] | undefined) ?? [];
      return sendAndReport(io, choice, () =>
        defineCollection(client, {
          key,
          name,
          orgs,
          roles,
          retentionBlocks,
          label: (values.label as string) ?? '',
          ...choice,
        }),
      );
    }
    case 'put': {
      const key = ctx.readKey(required(values, 'key'));
      const written = await putPrivateData(client, {
        key,
        collection: name,
        entry: needEntry(),
        value: valueOption(values),
      });
      if (values['salt-out'] !== undefined)
        writeFileSync(
          values['salt-out'] as string,
          `${JSON.stringify({ collection: name, entry, salt: written.salt })}\n`,
          {
            mode: 0o600,
          },
        );
      printJson(io, written);
      return written.status === 'committed' && written.code === 'OK'
        ? EXIT.ok
        : written.status === 'pending'
          ? EXIT.pending
          : EXIT.invalid;
    }
    case 'get': {
      const read = await getPrivateData(client, { collection: name, entry: needEntry() });
      if (values.out !== undefined) writeFileSync(values.out as string, read.value, { mode: 0o600 });
      printJson(io, {
        collection: name,
        entry,
        ...(values.out === undefined ? { value: new TextDecoder().decode(read.value) } : { out: values.out }),
        salt: read.salt,
        record: read.entry,
      });
      return EXIT.ok;
    }
    case 'purge': {
      const key = ctx.readKey(required(values, 'key'));
      return sendAndReport(io, choice, () =>
        purgePrivateData(client, { key, collection: name, entry: needEntry(), ...choice }),
      );
    }
    case 'show': {
      const found =
        entry === undefined
          ? await getCollection(client, name)
          : await getPrivateEntry(client, { collection: name, entry });
      printJson(io, entry === undefined ? { collection: found } : { entry: found });
      return found ? EXIT.ok : EXIT.invalid;
    }
    case 'verify': {
      const record = await getPrivateEntry(client, { collection: name, entry: needEntry() });
      if (!record) throw usageError(`there is no entry ${entry} in ${name}`);
      const salt = required(values, 'salt');
      if (!/^[0-9a-f]{64}$/.test(salt)) throw usageError('--salt is 32 bytes of hex', { option: 'salt' });
      const { chainHash } = await client.getStatus();
      const valid = verifyPrivateValue({
        chainHash,
        collection: name,
        key: needEntry(),
        value: valueOption(values),
        salt: hexToBytes(salt),
        hash: record.hash,
      });
      printJson(io, { valid, record });
      return valid ? EXIT.ok : EXIT.invalid;
    }
    default:
      throw usageError(`unknown privacy collection command "${sub ?? ''}"`);
  }
}
