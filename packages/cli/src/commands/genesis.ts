import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isSuiteId } from '@pujiang/crypto';
import { readKeyFile } from '@pujiang/node';
import { type GenesisJson, parseGenesis } from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { type CommandIo, EXIT, usageError } from '../io.js';
import { intOption, required } from '../options.js';

export const GENESIS_USAGE = `pujiang genesis add-validator --genesis FILE (--node-key FILE | --public-key SUITE:HEX) [--name N] [--power P]
  adds a validator to a genesis before the chain's first start (the key is each operator's nodePublicKey
  from pujiang init); --replace-all first empties the list (to replace the template's own validator)`;

/** Builds a multi-validator genesis from the operators' node keys, checked as every node will check it. */
export function runGenesis(args: readonly string[], io: CommandIo): number {
  const [sub, ...rest] = args;
  if (sub !== 'add-validator')
    throw new PujiangError(
      'CLI_UNKNOWN_COMMAND',
      `unknown command "genesis ${sub ?? ''}"\n\n${GENESIS_USAGE}`,
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      genesis: { type: 'string' },
      'node-key': { type: 'string' },
      'public-key': { type: 'string' },
      name: { type: 'string' },
      power: { type: 'string' },
      'replace-all': { type: 'boolean' },
    },
    strict: true,
  });
  const file = required(values, 'genesis');
  const power = intOption(values, 'power', 1, 1_000_000_000) ?? 10;
  let suite: string;
  let publicKey: string;
  if (values['node-key'] !== undefined) {
    const key = readKeyFile(values['node-key']);
    suite = key.suite;
    publicKey = bytesToHex(key.publicKey.bytes);
  } else {
    const m = /^([a-z0-9+-]+):([0-9a-fA-F]+)$/.exec(required(values, 'public-key'));
    if (!m || !isSuiteId(m[1]!)) throw usageError('--public-key must be SUITE:HEX', { option: 'public-key' });
    suite = m[1]!;
    publicKey = m[2]!.toLowerCase();
  }
  let json: GenesisJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as GenesisJson;
  } catch (error) {
    throw usageError(`cannot read ${file} as JSON: ${(error as Error).message}`, { option: 'genesis' });
  }
  const validators = values['replace-all'] ? [] : [...(json.validators ?? [])];
  if (validators.some((v) => v.publicKey.toLowerCase() === publicKey))
    throw usageError('that key is already a validator', { publicKey });
  validators.push({
    name: values.name ?? `node${validators.length}`,
    suite: suite as GenesisJson['validators'][number]['suite'],
    publicKey,
    power,
  });
  const next = { ...json, validators };
  parseGenesis(next); // GENESIS_INVALID, naming the field, before anything is written
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, file);
  io.out(JSON.stringify({ genesis: file, validators: validators.map((v) => v.name) }));
  return EXIT.ok;
}
