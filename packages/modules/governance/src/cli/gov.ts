import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  eventsOf,
  intOption,
  NODE_OPTIONS,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { isSuiteId, type PublicKey } from '@pujiang/crypto';
import type { ChainClient } from '@pujiang/module-kit';
import type { Receipt } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';
import {
  finalizeProposal,
  proposalStatusAt,
  submitProposal,
  vetoProposal,
  voteOnProposal,
} from '../client.js';
import { GOVERNANCE_MODULE, type GovernanceAction, ROLES, type Role } from '../formats.js';
import { policyFromJson, policyResourceProblem } from '../policies.js';
import type { ProposalJson } from '../schemas.js';
import { orgAndSerial, publicKeyOption, readCertificate } from './options.js';

export const GOV_USAGE = `Governance (transactions take --key FILE [--node URL | --api URL] [--no-wait] [--timeout-ms MS] and exit as send does):
pujiang gov propose KIND [options] --key FILE [--title T]      an admin proposes; prints the proposal id and the tx hash
  add-org --ca FILE.pem [--id ID] [--name N]        a new member organization (id defaults to the CA's O)
  remove-org --id ID
  rotate-ca --org ID --ca FILE.pem [--retire-previous]
  revoke-cert (--org ID --serial HEX | --cert FILE.pem)
  set-validator (--public-key SUITE:HEX | --node-home DIR) --power N [--name N]    power 0 removes it
  set-config [--accepted-suites a,b] [--max-block-txs N] [--max-block-bytes N] [--max-block-gas N]
             [--voting-period N] [--timelock N]     fields not given keep their current values
  set-policy --resource R (--policy JSON | --remove)
             JSON: {"rule": "any"|"all"|"majority"|{"atLeast": k}|{"fraction": [n, d]}, "roles": [...],
                    "orgs": [...], "vetoBy": [...], "withinOrg": {"identities": n, "roles": [...]}}
             withinOrg: an organization counts only when n distinct identities of it sign, each
             listed role held by a different one (maker-checker-approver; not on governance/proposal/*)
             R may be narrower than module/message (scf/finance/bank-a): lookups walk up its path
  set-param --module M --name N --value HEX
  set-read-permission --org ID --role ROLE [--resource R]...   a role's read mandate: private data it may read
                                                    (collections/NAME or collections/*; none removes it)
  set-pacing --empty-block-interval-ms MS           an idle chain makes a block every MS (0: every block interval)
pujiang gov vote ID yes|no --key FILE                your organization's vote
pujiang gov veto ID --reason TEXT --key FILE         a regulator the policy names stops a proposal
pujiang gov finalize ID --key FILE                   executes a proposal past its time-lock, or records its expiry
                                                     (exit 1 when the action failed on execution)
pujiang gov list [--limit N]                         the newest proposals (default 50, at most 100)
pujiang gov show ID                                  a proposal, its votes and history, and its status at the current height
pujiang gov members | config | validators            organizations and their CAs, the chain configuration, the validator set
pujiang gov identity ADDRESS | policy RESOURCE | crl ORG`;

type Values = Record<string, string | boolean | undefined>;
type Option = { type: 'string'; multiple?: boolean } | { type: 'boolean' };

interface ProposalKind {
  readonly options: Record<string, Option>;
  build(
    values: Values,
    client: ChainClient,
    ctx: CommandContext,
  ): Promise<{ action: GovernanceAction; title: string }>;
}

const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const U32_MAX = 2 ** 32 - 1;
const U64_LIMIT = 1n << 64n;

function u64Option(values: Values, name: string, min: bigint): bigint | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9]{1,20}$/.test(value) || BigInt(value) < min)
    throw usageError(`--${name} must be an integer from ${min} below 2^64`, { option: name });
  const n = BigInt(value);
  if (n >= U64_LIMIT) throw usageError(`--${name} must be below 2^64`, { option: name });
  return n;
}

