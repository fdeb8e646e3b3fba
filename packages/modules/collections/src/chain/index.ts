import { defineMessage, defineModule } from '@pujiang/module-kit';
import { COLLECTIONS_MODULE, Define, Purge, Put } from '../formats.js';
import { CollectionsService } from '../node/service.js';
import { collectionQuery, define, entryQuery, purge, put } from './entries.js';
import { dataRoute, putRoute } from './routes.js';

/**
 * Private data collections: the chain keeps collections and each private entry's salted
 * hash and retention; each node of a collection's organizations keeps the values (the node
 * service), encrypted under per-entry keys it destroys at purge.
 */
export const collections = defineModule({
  name: COLLECTIONS_MODULE,
  summary: 'Private data collections: salted hashes on chain, values only on member organizations’ nodes',
  errors: {
    COLLECTIONS_BAD_KEY: 'an entry key is malformed',
    COLLECTIONS_BAD_NAME: 'a collection name or label is malformed',
    COLLECTIONS_BAD_ORGS: 'a collection names 1 to 32 distinct organizations',
    COLLECTIONS_BAD_RETENTION: 'the retention is out of range',
    COLLECTIONS_BAD_WRITE: 'a private write (its tx, value or salt) is malformed',
    COLLECTIONS_BUSY: 'the node holds too many values waiting for their writes',
    COLLECTIONS_DATA_MISSING: 'this node has not received the value',
    COLLECTIONS_EXISTS: 'the collection exists',
    COLLECTIONS_FORBIDDEN: 'the reader or writer is not admitted to the collection',
    COLLECTIONS_HASH_MISMATCH: "the value and salt do not hash to the write's hash",
    COLLECTIONS_NODE_NOT_MEMBER: "this node's organization is not one of the collection's",
    COLLECTIONS_NOT_AUTHORIZED: 'only the writer or an admin of its organization purges',
    COLLECTIONS_NOT_MEMBER: "the sender is not a valid identity of the collection's organizations",
    COLLECTIONS_PURGED: 'the entry was purged',
    COLLECTIONS_UNAUTHENTICATED: 'private data is read by a signed request',
    COLLECTIONS_UNKNOWN: 'there is no such collection or entry',
  },
  events: {
    defined: ['collection', 'orgs', 'retentionBlocks'],
    put: ['collection', 'key', 'hash', 'writer', 'expiresAt'],
    purged: ['collection', 'key', 'by'],
  },
  messages: {
    define: defineMessage(Define, define),
    put: defineMessage(Put, put),
    purge: defineMessage(Purge, purge),
  },
  imports: { governance: ['identityOf'] },
  queries: { collection: collectionQuery, entry: entryQuery },
  routes: [putRoute, dataRoute],
  nodeService: (host) => new CollectionsService(host),
});
