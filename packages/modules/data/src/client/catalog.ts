import {
  type ChainClient,
  encodePayload,
  listArgument,
  objectArgument,
  queryTyped,
  type RequestOptions,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  stringArgument,
} from '@pujiang/module-kit';
import { invalidArgument } from '@pujiang/types';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  CLASSIFICATIONS,
  type Classification,
  DATA_LIMITS,
  DATA_MODULE,
  DATASET_ID,
  RegisterDataset,
  TERM,
  UpdateDataset,
} from '../formats.js';
import type { DatasetJson } from '../records-json.js';
import { AuditorsQuery, CatalogQuery, DatasetQuery } from '../schemas.js';

/** A data module transaction's parameters: the key, and the node options. */
export type DataSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

export interface DatasetFields {
  id: string;
  title: string;
  /** The steward's DID (the key must act for it). */
  steward: string;
  classification: Classification;
  legalBases: readonly string[];
  /** The data service's URL. */
  endpoint: string;
  /** The JSON Schema (2020-12) of one record: an object, or its text. */
  schema: object | string;
  /** The record field that names the subject. */
  subjectField: string;
  /** Automatic grants (default: every request waits for the steward). */
  policy?: {
    auto: boolean;
    orgs?: readonly string[];
    legalBases?: readonly string[];
    maxDurationMs?: number;
  };
}

/** Compiles a JSON Schema, so a dataset never publishes one a data service cannot apply. */
export function compileRecordSchema(schema: object | string, parameter = 'schema') {
  let parsed: unknown = schema;
  if (typeof schema === 'string')
    try {
      parsed = JSON.parse(schema);
    } catch {
      throw invalidArgument(`${parameter} is not JSON`, parameter);
    }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidArgument(`${parameter} is a JSON Schema object`, parameter);
  try {
    return {
      text: JSON.stringify(parsed),
      validate: new Ajv2020({ strict: false, allErrors: false }).compile(parsed),
    };
  } catch (error) {
    throw invalidArgument(`${parameter} is not a valid JSON Schema: ${(error as Error).message}`, parameter);
  }
}

function datasetPayload(f: DatasetFields) {
  if (typeof f.id !== 'string' || !DATASET_ID.test(f.id))
    throw invalidArgument('id is 1-64 of a-z 0-9 . _ -', 'id');
  if (!(CLASSIFICATIONS as readonly unknown[]).includes(f.classification))
    throw invalidArgument(`classification is one of ${CLASSIFICATIONS.join(', ')}`, 'classification');
  const terms = (list: readonly string[] | undefined, parameter: string) =>
    listArgument(list ?? [], parameter).map((t, i) => {
      if (typeof t !== 'string' || !TERM.test(t))
        throw invalidArgument(`${parameter}[${i}] is a short term`, `${parameter}[${i}]`);
      return t;
    });
  const policy = f.policy ?? { auto: false };
  objectArgument(policy, 'policy');
  if (typeof policy.auto !== 'boolean') throw invalidArgument('policy.auto is true or false', 'policy.auto');
  const maxDurationMs = policy.maxDurationMs ?? 0;
  if (
    !Number.isSafeInteger(maxDurationMs) ||
    maxDurationMs < 0 ||
    BigInt(maxDurationMs) > DATA_LIMITS.maxGrantMs
  )
    throw invalidArgument('policy.maxDurationMs is 0 to two years in ms', 'policy.maxDurationMs');
  return {
    id: f.id,
    title: stringArgument(f.title, 'title'),
    steward: stringArgument(f.steward, 'steward'),
    classification: f.classification,
    legalBases: terms(f.legalBases, 'legalBases'),
    endpoint: stringArgument(f.endpoint, 'endpoint'),
    schema: compileRecordSchema(f.schema).text,
    subjectField: stringArgument(f.subjectField, 'subjectField'),
    policy: {
      auto: policy.auto,
      orgs: listArgument(policy.orgs ?? [], 'policy.orgs').map((o) => stringArgument(o, 'policy.orgs')),
      legalBases: terms(policy.legalBases, 'policy.legalBases'),
      maxDurationMs: BigInt(maxDurationMs),
    },
  };
}

/** Publishes version 1 of a dataset (`data/registerDataset`). */
export function registerDataset(
  client: ChainClient,
  p: DataSendParameters & DatasetFields,
): Promise<SendTransactionReturnType> {
  const payload = encodePayload(RegisterDataset, datasetPayload(objectArgument(p, 'parameters')));
  return client.sendTransaction({ ...p, module: DATA_MODULE, type: 'registerDataset', payload });
}

/** Publishes the next version of a dataset (`data/updateDataset`); `version` is the one it replaces (default: the current). */
export async function updateDataset(
  client: ChainClient,
  p: DataSendParameters & DatasetFields & { version?: number },
): Promise<SendTransactionReturnType> {
  const fields = datasetPayload(objectArgument(p, 'parameters'));
  let version = p.version;
  if (version === undefined) {
    const current = await getDataset(client, p.id);
    if (!current) throw invalidArgument(`there is no dataset ${p.id}`, 'id');
    version = current.version;
  }
  if (!Number.isSafeInteger(version) || version < 1)
    throw invalidArgument('version is a positive integer', 'version');
  const payload = encodePayload(UpdateDataset, { ...fields, version });
  return client.sendTransaction({ ...p, module: DATA_MODULE, type: 'updateDataset', payload });
}

/** A dataset at its latest version, or the one named (the node's answer); undefined if none. */
export async function getDataset(
  client: ChainClient,
  id: string,
  options: RequestOptions & { version?: number } = {},
): Promise<DatasetJson | undefined> {
  if (typeof id !== 'string' || !DATASET_ID.test(id)) throw invalidArgument('id is a dataset id', 'id');
  const { version, ...request } = objectArgument(options, 'options');
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 1))
    throw invalidArgument('version is a positive integer', 'version');
  const { result } = await queryTyped(client, DatasetQuery, { id, ...(version ? { version } : {}) }, request);
  return (result.dataset as DatasetJson | null) ?? undefined;
}

/** The catalog, a page at a time (at most 500). */
export async function getCatalog(
  client: ChainClient,
  options: RequestOptions & { from?: number; limit?: number } = {},
): Promise<{ count: number; datasets: DatasetJson[] }> {
  const { from = 0, limit = 100, ...request } = objectArgument(options, 'options');
  if (!Number.isSafeInteger(from) || from < 0)
    throw invalidArgument('from is a non-negative integer', 'from');
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > 500)
    throw invalidArgument('limit is 0 to 500', 'limit');
  const { result } = await queryTyped(client, CatalogQuery, { from, limit }, request);
  return result as { count: number; datasets: DatasetJson[] };
}

/** The DIDs governance named as auditors (every request is sealed to them too). */
export async function getAuditors(client: ChainClient, options: RequestOptions = {}): Promise<string[]> {
  const { result } = await queryTyped(client, AuditorsQuery, {}, objectArgument(options, 'options'));
  return result.auditors;
}