function hexOption(values: Values, name: string): Uint8Array {
  const text = required(values, name, true).replace(/^0x/, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw usageError(`--${name} must be hex`, { option: name });
  return hexToBytes(text.toLowerCase());
}

async function queryResult(client: ChainClient, name: string, params: Record<string, string> = {}) {
  return (await client.query(GOVERNANCE_MODULE, name, params)).result;
}

const KINDS: Record<string, ProposalKind> = {
  'add-org': {
    options: { id: str, name: str, ca: str },
    async build(values) {
      const { der, cert } = readCertificate(required(values, 'ca'), 'ca');
      if (!cert.isCA) throw usageError(`${String(values.ca)} is not a CA certificate`, { option: 'ca' });
      const id = (values.id as string | undefined) ?? cert.subject.organization;
      if (!id) throw usageError('the CA names no organization (O): give --id', { option: 'id' });
      const name = (values.name as string | undefined) ?? id;
      return {
        action: { type: 'addOrganization', value: { id, name, caCertificate: der } },
        title: `add organization ${id}`,
      };
    },
  },
  'remove-org': {
    options: { id: str },
    async build(values) {
      const id = required(values, 'id');
      return { action: { type: 'removeOrganization', value: { id } }, title: `remove organization ${id}` };
    },
  },
  'rotate-ca': {
    options: { org: str, ca: str, 'retire-previous': flag },
    async build(values) {
      const org = required(values, 'org');
      const { der, cert } = readCertificate(required(values, 'ca'), 'ca');
      if (!cert.isCA) throw usageError(`${String(values.ca)} is not a CA certificate`, { option: 'ca' });
      const retirePrevious = values['retire-previous'] === true;
      return {
        action: { type: 'rotateCa', value: { org, caCertificate: der, retirePrevious } },
        title: `rotate the CA of ${org}${retirePrevious ? ', retiring the previous ones' : ''}`,
      };
    },
  },
  'revoke-cert': {
    options: { org: str, serial: str, cert: str },
    async build(values) {
      const { org, serial } = orgAndSerial(values);
      return {
        action: { type: 'revokeCertificate', value: { org, serial: hexToBytes(serial) } },
        title: `revoke certificate ${serial} of ${org}`,
      };
    },
  },
  'set-validator': {
    options: { 'public-key': str, 'node-home': str, power: str, name: str },
    async build(values, client, ctx) {
      if ((values['public-key'] === undefined) === (values['node-home'] === undefined))
        throw usageError('give one of --public-key SUITE:HEX or --node-home DIR', { option: 'public-key' });
      const key: PublicKey =
        values['node-home'] !== undefined
          ? ctx.readNodeKey(values['node-home'] as string).publicKey
          : publicKeyOption(values['public-key'] as string, 'public-key');
      required(values, 'power');
      const power = u64Option(values, 'power', 0n)!;
      const hex = bytesToHex(key.bytes);
      let name = values.name as string | undefined;
      if (name === undefined) {
        // Keep the name a validator already has; a new one is named after its home or key.
        const set = (await queryResult(client, 'validators')) as {
          validators: { name: string; suite: string; publicKey: string }[];
        } | null;
        name =
          set?.validators.find((v) => v.suite === key.suite && v.publicKey === hex)?.name ??
          (values['node-home'] !== undefined
            ? basename(resolve(values['node-home'] as string))
            : `validator-${hex.slice(0, 8)}`);
      }
      if (name.length > 64) throw usageError('--name is at most 64 characters', { option: 'name' });
      return {
        action: { type: 'setValidator', value: { suite: key.suite, publicKey: key.bytes, power, name } },
        title: power === 0n ? `remove validator ${name}` : `set validator ${name} to power ${power}`,
      };
    },
  },
  'set-config': {
    options: {
      'accepted-suites': str,
      'max-block-txs': str,
      'max-block-bytes': str,
      'max-block-gas': str,
      'voting-period': str,
      timelock: str,
    },
    async build(values, client) {
      const given = Object.keys(KINDS['set-config']!.options).filter((k) => values[k] !== undefined);
      if (given.length === 0)
        throw usageError('set-config changes nothing: give at least one field', {
          options: Object.keys(KINDS['set-config']!.options),
        });
      const suites =
        values['accepted-suites'] === undefined
          ? undefined
          : (values['accepted-suites'] as string).split(',').filter((s) => s.length > 0);
      if (suites !== undefined) {
        const unknown = suites.filter((s) => !isSuiteId(s));
        if (suites.length === 0 || unknown.length > 0)
          throw usageError(
            `--accepted-suites lists unknown suites: ${unknown.join(', ') || '(none given)'}`,
            {
              option: 'accepted-suites',
            },
          );
      }
      const maxBlockTxs = intOption(values, 'max-block-txs', 1, U32_MAX);
      const maxBlockBytes = intOption(values, 'max-block-bytes', 1, U32_MAX);
      const maxBlockGas = u64Option(values, 'max-block-gas', 1n);
      const votingPeriod = intOption(values, 'voting-period', 1, U32_MAX);
      const timelock = intOption(values, 'timelock', 0, U32_MAX);
      const current = (await queryResult(client, 'config')) as {
        acceptedSuites: GovernanceConfig['acceptedSuites'];
        maxBlockBytes: number;
        maxBlockTxs: number;
        maxBlockGas: string;
        votingPeriod: number;
        timelock: number;
      } | null;
      if (!current)
        throw new PujiangError('CLI_NO_CONFIG', 'this chain keeps no configuration in its governance state');
      const value: GovernanceConfig = {
        acceptedSuites: (suites as GovernanceConfig['acceptedSuites'] | undefined) ?? current.acceptedSuites,
        maxBlockBytes: maxBlockBytes ?? current.maxBlockBytes,
        maxBlockTxs: maxBlockTxs ?? current.maxBlockTxs,
        maxBlockGas: maxBlockGas ?? BigInt(current.maxBlockGas),
        votingPeriod: votingPeriod ?? current.votingPeriod,
        timelock: timelock ?? current.timelock,
      };
      return { action: { type: 'setConfig', value }, title: `set ${given.join(', ')}` };
    },
  },
  'set-policy': {
    options: { resource: str, policy: str, remove: flag },
    async build(values) {
      const resource = required(values, 'resource');
      if ((values.policy === undefined) === (values.remove !== true))
        throw usageError('give one of --policy JSON or --remove', { option: 'policy' });
      if (values.remove === true)
        return {
          action: { type: 'setPolicy', value: { resource } },
          title: `remove the policy of ${resource}`,
        };
      let json: unknown;
      try {
        json = JSON.parse(values.policy as string);
      } catch (error) {
        throw usageError(`--policy is not JSON: ${(error as Error).message}`, { option: 'policy' });
      }
      const policy = policyFromJson(json);
      if (typeof policy === 'string') throw usageError(`--policy: ${policy}`, { option: 'policy' });
      const problem = policyResourceProblem(resource, policy);
      if (problem) throw usageError(`--policy: ${problem}`, { option: 'policy' });
      return {
        action: { type: 'setPolicy', value: { resource, policy } },
        title: `set the policy of ${resource}`,
      };
    },
  },
  'set-pacing': {
    options: { 'empty-block-interval-ms': str },
    async build(values) {
      const ms = intOption(values, 'empty-block-interval-ms', 0, 86_400_000);
      if (ms === undefined)
        throw usageError('give --empty-block-interval-ms MS', { option: 'empty-block-interval-ms' });
      return {
        action: { type: 'setPacing', value: { emptyBlockIntervalMs: ms } },
        title: `make an empty block every ${ms} ms while idle`,
      };
    },
  },
  'set-read-permission': {
    options: { org: str, role: str, resource: { type: 'string', multiple: true } },
    async build(values) {
      const org = required(values, 'org');
      const role = required(values, 'role');
      if (!(ROLES as readonly string[]).includes(role))
        throw usageError(`--role is one of ${ROLES.join(', ')}`, { option: 'role' });
      const resources = (values.resource as unknown as string[] | undefined) ?? [];
      return {
        action: { type: 'setReadPermission', value: { org, role: role as Role, resources } },
        title: `${org}'s ${role}s may read ${resources.length ? resources.join(', ') : 'no private data'}`,
      };
    },
  },
  'set-param': {
    options: { module: str, name: str, value: str },
    async build(values) {
      const module = required(values, 'module');
      const name = required(values, 'name');
      const value = hexOption(values, 'value');
      return {
        action: { type: 'setModuleParam', value: { module, name, value } },
        title: `set ${module} parameter ${name}`,
      };
    },
  },
};

type GovernanceConfig = Extract<GovernanceAction, { type: 'setConfig' }>['value'];

function proposalId(text: string | undefined): bigint {
  if (text === undefined || !/^[1-9][0-9]{0,19}$/.test(text) || BigInt(text) >= U64_LIMIT)
    throw usageError('the proposal ID is a positive integer', { got: text ?? null });
  return BigInt(text);
}

function positionalsOf(positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length !== names.length)
    throw usageError(`expected ${names.join(' ') || 'no arguments'}`, { got: positionals.length });
  return [...positionals];
}

