import {
  ADDRESS_LENGTH,
  getSuite,
  HASH_ALGORITHMS,
  type HashAlgorithm,
  isSuiteId,
  type PublicKey,
  type SuiteId,
} from '@pujiang/crypto';
import { bytesToHex, equalBytes, hexToBytes, PujiangError } from '@pujiang/types';

export type GenesisErrorCode = 'GENESIS_INVALID';

export interface GenesisValidator {
  /** A label for operators (e.g. the organization running it); not part of consensus. */
  readonly name?: string;
  readonly publicKey: PublicKey;
  readonly power: number;
}

export interface BlockLimits {
  readonly maxBlockBytes: number;
  readonly maxBlockTxs: number;
  readonly maxBlockGas: number;
}

/** What every node of a chain must agree on before the first block. */
export interface Genesis {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly acceptedSuites: readonly SuiteId[];
  readonly validators: readonly GenesisValidator[];
  readonly limits: BlockLimits;
  /** Each module's genesis configuration, by module name. */
  readonly modules: Readonly<Record<string, unknown>>;
  /**
   * The modules the chain runs, by name. Absent: the legacy set (`LEGACY_ENABLED_MODULES`),
   * which chains created before the field existed run; re-serializing never adds it, so
   * their genesis hash stays.
   */
  readonly enabledModules?: readonly string[];
  /**
   * Test chains only: `clockControl` lets nodes run with a clock offset, so tests move block
   * time through days. Absent from every other genesis (and never added), so their hash stays.
   */
  readonly testing?: { readonly clockControl: boolean };
}

/** What a genesis without `enabledModules` runs: every chain created before the field existed. */
export const LEGACY_ENABLED_MODULES: readonly string[] = ['governance', 'bank', 'notary'];

const MODULE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** The file form (`genesis.json`): keys as hex, everything else as in `Genesis`. */
export interface GenesisJson {
  chainId: string;
  chainHash: HashAlgorithm;
  acceptedSuites: SuiteId[];
  validators: { name?: string; suite: SuiteId; publicKey: string; power: number }[];
  limits: BlockLimits;
  modules: Record<string, unknown>;
  enabledModules?: string[];
  testing?: { clockControl: boolean };
}

const CHAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Keeps total power far from 2^53 so sums and the 2/3 threshold stay exact. */
const MAX_TOTAL_POWER = 2 ** 40;

function invalid(message: string, details: Record<string, unknown> = {}): PujiangError<GenesisErrorCode> {
  return new PujiangError<GenesisErrorCode>('GENESIS_INVALID', `genesis: ${message}`, details);
}

function positiveInt(v: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(v) || (v as number) <= 0 || (v as number) > max)
    throw invalid(`${name} must be a positive integer up to ${max}`, { field: name });
  return v as number;
}

/** Reads and checks a genesis document; every problem is a `GENESIS_INVALID` naming the field. */
/** Whether a node key is one of the genesis validators (else its node is a full node). */
export function isGenesisValidator(genesis: Genesis, key: PublicKey): boolean {
  return genesis.validators.some(
    (v) => v.publicKey.suite === key.suite && equalBytes(v.publicKey.bytes, key.bytes),
  );
}

