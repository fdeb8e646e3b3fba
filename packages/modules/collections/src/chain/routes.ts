import { decode } from '@pujiang/codec';
import { deriveAddress } from '@pujiang/crypto';
import { mandateCovers } from '@pujiang/module-governance';
import { defineRoute, type RouteHost, type RouteInput, RouteReply, Type } from '@pujiang/module-kit';
import { decodeTx, senderKey, txHash } from '@pujiang/protocol';
import { bytesToHex, equalBytes, hexToBytes } from '@pujiang/types';
import { admits, COLLECTIONS_MODULE, MAX_VALUE_BYTES, Put, privateDataHash } from '../formats.js';
import type { CollectionsService } from '../node/service.js';
import { EntrySchema, PrivateDataSchema, PutAnswerSchema, PutBodySchema } from '../schemas.js';

/**
 * The node's private data routes. A write brings the signed `collections/put` with the value
 * and salt; the node checks the hash, sends the value to the collection's organizations'
 * nodes, and submits the write. A read needs a member's signature (RFC 9421) on every node,
 * whatever its read mode: a reader of a collection organization, or one whose organization's
 * role holds a read mandate (`collections/<name>`) from governance.
 */
const ERRORS = [
  'COLLECTIONS_UNAUTHENTICATED',
  'COLLECTIONS_FORBIDDEN',
  'COLLECTIONS_NODE_NOT_MEMBER',
  'COLLECTIONS_UNKNOWN',
  'COLLECTIONS_PURGED',
  'COLLECTIONS_DATA_MISSING',
  'COLLECTIONS_HASH_MISMATCH',
  'COLLECTIONS_BAD_WRITE',
  'COLLECTIONS_BUSY',
] as const;
type RouteError = (typeof ERRORS)[number];

const refuse = (status: number, code: RouteError, message: string, details: Record<string, unknown> = {}) =>
  new RouteReply(status, { error: { code, message, details } });

const service = (host: RouteHost): CollectionsService => host.service as CollectionsService;

/** The identity query's answer (validity is the chain's to judge when the write executes). */
interface IdentityJson {
  readonly registered: boolean;
  readonly org?: string;
  readonly role?: string;
}

export const putRoute = defineRoute({
  method: 'POST',
  path: '/v1/modules/collections/put',
  summary:
    'Writes a private value: sends it to the collection organizations’ nodes and submits its salted hash',
  body: PutBodySchema,
  response: PutAnswerSchema,
  errors: [...ERRORS],
  invalidInput: 'COLLECTIONS_BAD_WRITE',
  async handle(host, { body }) {
    const wire = hexToBytes(body.tx);
    let put: Put;
    let sender: string;
    let hash: string;
    try {
      const tx = decodeTx(wire);
      if (tx.body.module !== COLLECTIONS_MODULE || tx.body.type !== 'put')
        throw new Error('not a collections/put');
      put = decode(Put, tx.body.payload);
      sender = bytesToHex(deriveAddress(host.chainHash, senderKey(tx.body)));
      hash = txHash(host.chainHash, tx);
    } catch (error) {
      return refuse(400, 'COLLECTIONS_BAD_WRITE', `tx: ${(error as Error).message}`);
    }
    const value = new Uint8Array(Buffer.from(body.value, 'base64'));
    const salt = hexToBytes(body.salt);
    if (value.length > MAX_VALUE_BYTES)
      return refuse(400, 'COLLECTIONS_BAD_WRITE', 'the value is over 256 KiB');
    if (!equalBytes(privateDataHash(host.chainHash, put.collection, put.key, salt, value), put.hash))
      return refuse(400, 'COLLECTIONS_HASH_MISMATCH', "the value and salt do not hash to the write's hash");
    const collections = service(host);
    const collection = collections.collection(put.collection);
    if (!collection) return refuse(404, 'COLLECTIONS_UNKNOWN', `there is no collection ${put.collection}`);
    if (!collections.isMember(put.collection))
      return refuse(
        403,
        'COLLECTIONS_NODE_NOT_MEMBER',
        `this node's organization is not one of ${put.collection}'s`,
      );
    const writer = host.query('governance', 'identity', { address: sender }) as IdentityJson | null;
    if (!writer?.registered || writer.org === undefined || !admits(collection, writer.org, writer.role ?? ''))
      return refuse(
        403,
        'COLLECTIONS_FORBIDDEN',
        `the writer is not an identity of ${put.collection}'s organizations`,
      );
    if (!collections.canHold(value.length))
      return refuse(
        503,
        'COLLECTIONS_BUSY',
        'this node holds too many values waiting for their writes; try later',
      );
    // Admission first (signature, membership, nonce): a forged write never reaches a peer.
    const submitted = await host.submit(wire);
    const sentTo = collections.accept(put.collection, put.key, salt, value);
    const result = body.wait === false ? undefined : await host.waitForCommit(submitted, 30_000);
    return {
      txHash: hash,
      hash: bytesToHex(put.hash),
      status: result ? ('committed' as const) : ('pending' as const),
      ...(result ? { height: result.height.toString(), code: result.code } : {}),
      sentTo,
    };
  },
});