/** What a proposal's status became in this transaction, from the events it emitted. */
function proposalOutcome(receipt: Receipt | undefined, id: string) {
  const of = (type: string) =>
    eventsOf(receipt, GOVERNANCE_MODULE, type).find((e) => e.attributes.id === id)?.attributes;
  const approved = of('approved');
  if (approved) return { proposalStatus: 'queued', executableAt: approved.executableAt };
  if (of('rejected')) return { proposalStatus: 'rejected' };
  return { proposalStatus: 'voting' };
}

export async function runGov(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'propose':
      return propose(rest, ctx);
    case 'vote':
    case 'veto':
    case 'finalize':
      return decide(sub, rest, ctx);
    case 'list':
    case 'show':
    case 'members':
    case 'config':
    case 'validators':
    case 'identity':
    case 'policy':
    case 'crl':
      return read(sub, rest, ctx);
    default:
      throw new PujiangError('CLI_UNKNOWN_COMMAND', `unknown command "gov ${sub ?? ''}"\n\n${GOV_USAGE}`);
  }
}

async function propose(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const [kindName, ...rest] = args;
  const kind = kindName === undefined ? undefined : KINDS[kindName];
  if (kind === undefined || !Object.hasOwn(KINDS, kindName!))
    throw new PujiangError(
      'CLI_UNKNOWN_COMMAND',
      `unknown proposal kind "${kindName ?? ''}" (one of ${Object.keys(KINDS).join(', ')})`,
      { kind: kindName ?? null },
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...SEND_OPTIONS, title: str, ...kind.options },
    allowPositionals: true,
    strict: true,
  });
  positionalsOf(positionals, []);
  const client = ctx.client(values as { node?: string; api?: string });
  const choice = waitChoice(values);
  const key = ctx.readKey(required(values, 'key'));
  const built = await kind.build(values, client, ctx);
  const title = (values.title as string | undefined) ?? built.title;
  if (Buffer.byteLength(title) > 256) throw usageError('--title is at most 256 bytes', { option: 'title' });
  return sendAndReport(
    io,
    choice,
    () => submitProposal(client, { key, title, action: built.action, ...choice }),
    ({ result }) => {
      const proposed = eventsOf(result.receipt, GOVERNANCE_MODULE, 'proposed')[0]?.attributes;
      if (!proposed) return {};
      return {
        fields: {
          proposal: proposed.id,
          kind: built.action.type,
          title,
          votingEnds: proposed.votingEnds,
          ...proposalOutcome(result.receipt, proposed.id!),
        },
      };
    },
  );
}

