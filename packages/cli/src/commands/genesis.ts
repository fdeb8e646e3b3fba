import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, intOption, required, usageError } from '@pujiang/cli-kit';
import { type Certificate, certificateToPem, isSuiteId } from '@pujiang/crypto';
import { readCertificate } from '@pujiang/module-governance/cli';
import { checkGenesis, readKeyFile } from '@pujiang/node';
import { type GenesisJson, parseGenesis } from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';

export const GENESIS_USAGE = `pujiang genesis add-validator --genesis FILE (--node-key FILE | --public-key SUITE:HEX) [--name N] [--power P] [--cert PEM]
  adds a validator to a genesis before the chain's first start (the key is each operator's nodePublicKey
  from pujiang init); --replace-all first empties the list (to replace the template's own validator);
  --cert adds the node key's certificate (role validator) to the founding identities
pujiang genesis add-org --genesis FILE --ca PEM [--id ID] [--name N]
  adds a founding organization with its root CA certificate (the id defaults to the CA's O)
pujiang genesis add-identity --genesis FILE --cert PEM
  registers a member certificate (an organization's admin, say) from the first block`;

/** Builds a multi-validator genesis from the operators' node keys, checked as every node will check it. */
export function runGenesis(args: readonly string[], io: CommandIo): number {
  const [sub, ...rest] = args;
  if (sub === 'add-org' || sub === 'add-identity') return runMembership(sub, rest, io);
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
      cert: { type: 'string' },
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
  const json = readJson(file);
  const validators = values['replace-all'] ? [] : [...(json.validators ?? [])];
  if (validators.some((v) => v.publicKey.toLowerCase() === publicKey))
    throw usageError('that key is already a validator', { publicKey });
  validators.push({
    name: values.name ?? `node${validators.length}`,
    suite: suite as GenesisJson['validators'][number]['suite'],
    publicKey,
    power,
  });
  let next: GenesisJson = { ...json, validators };
  if (values.cert !== undefined) next = withIdentity(next, readPem(values.cert, 'cert').pem);
  write(file, next);
  io.out(JSON.stringify({ genesis: file, validators: validators.map((v) => v.name) }));
  return EXIT.ok;
}

function readJson(file: string): GenesisJson {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as GenesisJson;
  } catch (error) {
    throw usageError(`cannot read ${file} as JSON: ${(error as Error).message}`, { option: 'genesis' });
  }
}

/** Checks the genesis as every node will (GENESIS_INVALID, naming the field) before anything is written. */
function write(file: string, next: GenesisJson): void {
  checkGenesis(parseGenesis(next));
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, file);
}

/** A certificate file, checked, in canonical PEM (what genesis holds). */
function readPem(path: string, option: string): { pem: string; cert: Certificate } {
  const { der, cert } = readCertificate(path, option);
  return { pem: certificateToPem(der), cert };
}

type GovernanceSection = { organizations?: unknown[]; identities?: string[] };
const governanceOf = (json: GenesisJson): GovernanceSection =>
  (json.modules?.governance ?? {}) as GovernanceSection;

function withIdentity(json: GenesisJson, pem: string): GenesisJson {
  const g = governanceOf(json);
  if ((g.identities ?? []).some((c) => c.trim() === pem.trim())) return json;
  return {
    ...json,
    modules: { ...json.modules, governance: { ...g, identities: [...(g.identities ?? []), pem] } },
  };
}

/** Founding organizations and identities: what makes the chain permissioned from its first block. */
function runMembership(sub: 'add-org' | 'add-identity', rest: readonly string[], io: CommandIo): number {
  const { values } = parseArgs({
    args: [...rest],
    options: {
      genesis: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  const file = required(values, 'genesis');
  const json = readJson(file);
  if (sub === 'add-identity') {
    write(file, withIdentity(json, readPem(required(values, 'cert'), 'cert').pem));
    io.out(
      JSON.stringify({ genesis: file, identities: (governanceOf(readJson(file)).identities ?? []).length }),
    );
    return EXIT.ok;
  }
  const { pem, cert } = readPem(required(values, 'ca'), 'ca');
  const id = values.id ?? cert.subject.organization;
  if (!id) throw usageError('the CA names no organization (O): give --id', { option: 'id' });
  const g = governanceOf(json);
  const organizations = [...(g.organizations ?? []), { id, name: values.name ?? id, caCertificate: pem }];
  write(file, { ...json, modules: { ...json.modules, governance: { ...g, organizations } } });
  io.out(JSON.stringify({ genesis: file, organizations: organizations.length, org: id }));
  return EXIT.ok;
}
