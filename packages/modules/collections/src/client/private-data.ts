import { randomBytes } from '@pujiang/crypto';
import {
  type ChainClient,
  encodePayload,
  listArgument,
  objectArgument,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  sdkError,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, invalidArgument } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import {
  COLLECTION_NAME,
  COLLECTIONS_MODULE,
  Define,
  ENTRY_KEY,
  MAX_RETENTION_BLOCKS,
  MAX_VALUE_BYTES,
  ORG_ID,
  Purge,
  Put,
  privateDataHash,
  SALT_BYTES,
} from '../formats.js';
import type { EntrySchema, PrivateDataSchema, PutAnswerSchema } from '../schemas.js';
import { CollectionQuery, EntryQuery } from '../schemas.js';
import { verifyPrivateValue } from '../verify/index.js';

/**
 * Private data from an application: define a collection; write a value (the salted hash goes
 * on chain, the value only to the collection organizations' nodes); read it back as a signed
 * member (the client's `signer`), checked against the chain's hash; purge it.
 */
type SendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

const nameArgument = (value: unknown, parameter: string): string => {
  if (typeof value !== 'string' || !COLLECTION_NAME.test(value))
    throw invalidArgument(`${parameter} is 1-64 of a-z 0-9 . _ -`, parameter);
  return value;
};
const keyArgument = (value: unknown, parameter: string): string => {
  if (typeof value !== 'string' || !ENTRY_KEY.test(value))
    throw invalidArgument(`${parameter} is 1-128 of A-Z a-z 0-9 . _ : / # @ -`, parameter);
  return value;
};

export function defineCollection(
  client: ChainClient,
  p: SendParameters & {
    name: string;
    orgs: readonly string[];
    /** The roles of those organizations that read and write (default: every role). */
    roles?: readonly string[];
    retentionBlocks: number;
    label?: string;
  },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const name = nameArgument(p.name, 'name');
  const orgs = listArgument(p.orgs, 'orgs').map((o, i) => {
    if (typeof o !== 'string' || !ORG_ID.test(o))
      throw invalidArgument(`orgs[${i}] is an organization id`, `orgs[${i}]`);
    return o;
  });
  if (
    !Number.isSafeInteger(p.retentionBlocks) ||
    p.retentionBlocks < 1 ||
    p.retentionBlocks > MAX_RETENTION_BLOCKS
  )
    throw invalidArgument(`retentionBlocks is 1 to ${MAX_RETENTION_BLOCKS}`, 'retentionBlocks');
  const label = p.label ?? '';
  if (typeof label !== 'string' || label.length > 128)
    throw invalidArgument('label is at most 128 characters', 'label');
  const roles = listArgument(p.roles ?? [], 'roles').map((r, i) => {
    if (typeof r !== 'string' || !/^[a-z]{1,16}$/.test(r))
      throw invalidArgument(`roles[${i}] is a role`, `roles[${i}]`);
    return r;
  });
  const payload = encodePayload(Define, { name, orgs, roles, retentionBlocks: p.retentionBlocks, label });
  return client.sendTransaction({ ...p, module: COLLECTIONS_MODULE, type: 'define', payload });
}

export type PutPrivateDataReturnType = Static<typeof PutAnswerSchema> & {
  /** The salt (hex): with the value it proves the entry after a purge. Keep both if you need that. */
  readonly salt: string;
};

/**
 * Writes a private value through the client's node (which must be of one of the
 * collection's organizations): a fresh salt, the salted hash signed in a `collections/put`,
 * and the value to the node's put route, which sends it only to member organizations' nodes.
 */
export async function putPrivateData(
  client: ChainClient,
  p: SendParameters & { collection: string; entry: string; value: Uint8Array; wait?: boolean },
): Promise<PutPrivateDataReturnType> {
  objectArgument(p, 'parameters');
  const collection = nameArgument(p.collection, 'collection');
  const entry = keyArgument(p.entry, 'entry');
  if (!(p.value instanceof Uint8Array) || p.value.length > MAX_VALUE_BYTES)
    throw invalidArgument('value is at most 256 KiB of bytes', 'value');
  const { chainHash } = await client.getStatus();
  const salt = randomBytes(SALT_BYTES);
  const hash = privateDataHash(chainHash, collection, entry, salt, p.value);
  const { wait: _wait, ...send } = p;
  const built = await client.signTransaction({
    ...send,
    module: COLLECTIONS_MODULE,
    type: 'put',
    payload: encodePayload(Put, { collection, key: entry, hash }),
  });
  const answer = await client.requestRoute('POST', `/v1/modules/${COLLECTIONS_MODULE}/put`, {
    tx: built.hex,
    value: Buffer.from(p.value).toString('base64'),
    salt: bytesToHex(salt),
    wait: p.wait ?? true,
  });
  return { ...(answer as Static<typeof PutAnswerSchema>), salt: bytesToHex(salt) };
}

export interface PrivateDataReturnType {
  readonly value: Uint8Array;
  readonly salt: string;
  readonly entry: Static<typeof EntrySchema>;
}

/**
 * A private value, read as the client's signer (the node refuses unsigned reads of private
 * data) and checked against the on-chain hash the answer carries (`SDK_VERIFICATION_FAILED`).
 */
export async function getPrivateData(
  client: ChainClient,
  p: { collection: string; entry: string },
): Promise<PrivateDataReturnType> {
  objectArgument(p, 'parameters');
  const collection = nameArgument(p.collection, 'collection');
  const entry = keyArgument(p.entry, 'entry');
  const query = new URLSearchParams({ collection, key: entry });
  const answer = (await client.requestRoute(
    'GET',
    `/v1/modules/${COLLECTIONS_MODULE}/data?${query}`,
  )) as Static<typeof PrivateDataSchema>;
  const { chainHash } = await client.getStatus();
  const value = new Uint8Array(Buffer.from(answer.value, 'base64'));
  const ok = verifyPrivateValue({
    chainHash,
    collection,
    key: entry,
    value,
    salt: hexToBytes(answer.salt),
    hash: answer.entry.hash,
  });
  if (!ok)
    throw sdkError('SDK_VERIFICATION_FAILED', 'the value does not hash to the entry’s on-chain hash', {
      check: 'hash',
    });
  return { value, salt: answer.salt, entry: answer.entry };
}

export async function getPrivateEntry(
  client: ChainClient,
  p: { collection: string; entry: string },
): Promise<Static<typeof EntrySchema> | null> {
  objectArgument(p, 'parameters');
  const collection = nameArgument(p.collection, 'collection');
  const key = keyArgument(p.entry, 'entry');
  return (await queryTyped(client, EntryQuery, { collection, key })).result.entry;
}

export async function getCollection(client: ChainClient, name: string) {
  return (await queryTyped(client, CollectionQuery, { name: nameArgument(name, 'name') })).result.collection;
}

export function purgePrivateData(
  client: ChainClient,
  p: SendParameters & { collection: string; entry: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(Purge, {
    collection: nameArgument(p.collection, 'collection'),
    key: keyArgument(p.entry, 'entry'),
  });
  return client.sendTransaction({ ...p, module: COLLECTIONS_MODULE, type: 'purge', payload });
}
