import { encode } from '@pujiang/codec';
import { certificateFromPem } from '@pujiang/crypto';
import type { StateRead } from '@pujiang/module-kit';
import type { Genesis } from '@pujiang/protocol';
import { bytesToHex, equalBytes, PujiangError } from '@pujiang/types';
import {
  ChainConfig,
  ChainPacing,
  GOV_KEYS,
  type Identity,
  MAX_EMPTY_BLOCK_INTERVAL_MS,
  type Organization,
  Policy,
  ValidatorSetRecord,
} from '../formats.js';
import { policyFromJson, policyResourceProblem } from '../policies.js';
import { checkConfig } from './actions.js';
import {
  checkCaCertificate,
  identityFromCertificate,
  type StateWrite,
  writeIdentity,
  writeOrganization,
} from './registry.js';

/**
 * `modules.governance` in genesis.json: the founding organizations (each with its root CA
 * certificate, PEM), the identities registered from the start (member certificates, PEM:
 * at least the validators' node keys and an admin per organization), the initial policies
 * by resource, and the voting period and time-lock in blocks. Without organizations the
 * chain is open: anyone may transact, and governance has no voters.
 */
export interface GovernanceGenesisJson {
  organizations?: { id: string; name?: string; caCertificate: string }[];
  identities?: string[];
  policies?: Record<string, unknown>;
  votingPeriod?: number;
  timelock?: number;
  /** How often an idle chain makes a block (`ChainPacing`); absent: a block every block interval. */
  emptyBlockIntervalMs?: number;
}

export interface GovernanceGenesis {
  readonly organizations: Organization[];
  readonly identities: Uint8Array[];
  readonly policies: [string, Policy][];
  readonly config: ChainConfig;
  readonly pacing?: ChainPacing;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new PujiangError('GENESIS_INVALID', `genesis: modules.governance: ${message}`, details);

function pem(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string') throw invalid(`${field} must be a PEM certificate`, { field });
  try {
    return certificateFromPem(text);
  } catch (error) {
    throw invalid(`${field}: ${(error as Error).message}`, { field });
  }
}

function blocks(v: unknown, field: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > 10_000_000)
    throw invalid(`${field} must be a whole number of blocks from ${min}`, { field });
  return v as number;
}

export function parseGovernanceGenesis(json: unknown, genesis: Genesis): GovernanceGenesis {
  const g = (json ?? {}) as GovernanceGenesisJson;
  if (typeof g !== 'object' || Array.isArray(g)) throw invalid('must be an object');
  const orgs = g.organizations ?? [];
  if (!Array.isArray(orgs) || orgs.length > 256) throw invalid('organizations must be a list (at most 256)');
  const organizations = orgs.map((o, i): Organization => {
    const field = `organizations[${i}]`;
    if (
      typeof o !== 'object' ||
      o === null ||
      typeof o.id !== 'string' ||
      !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(o.id)
    )
      throw invalid(`${field}.id must be 1-64 letters, digits, ".", "_" or "-"`, { field });
    const ca = pem(o.caCertificate, `${field}.caCertificate`);
    try {
      checkCaCertificate(ca);
    } catch (error) {
      throw invalid(`${field}.caCertificate: ${(error as Error).message}`, { field });
    }
    return { id: o.id, name: typeof o.name === 'string' ? o.name.slice(0, 128) : o.id, caCertificates: [ca] };
  });
  if (new Set(organizations.map((o) => o.id)).size !== organizations.length)
    throw invalid('organization ids repeat');
  const ids = g.identities ?? [];
  if (!Array.isArray(ids)) throw invalid('identities must be a list of PEM certificates');
  if (ids.length > 0 && organizations.length === 0) throw invalid('identities need organizations');
  const identities = ids.map((c, i) => pem(c, `identities[${i}]`));
  const policies: [string, Policy][] = Object.entries(g.policies ?? {}).map(([resource, p]) => {
    const policy = policyFromJson(p);
    if (typeof policy === 'string') throw invalid(`policies["${resource}"]: ${policy}`, { resource });
    const problem = policyResourceProblem(resource, policy);
    if (problem) throw invalid(`policies["${resource}"]: ${problem}`, { resource });
    return [resource, policy];
  });
  const config: ChainConfig = {
    acceptedSuites: [...genesis.acceptedSuites],
    maxBlockBytes: genesis.limits.maxBlockBytes,
    maxBlockTxs: genesis.limits.maxBlockTxs,
    maxBlockGas: BigInt(genesis.limits.maxBlockGas),
    votingPeriod: blocks(g.votingPeriod, 'votingPeriod', 600, 1),
    timelock: blocks(g.timelock, 'timelock', 20, 0),
  };
  try {
    checkConfig(config);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const interval = g.emptyBlockIntervalMs;
  if (
    interval !== undefined &&
    (!Number.isSafeInteger(interval) || interval < 0 || interval > MAX_EMPTY_BLOCK_INTERVAL_MS)
  )
    throw invalid('emptyBlockIntervalMs must be whole milliseconds from 0 to 86,400,000', {
      field: 'emptyBlockIntervalMs',
    });
  return {
    organizations,
    identities,
    policies,
    config,
    ...(interval === undefined ? {} : { pacing: { emptyBlockIntervalMs: interval } }),
  };
}

/**
 * Writes the founding state. Identities are checked against the founding CAs as a
 * registration would be (without a clock: genesis has no block time); on a permissioned
 * chain every genesis validator must be a registered validator identity.
 */
export function writeGovernanceGenesis(
  write: StateWrite,
  read: StateRead,
  parsed: GovernanceGenesis,
  genesis: Genesis,
): void {
  write(GOV_KEYS.config, encode(ChainConfig, parsed.config));
  if (parsed.pacing) write(GOV_KEYS.pacing, encode(ChainPacing, parsed.pacing));
  write(
    GOV_KEYS.validators,
    encode(ValidatorSetRecord, {
      since: 1n,
      validators: genesis.validators.map((v) => ({
        suite: v.publicKey.suite,
        publicKey: v.publicKey.bytes,
        power: BigInt(v.power),
        name: v.name ?? '',
      })),
    }),
  );
  for (const [resource, policy] of parsed.policies) write(GOV_KEYS.policy(resource), encode(Policy, policy));
  if (parsed.organizations.length === 0) return;
  write(GOV_KEYS.permissioned, Uint8Array.of(1));
  for (const org of parsed.organizations) writeOrganization(write, read, org);
  const registered: Identity[] = [];
  parsed.identities.forEach((der, i) => {
    try {
      const { identity, address } = identityFromCertificate(read, genesis.chainHash, der, undefined, 0n);
      writeIdentity(write, address, identity);
      registered.push(identity);
    } catch (error) {
      throw invalid(`identities[${i}]: ${(error as Error).message}`, { field: `identities[${i}]` });
    }
  });
  for (const v of genesis.validators) {
    const ok = registered.some(
      (r) =>
        r.role === 'validator' && r.suite === v.publicKey.suite && equalBytes(r.publicKey, v.publicKey.bytes),
    );
    if (!ok)
      throw invalid(
        `validator ${bytesToHex(v.publicKey.bytes).slice(0, 16)}… has no validator certificate in identities`,
        {
          validator: bytesToHex(v.publicKey.bytes),
        },
      );
  }
}