async function decide(sub: 'vote' | 'veto' | 'finalize', args: readonly string[], ctx: CommandContext) {
  const { io } = ctx;
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...SEND_OPTIONS, ...(sub === 'veto' ? { reason: str } : {}) },
    allowPositionals: true,
    strict: true,
  });
  const [idText, choiceText] = positionalsOf(positionals, sub === 'vote' ? ['ID', 'yes|no'] : ['ID']);
  const id = proposalId(idText);
  const approve = choiceText === 'yes' ? true : choiceText === 'no' ? false : undefined;
  if (sub === 'vote' && approve === undefined)
    throw usageError(`a vote is yes or no, not ${choiceText}`, { got: choiceText });
  const reason = sub === 'veto' ? required(values, 'reason') : '';
  if (Buffer.byteLength(reason) > 256)
    throw usageError('--reason is at most 256 bytes', { option: 'reason' });
  const client = ctx.client(values);
  const choice = waitChoice(values);
  const key = ctx.readKey(required(values, 'key'));
  const common = { key, id, ...choice };
  const idString = String(id);
  if (sub === 'vote')
    return sendAndReport(
      io,
      choice,
      () => voteOnProposal(client, { ...common, approve: approve! }),
      ({ result }) => ({
        fields: { proposal: idString, approve, ...proposalOutcome(result.receipt, idString) },
      }),
    );
  if (sub === 'veto')
    return sendAndReport(
      io,
      choice,
      () => vetoProposal(client, { ...common, reason }),
      () => ({ fields: { proposal: idString, proposalStatus: 'vetoed' } }),
    );
  return sendAndReport(
    io,
    choice,
    () => finalizeProposal(client, common),
    ({ result }) => {
      const of = (type: string) =>
        eventsOf(result.receipt, GOVERNANCE_MODULE, type).find((e) => e.attributes.id === idString);
      const failed = of('failed');
      if (failed) {
        io.err(`failed ${failed.attributes.code}: proposal ${idString} could not be executed`);
        return {
          fields: { proposal: idString, proposalStatus: 'failed', failure: failed.attributes.code },
          exit: EXIT.invalid,
        };
      }
      return { fields: { proposal: idString, proposalStatus: of('executed') ? 'executed' : 'expired' } };
    },
  );
}

