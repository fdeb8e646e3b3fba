import { CreateAsset, NOTARY_MODULE, NotaryAnchor, RecordEvent } from '@pujiang/protocol';
import { type ChainModule, defineMessage } from '../../execution/module.js';
import { anchor, anchorQuery } from './anchors.js';
import { assetQuery, createAsset, lineageQuery, recordEvent } from './lineage.js';
import { notarySearchIndex, searchAnchors, searchAssets } from './search.js';

/**
 * On-chain notarization and data traceability: anchors of document digests (single or
 * client-batched under a Merkle root) and assets' hash-linked lineage of events. Who may
 * send these messages is governance's policy (`notary/anchor`, `notary/*`); the module
 * checks who may write to an asset.
 */
export const notary: ChainModule = {
  name: NOTARY_MODULE,
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
  queries: { anchor: anchorQuery, asset: assetQuery, lineage: lineageQuery },
  searchIndex: notarySearchIndex,
  searches: { anchors: searchAnchors, assets: searchAssets },
};
