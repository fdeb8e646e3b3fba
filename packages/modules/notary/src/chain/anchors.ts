import { decode, encode } from '@pujiang/codec';
import { defineQuery, type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  AnchorRecord,
  anchorKey,
  anchorRecordToJson,
  MAX_BATCH_DIGESTS,
  type NotaryAnchor,
} from '../formats.js';
import { AnchorQuery } from '../schemas.js';
import { checkText } from './text.js';

/**
 * Anchoring: one transaction records a digest, or the Merkle root of up to 100,000 digests
 * the client batched, with its metadata, the block's height and time and the transaction's
 * hash. The first anchoring of a root stands; anchoring it again fails, so a root's record
 * always names the earliest proof of existence.
 */
export function anchor(ctx: MessageContext, m: NotaryAnchor): void {
  if (m.count < 1 || m.count > MAX_BATCH_DIGESTS)
    throw moduleError('NOTARY_BAD_BATCH', `an anchor stands for 1 to ${MAX_BATCH_DIGESTS} digests`, {
      count: m.count,
    });
  checkText('owner', m.owner);
  checkText('docType', m.docType);
  checkText('ref', m.ref);
  for (const tag of m.tags) checkText('tag', tag, true);
  if (new Set(m.tags).size !== m.tags.length) throw moduleError('NOTARY_BAD_TEXT', 'tags must be distinct');
  const root = bytesToHex(m.root);
  const existing = ctx.get(anchorKey(root));
  if (existing !== undefined) {
    const first = decode(AnchorRecord, existing);
    throw moduleError('NOTARY_ALREADY_ANCHORED', `root ${root} was anchored at height ${first.height}`, {
      root,
      height: String(first.height),
      txHash: bytesToHex(first.txHash),
    });
  }
  const owner = m.owner === '' ? ctx.sender : m.owner;
  const record: AnchorRecord = {
    ...m,
    owner,
    sender: hexToBytes(ctx.sender),
    height: ctx.height,
    time: ctx.time,
    txHash: hexToBytes(ctx.txHash),
  };
  ctx.set(anchorKey(root), encode(AnchorRecord, record));
  ctx.emit('anchored', {
    root,
    count: String(m.count),
    owner,
    docType: m.docType,
    sender: ctx.sender,
  });
}

/** `notary/anchor?root=HEX`: the anchor's record, or null. */
export const anchorQuery = defineQuery({
  ...AnchorQuery,
  run: (read, { root }) => {
    const bytes = read(anchorKey(root));
    return { anchor: bytes ? anchorRecordToJson(decode(AnchorRecord, bytes)) : null };
  },
});