async function read(
  sub: 'list' | 'show' | 'members' | 'config' | 'validators' | 'identity' | 'policy' | 'crl',
  args: readonly string[],
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...NODE_OPTIONS, ...(sub === 'list' ? { limit: str } : {}) },
    allowPositionals: true,
    strict: true,
  });
  const client = ctx.client(values);
  const query = (name: string, params: Record<string, string> = {}) =>
    client.query(GOVERNANCE_MODULE, name, params);
  switch (sub) {
    case 'list': {
      positionalsOf(positionals, []);
      const limit = intOption(values, 'limit', 1, 100) ?? 50;
      const { height, result } = await query('proposals', { limit: String(limit) });
      const proposals = (result as ProposalJson[]).map((p) => ({
        ...p,
        effectiveStatus: proposalStatusAt(p, height),
      }));
      printJson(io, { height, proposals });
      return EXIT.ok;
    }
    case 'show': {
      const [idText] = positionalsOf(positionals, ['ID']);
      const { height, result } = await query('proposal', { id: String(proposalId(idText)) });
      const p = result as ProposalJson;
      printJson(io, { ...p, height, effectiveStatus: proposalStatusAt(p, height) });
      return EXIT.ok;
    }
    case 'members':
    case 'config':
    case 'validators':
      positionalsOf(positionals, []);
      printJson(io, await query(sub === 'members' ? 'organizations' : sub));
      return EXIT.ok;
    case 'identity': {
      const [address] = positionalsOf(positionals, ['ADDRESS']);
      printJson(io, await query('identity', { address: address!.toLowerCase().replace(/^0x/, '') }));
      return EXIT.ok;
    }
    case 'policy': {
      const [resource] = positionalsOf(positionals, ['RESOURCE']);
      printJson(io, await query('policy', { resource: resource! }));
      return EXIT.ok;
    }
    case 'crl': {
      const [org] = positionalsOf(positionals, ['ORG']);
      printJson(io, await query('crl', { org: org! }));
      return EXIT.ok;
    }
  }
}
