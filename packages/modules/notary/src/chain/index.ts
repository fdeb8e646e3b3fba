import { defineMessage, defineModule } from '@pujiang/module-kit';
import { CreateAsset, NOTARY_MODULE, NotaryAnchor, RecordEvent } from '../formats.js';
import { anchor, anchoredExport, anchorQuery, localAnchor, remoteAnchor } from './anchors.js';
import { assetQuery, createAsset, lineageQuery, recordEvent } from './lineage.js';
import { notarySearchIndex, searchAnchors, searchAssets } from './search.js';

/**
 * On-chain notarization and data traceability: anchors of document digests (single or
 * client-batched under a Merkle root) and assets' hash-linked lineage of events. Who may
 * send these messages is governance's policy (`notary/anchor`, `notary/*`); the module
 * checks who may write to an asset.
 */
export const notary = defineModule({
  name: NOTARY_MODULE,
  summary: 'Notarization (anchors of document digests) and data traceability (asset lineage)',
  errors: {
    NOTARY_ALREADY_ANCHORED: 'the root was anchored before (the first anchoring stands)',
    NOTARY_ASSET_EXISTS: 'an asset with that id exists',
    NOTARY_ASSET_UNKNOWN: 'there is no such asset',
    NOTARY_BAD_ASSET: 'an asset id or type is malformed',
    NOTARY_BAD_BATCH: 'an anchor count or algorithm is out of range',
    NOTARY_BAD_EVENT: 'a lineage event is malformed',
    NOTARY_BAD_PAGE: 'from or limit is out of range',
    NOTARY_BAD_ROOT: 'a root is not 32 bytes of lowercase hex',
    NOTARY_BAD_SEARCH: 'a search parameter is malformed',
    NOTARY_BAD_TEXT: 'a text field is too long or not well-formed',
    NOTARY_CORRUPT: 'stored lineage is inconsistent',
    NOTARY_NOT_AUTHORIZED: 'the sender may not write this event',
    NOTARY_STALE_HEAD: 'the event does not name the current head',
    NOTARY_TOO_MANY_PARTICIPANTS: 'an asset is shared with at most 32 parties',
  },
  events: {
    anchored: ['root', 'count', 'owner', 'docType', 'sender'],
    assetCreated: ['asset', 'assetType', 'owner'],
    assetTransferred: ['asset', 'from', 'to', 'createdTime'],
    lineage: ['asset', 'seq', 'eventType', 'actor', 'hash'],
  },
  messages: {
    anchor: defineMessage(NotaryAnchor, anchor),
    createAsset: defineMessage(CreateAsset, createAsset),
    recordEvent: defineMessage(RecordEvent, recordEvent),
  },
  // Other chains anchor through a cross-chain call (`xchain/call`); modules of this one (docs) through anchorFor.
  exports: { anchor: remoteAnchor, anchorFor: localAnchor, anchored: anchoredExport },
  queries: { anchor: anchorQuery, asset: assetQuery, lineage: lineageQuery },
  searchIndex: notarySearchIndex,
  searches: { anchors: searchAnchors, assets: searchAssets },
});
