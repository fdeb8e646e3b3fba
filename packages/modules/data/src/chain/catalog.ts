import { decode, encode, u32 } from '@pujiang/codec';
import { hash } from '@pujiang/crypto';
import { type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { utf8ToBytes } from '@pujiang/types';
import {
  CLASSIFICATIONS,
  DATA_LIMITS,
  DATASET_ID,
  DatasetRecord,
  datasetCountKey,
  datasetIndexKey,
  datasetKey,
  datasetVersionKey,
  type RegisterDataset,
  TERM,
  type UpdateDataset,
} from '../formats.js';
import { requireSteward, senderOrg } from './identity.js';

const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Parsing a schema: gas per byte (JSON.parse of 32 KiB is about 0.1 ms). */
const SCHEMA_GAS_PER_BYTE = 4;

export function readDataset(read: StateRead, id: string): DatasetRecord | undefined {
  const bytes = read(datasetKey(id));
  return bytes ? decode(DatasetRecord, bytes) : undefined;
}

export function readDatasetVersion(read: StateRead, id: string, version: number): DatasetRecord | undefined {
  const bytes = read(datasetVersionKey(id, version));
  return bytes ? decode(DatasetRecord, bytes) : undefined;
}

const bad = (message: string, details: Record<string, unknown> = {}) =>
  moduleError('DATA_BAD_DATASET', message, details);

/** Every field of a dataset checked: what a requester and a data service rely on. */
function checkDataset(ctx: MessageContext, m: RegisterDataset): void {
  if (!DATASET_ID.test(m.id)) throw bad('a dataset id is 1-64 of a-z 0-9 . _ -', { id: m.id });
  if (m.title.length === 0 || !m.title.isWellFormed()) throw bad('a dataset needs a title');
  if (!(CLASSIFICATIONS as readonly string[]).includes(m.classification)) throw bad('unknown classification');
  if (
    m.legalBases.length === 0 ||
    new Set(m.legalBases).size !== m.legalBases.length ||
    !m.legalBases.every((b) => TERM.test(b))
  )
    throw bad('name 1 to 16 distinct legal bases (short terms)');
  if (!URL.canParse(m.endpoint) || !/^https?:$/.test(new URL(m.endpoint).protocol))
    throw bad('the endpoint is an http(s) URL', { endpoint: m.endpoint });
  if (!FIELD.test(m.subjectField))
    throw bad('subjectField names a record field', { subjectField: m.subjectField });
  ctx.consume(m.schema.length * SCHEMA_GAS_PER_BYTE, 'schema');
  let schema: unknown;
  try {
    schema = JSON.parse(m.schema);
  } catch {
    throw moduleError('DATA_BAD_SCHEMA', 'the schema is not JSON');
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw moduleError('DATA_BAD_SCHEMA', 'the schema is a JSON Schema object');
  const p = m.policy;
  const badPolicy = (message: string) => moduleError('DATA_BAD_POLICY', message);
  if (new Set(p.orgs).size !== p.orgs.length || !p.orgs.every((o) => ORG_ID.test(o)))
    throw badPolicy('policy orgs are distinct organization ids');
  if (
    !p.legalBases.every((b) => m.legalBases.includes(b)) ||
    new Set(p.legalBases).size !== p.legalBases.length
  )
    throw badPolicy("the policy's legal bases are distinct, and the dataset's");
  if (p.maxDurationMs > DATA_LIMITS.maxGrantMs) throw badPolicy('a grant lasts two years at most');
  if (p.auto && (p.legalBases.length === 0 || p.maxDurationMs === 0n))
    throw badPolicy('an automatic policy names legal bases and a longest grant');
}

function write(ctx: MessageContext, m: RegisterDataset, version: number, org: string): void {
  const record: DatasetRecord = {
    ...m,
    version,
    org,
    schemaHash: hash(ctx.chainHash, utf8ToBytes(m.schema)),
    height: ctx.height,
    time: ctx.time,
  };
  const bytes = encode(DatasetRecord, record);
  ctx.set(datasetKey(m.id), bytes);
  ctx.set(datasetVersionKey(m.id, version), bytes);
}

/** `data/registerDataset`: by a member that acts for the steward's DID; its organization publishes it. */
export function registerDataset(ctx: MessageContext, m: RegisterDataset): void {
  checkDataset(ctx, m);
  const org = senderOrg(ctx);
  requireSteward(ctx, m.steward, 'registers its datasets');
  if (ctx.get(datasetKey(m.id)) !== undefined)
    throw moduleError('DATA_EXISTS', `dataset ${m.id} exists`, { id: m.id });
  write(ctx, m, 1, org);
  const countBytes = ctx.get(datasetCountKey);
  const count = countBytes ? decode(u32, countBytes) : 0;
  ctx.set(datasetIndexKey(count), utf8ToBytes(m.id));
  ctx.set(datasetCountKey, encode(u32, count + 1));
  ctx.emit('datasetRegistered', { dataset: m.id, org, steward: m.steward, classification: m.classification });
}

/**
 * `data/updateDataset`: the next version, by the current steward, from the publishing
 * organization; a new steward must be one the sender also acts for. Every version stays.
 */
export function updateDataset(ctx: MessageContext, m: UpdateDataset): void {
  const current = readDataset((k) => ctx.get(k), m.id);
  if (!current) throw moduleError('DATA_UNKNOWN', `there is no dataset ${m.id}`, { id: m.id });
  const { version, ...fields } = m;
  checkDataset(ctx, fields);
  if (version !== current.version)
    throw moduleError('DATA_VERSION_CONFLICT', `${m.id} is at version ${current.version}`, {
      current: current.version,
      named: version,
    });
  const org = senderOrg(ctx);
  requireSteward(ctx, current.steward, 'updates the dataset');
  if (org !== current.org)
    throw moduleError('DATA_NOT_STEWARD', `the dataset is ${current.org}'s`, { org: current.org });
  if (m.steward !== current.steward) requireSteward(ctx, m.steward, 'may be named steward');
  write(ctx, fields, version + 1, org);
  ctx.emit('datasetUpdated', {
    dataset: m.id,
    version: String(version + 1),
    schemaChanged: String(fields.schema !== current.schema),
  });
}
