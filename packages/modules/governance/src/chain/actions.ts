import { encode } from '@pujiang/codec';
import { getSuite, type HashAlgorithm, hash } from '@pujiang/crypto';
import type { StateRead } from '@pujiang/module-kit';
import { bytesToHex, equalBytes, PujiangError } from '@pujiang/types';
import {
  ChainConfig,
  ChainPacing,
  GOV_KEYS,
  type GovernanceAction,
  MAX_EMPTY_BLOCK_INTERVAL_MS,
  Policy,
  READ_RESOURCE,
  ReadMandate,
  ValidatorSetRecord,
} from '../formats.js';
import { policyResourceProblem } from '../policies.js';
import {
  caFingerprint,
  checkCaCertificate,
  deleteOrganization,
  isPermissioned,
  keyHasRole,
  organization,
  orgIds,
  readAs,
  revoke,
  type StateWrite,
  writeOrganization,
} from './registry.js';

export type GovernanceActionErrorCode = 'GOV_INVALID_ACTION';

function invalid(
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<GovernanceActionErrorCode> {
  return new PujiangError('GOV_INVALID_ACTION', message, details);
}

/** Keeps total power far from 2^53, as genesis does. */
const MAX_TOTAL_POWER = 2n ** 40n;

/** Bounds a configuration must keep (the same as genesis). */
export function checkConfig(c: ChainConfig): void {
  if (c.acceptedSuites.length === 0) throw invalid('the chain must accept at least one suite');
  if (new Set(c.acceptedSuites).size !== c.acceptedSuites.length)
    throw invalid('acceptedSuites repeats a suite');
  if (c.maxBlockBytes < 4096 || c.maxBlockBytes > 64 * 1024 * 1024)
    throw invalid('maxBlockBytes must be from 4096 to 64 MiB');
  if (c.maxBlockTxs < 1 || c.maxBlockTxs > 100_000) throw invalid('maxBlockTxs must be from 1 to 100,000');
  if (c.maxBlockGas < 1n || c.maxBlockGas > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalid('maxBlockGas must be a positive safe integer');
  if (c.votingPeriod < 1) throw invalid('votingPeriod must be at least one block');
}

export interface ActionContext {
  readonly read: StateRead;
  readonly write: StateWrite;
  readonly height: bigint;
  readonly time: bigint;
  readonly chainHash: HashAlgorithm;
  emit(type: string, attributes: Record<string, string>): void;
  setModuleParam?(module: string, name: string, value: Uint8Array): void;
}

/**
 * Checks an action against the current state and returns what applies it. Every check
 * comes first, so an action either applies whole or throws before writing anything.
 */
export function prepareAction(c: ActionContext, action: GovernanceAction): () => void {
  const { read, write } = c;
  switch (action.type) {
    case 'addOrganization': {
      const a = action.value;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(a.id))
        throw invalid('an organization id is 1-64 letters, digits, ".", "_" or "-"');
      if (organization(read, a.id)) throw invalid(`organization ${a.id} is already a member`, { org: a.id });
      checkCaCertificate(a.caCertificate);
      return () => {
        writeOrganization(write, read, { id: a.id, name: a.name, caCertificates: [a.caCertificate] });
        c.emit('organization_added', { org: a.id });
      };
    }
    case 'removeOrganization': {
      const { id } = action.value;
      if (!organization(read, id)) throw invalid(`organization ${id} is not a member`, { org: id });
      if (orgIds(read).length <= 1) throw invalid('the last organization cannot be removed');
      return () => {
        deleteOrganization(write, read, id);
        c.emit('organization_removed', { org: id });
      };
    }
    case 'rotateCa': {
      const a = action.value;
      const org = organization(read, a.org);
      if (!org) throw invalid(`organization ${a.org} is not a member`, { org: a.org });
      checkCaCertificate(a.caCertificate);
      if (org.caCertificates.some((ca) => equalBytes(ca, a.caCertificate)))
        throw invalid('that CA is already current');
      const cas = a.retirePrevious ? [a.caCertificate] : [...org.caCertificates, a.caCertificate];
      if (cas.length > 4) throw invalid('an organization has at most 4 current CAs: retire the older ones');
      return () => {
        writeOrganization(write, read, { ...org, caCertificates: cas });
        c.emit('ca_rotated', {
          org: a.org,
          ca: bytesToHex(caFingerprint(c.chainHash, a.caCertificate)),
          retired: String(a.retirePrevious),
        });
      };
    }
    case 'revokeCertificate': {
      const a = action.value;
      if (!organization(read, a.org)) throw invalid(`organization ${a.org} is not a member`, { org: a.org });
      if (a.serial.length === 0) throw invalid('a serial is at least one byte');
      return () => {
        if (revoke(write, read, a.org, a.serial, c.height))
          c.emit('revoked', { org: a.org, serial: bytesToHex(a.serial), by: 'governance' });
      };
    }
    case 'setValidator': {
      const a = action.value;
      const key = { suite: a.suite, bytes: a.publicKey };
      if (a.publicKey.length !== getSuite(a.suite).publicKeyLength)
        throw invalid(`a ${a.suite} public key is ${getSuite(a.suite).publicKeyLength} bytes`);
      if (a.power > 0n && isPermissioned(read) && !keyHasRole(read, c.chainHash, key, 'validator', c.time))
        throw invalid('a validator key must belong to a registered identity with the validator role');
      const current = readAs(read, GOV_KEYS.validators, ValidatorSetRecord);
      if (!current) throw invalid('this chain keeps no validator set in state');
      const same = (v: { suite: string; publicKey: Uint8Array }) =>
        v.suite === a.suite && equalBytes(v.publicKey, a.publicKey);
      const existing = current.validators.findIndex(same);
      if (a.power === 0n && existing < 0) throw invalid('that key is not a validator');
      const entry = { suite: a.suite, publicKey: a.publicKey, power: a.power, name: a.name };
      const validators =
        a.power === 0n
          ? current.validators.filter((v) => !same(v))
          : existing >= 0
            ? current.validators.map((v, i) => (i === existing ? entry : v))
            : [...current.validators, entry];
      const total = validators.reduce((sum, v) => sum + v.power, 0n);
      if (validators.length === 0 || total === 0n) throw invalid('the last validator cannot be removed');
      if (total > MAX_TOTAL_POWER) throw invalid(`total power must be at most ${MAX_TOTAL_POWER}`);
      if (validators.length > 1000) throw invalid('at most 1000 validators');
      // Signs from two heights on: header k+1 commits to this state, so light clients can prove it.
      const since = c.height + 2n;
      return () => {
        write(GOV_KEYS.validators, encode(ValidatorSetRecord, { since, validators }));
        c.emit('validators_changed', {
          since: String(since),
          validators: String(validators.length),
          totalPower: String(total),
          key: bytesToHex(a.publicKey),
          power: String(a.power),
        });
      };
    }
    case 'setConfig': {
      checkConfig(action.value);
      return () => {
        write(GOV_KEYS.config, encode(ChainConfig, action.value));
        c.emit('config_changed', {
          acceptedSuites: action.value.acceptedSuites.join(','),
          maxBlockTxs: String(action.value.maxBlockTxs),
          maxBlockBytes: String(action.value.maxBlockBytes),
          maxBlockGas: String(action.value.maxBlockGas),
        });
      };
    }
    case 'setPolicy': {
      const { resource, policy } = action.value;
      if (!/^[a-z0-9_-]+(\/[A-Za-z0-9_*-]+)+$/.test(resource))
        throw invalid('a resource is module/message, module/*, or governance/proposal/<kind>', { resource });
      // Only within-organization rules are checked: older rules apply as they always have.
      const problem = policy && policyResourceProblem(resource, policy);
      if (problem) throw invalid(problem, { resource });
      return () => {
        write(GOV_KEYS.policy(resource), policy ? encode(Policy, policy) : undefined);
        c.emit('policy_changed', { resource, removed: String(policy === undefined) });
      };
    }
    case 'setPacing': {
      const { emptyBlockIntervalMs } = action.value;
      if (emptyBlockIntervalMs > MAX_EMPTY_BLOCK_INTERVAL_MS)
        throw invalid('emptyBlockIntervalMs must be from 0 to 86,400,000 (a day)', { emptyBlockIntervalMs });
      return () => {
        write(GOV_KEYS.pacing, encode(ChainPacing, action.value));
        c.emit('pacing_changed', { emptyBlockIntervalMs: String(emptyBlockIntervalMs) });
      };
    }
    case 'setReadPermission': {
      const { org, role, resources } = action.value;
      if (!organization(read, org)) throw invalid(`${org} is not a member organization`, { org });
      const bad = resources.find((r) => !READ_RESOURCE.test(r));
      if (bad !== undefined) throw invalid('a read resource is module/name or module/*', { resource: bad });
      if (new Set(resources).size !== resources.length) throw invalid('read resources are distinct');
      return () => {
        write(
          GOV_KEYS.readPermission(org, role),
          resources.length === 0 ? undefined : encode(ReadMandate, resources),
        );
        c.emit('read_permission_changed', { org, role, resources: resources.join(',') });
      };
    }
    case 'setModuleParam': {
      const a = action.value;
      if (!c.setModuleParam) throw invalid('module parameters cannot be set here');
      return () => {
        c.setModuleParam!(a.module, a.name, a.value);
        c.emit('param_changed', { module: a.module, name: a.name, value: paramValueText(a.value) });
      };
    }
  }
}

/** Largest parameter shown whole in its event; a larger one (a light client's header) by its digest. */
const PARAM_EVENT_BYTES = 256;

/** An event attribute has a size limit: a large value is named by `sha256:` and its digest. */
function paramValueText(value: Uint8Array): string {
  return value.length <= PARAM_EVENT_BYTES
    ? bytesToHex(value)
    : `sha256:${bytesToHex(hash('sha256', value))}`;
}