function readerRefusal(
  host: RouteHost,
  input: RouteInput,
  name: string,
  collection: { readonly orgs: readonly string[]; readonly roles: readonly string[] },
) {
  const reader = input.reader;
  if (!reader)
    return refuse(
      401,
      'COLLECTIONS_UNAUTHENTICATED',
      'private data is read by a member signing the request (RFC 9421)',
    );
  if (admits(collection, reader.org, reader.role)) return undefined;
  const { resources } = host.query('governance', 'readPermission', {
    org: reader.org,
    role: reader.role,
  }) as {
    resources: string[];
  };
  if (mandateCovers(resources, `${COLLECTIONS_MODULE}/${name}`)) return undefined;
  return refuse(403, 'COLLECTIONS_FORBIDDEN', `${reader.org}'s ${reader.role}s may not read ${name}`, {
    org: reader.org,
    role: reader.role,
  });
}

export const dataRoute = defineRoute({
  method: 'GET',
  path: '/v1/modules/collections/data',
  summary:
    'A private value, to a signed reader its collection or a read mandate admits (with its on-chain record)',
  query: Type.Object({
    collection: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
    key: Type.String({ pattern: '^[A-Za-z0-9._:/#@-]{1,128}$' }),
  }),
  response: PrivateDataSchema,
  errors: [...ERRORS],
  invalidInput: 'COLLECTIONS_BAD_WRITE',
  replies: {
    200: {
      description: 'The value, its salt and the on-chain record its hash is checked against',
      schema: PrivateDataSchema,
    },
    410: {
      description: 'Purged (retention over, or purged by its writer): the record still proves what was there',
      schema: Type.Object({ error: Type.Unknown(), entry: EntrySchema }),
    },
  },
  handle(host, input) {
    const { collection: name, key } = input.query;
    const collections = service(host);
    const collection = collections.collection(name);
    if (!collection) return refuse(404, 'COLLECTIONS_UNKNOWN', `there is no collection ${name}`);
    const refused = readerRefusal(host, input, name, collection);
    if (refused) return refused;
    if (!collections.isMember(name))
      return refuse(
        403,
        'COLLECTIONS_NODE_NOT_MEMBER',
        `this node's organization is not one of ${name}'s: it holds none of its data`,
      );
    const { entry } = host.query(COLLECTIONS_MODULE, 'entry', { collection: name, key }) as {
      entry: (typeof EntrySchema)['static'] | null;
    };
    if (!entry) return refuse(404, 'COLLECTIONS_UNKNOWN', `there is no entry ${key} in ${name}`);
    if (entry.purged || BigInt(entry.expiresAt) <= host.height())
      return new RouteReply(410, {
        error: { code: 'COLLECTIONS_PURGED', message: `${key} of ${name} was purged`, details: {} },
        entry,
      });
    const held = collections.read(name, key);
    if (!held || held.hash !== entry.hash)
      return refuse(404, 'COLLECTIONS_DATA_MISSING', 'this node has not received the value yet');
    return {
      collection: name,
      key,
      value: Buffer.from(held.value).toString('base64'),
      salt: bytesToHex(held.salt),
      entry,
    };
  },
});