export function parseGenesis(json: unknown): Genesis {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('not a JSON object');
  const g = json as Partial<Record<keyof GenesisJson, unknown>>;
  if (typeof g.chainId !== 'string' || !CHAIN_ID.test(g.chainId))
    throw invalid('chainId must be 1-64 letters, digits, ".", "_" or "-"', { field: 'chainId' });
  if (typeof g.chainHash !== 'string' || !(HASH_ALGORITHMS as readonly string[]).includes(g.chainHash))
    throw invalid(`chainHash must be one of ${HASH_ALGORITHMS.join(', ')}`, { field: 'chainHash' });
  const chainHash = g.chainHash as HashAlgorithm;
  if (!Array.isArray(g.acceptedSuites) || g.acceptedSuites.length === 0)
    throw invalid('acceptedSuites must name at least one suite', { field: 'acceptedSuites' });
  for (const s of g.acceptedSuites)
    if (typeof s !== 'string' || !isSuiteId(s))
      throw invalid(`unknown suite ${String(s)}`, { field: 'acceptedSuites' });
  const acceptedSuites = [...new Set(g.acceptedSuites as SuiteId[])];
  if (!Array.isArray(g.validators) || g.validators.length === 0 || g.validators.length > 1000)
    throw invalid('validators must list 1 to 1000 validators', { field: 'validators' });
  const seen = new Set<string>();
  let total = 0;
  const validators = g.validators.map((v: unknown, i): GenesisValidator => {
    const field = `validators[${i}]`;
    if (typeof v !== 'object' || v === null) throw invalid(`${field} must be an object`, { field });
    const { name, suite, publicKey, power } = v as Record<string, unknown>;
    if (typeof suite !== 'string' || !isSuiteId(suite))
      throw invalid(`${field}.suite is not a known suite`, { field });
    if (typeof publicKey !== 'string' || !/^[0-9a-f]+$/.test(publicKey))
      throw invalid(`${field}.publicKey must be lowercase hex`, { field });
    const bytes = hexToBytes(publicKey);
    if (bytes.length !== getSuite(suite).publicKeyLength)
      throw invalid(`${field}.publicKey has the wrong length for ${suite}`, { field });
    if (seen.has(publicKey)) throw invalid(`${field} repeats a validator key`, { field });
    seen.add(publicKey);
    total += positiveInt(power, `${field}.power`, MAX_TOTAL_POWER);
    if (name !== undefined && (typeof name !== 'string' || name.length > 64))
      throw invalid(`${field}.name must be a string of at most 64 characters`, { field });
    return {
      ...(name === undefined ? {} : { name: name as string }),
      publicKey: { suite, bytes },
      power: power as number,
    };
  });
  if (total > MAX_TOTAL_POWER)
    throw invalid(`total power must be at most ${MAX_TOTAL_POWER}`, { field: 'validators' });
  const l = g.limits as Record<string, unknown> | undefined;
  if (typeof l !== 'object' || l === null) throw invalid('limits must be an object', { field: 'limits' });
  const limits: BlockLimits = {
    maxBlockBytes: positiveInt(l.maxBlockBytes, 'limits.maxBlockBytes', 64 * 1024 * 1024),
    maxBlockTxs: positiveInt(l.maxBlockTxs, 'limits.maxBlockTxs', 100_000),
    maxBlockGas: positiveInt(l.maxBlockGas, 'limits.maxBlockGas'),
  };
  const modules = g.modules ?? {};
  if (typeof modules !== 'object' || modules === null || Array.isArray(modules))
    throw invalid('modules must be an object keyed by module name', { field: 'modules' });
  const enabled = g.enabledModules;
  if (
    enabled !== undefined &&
    (!Array.isArray(enabled) ||
      enabled.length === 0 ||
      enabled.length > 64 ||
      !enabled.every((m) => typeof m === 'string' && MODULE_NAME.test(m)) ||
      new Set(enabled).size !== enabled.length)
  )
    throw invalid('enabledModules must list 1 to 64 distinct module names', { field: 'enabledModules' });
  const testing = g.testing as Record<string, unknown> | undefined;
  if (
    testing !== undefined &&
    (typeof testing !== 'object' ||
      testing === null ||
      Array.isArray(testing) ||
      Object.keys(testing).join() !== 'clockControl' ||
      typeof testing.clockControl !== 'boolean')
  )
    throw invalid('testing must be {"clockControl": true or false}', { field: 'testing' });
  return {
    chainId: g.chainId,
    chainHash,
    acceptedSuites,
    validators,
    limits,
    modules: modules as Record<string, unknown>,
    ...(enabled === undefined ? {} : { enabledModules: [...(enabled as string[])] }),
    ...(testing === undefined ? {} : { testing: { clockControl: testing.clockControl as boolean } }),
  };
}

export function genesisToJson(g: Genesis): GenesisJson {
  return {
    chainId: g.chainId,
    chainHash: g.chainHash,
    acceptedSuites: [...g.acceptedSuites],
    validators: g.validators.map((v) => ({
      ...(v.name === undefined ? {} : { name: v.name }),
      suite: v.publicKey.suite,
      publicKey: bytesToHex(v.publicKey.bytes),
      power: v.power,
    })),
    limits: { ...g.limits },
    modules: { ...g.modules },
    ...(g.enabledModules === undefined ? {} : { enabledModules: [...g.enabledModules] }),
    ...(g.testing === undefined ? {} : { testing: { clockControl: g.testing.clockControl } }),
  };
}

export const ADDRESS_HEX = new RegExp(`^[0-9a-f]{${ADDRESS_LENGTH * 2}}$`);
