import { decode, encode } from '@pujiang/codec';
import {
  defineExport,
  defineQuery,
  type MessageContext,
  type ModuleContext,
  moduleError,
  Type,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  AnchorRecord,
  anchorKey,
  anchorRecordToJson,
  DOCUMENT_DIGESTS,
  MAX_BATCH_DIGESTS,
  NOTARY_LIMITS,
  type NotaryAnchor,
  singleDigestRoot,
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
  anchorFor(ctx, ctx, m);
}

/** Anchors for `by`: the account whose transaction anchors, and that transaction. */
function anchorFor(
  ctx: ModuleContext,
  by: { readonly sender: string; readonly txHash: string },
  m: NotaryAnchor,
): void {
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
  const owner = m.owner === '' ? by.sender : m.owner;
  const record: AnchorRecord = {
    ...m,
    owner,
    sender: hexToBytes(by.sender),
    height: ctx.height,
    time: ctx.time,
    txHash: hexToBytes(by.txHash),
  };
  ctx.set(anchorKey(root), encode(AnchorRecord, record));
  ctx.emit('anchored', {
    root,
    count: String(m.count),
    owner,
    docType: m.docType,
    sender: by.sender,
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

/**
 * Anchoring for another chain (a `remote` export, reached by a cross-chain call): the owner
 * is the calling account as `<chain id>:<address>`, the sender the relaying transaction's,
 * and the answer the anchor's height, which travels back in the acknowledgement.
 */
export const remoteAnchor = defineExport(
  'Anchors a digest for an account of another chain (a cross-chain call)',
  Type.Object({
    caller: Type.Object({ chainId: Type.String(), channel: Type.String(), sender: Type.String() }),
    args: Type.Object({
      root: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      algorithm: Type.Optional(Type.Union(DOCUMENT_DIGESTS.map((d) => Type.Literal(d)))),
      docType: Type.Optional(Type.String()),
      ref: Type.Optional(Type.String()),
    }),
  }),
  (ctx, { caller, args }) => {
    if (ctx.sender === undefined || ctx.txHash === undefined)
      throw moduleError('NOTARY_NOT_AUTHORIZED', 'a remote anchor comes in a transaction');
    anchorFor(
      ctx,
      { sender: ctx.sender, txHash: ctx.txHash },
      {
        root: hexToBytes(args.root),
        count: 1,
        algorithm: args.algorithm ?? 'sha256',
        owner: `${caller.chainId}:${caller.sender}`,
        docType: args.docType ?? '',
        tags: [],
        ref: args.ref ?? '',
      },
    );
    return { root: args.root, height: String(ctx.height) };
  },
  { remote: true },
);

/**
 * Anchoring for a module of this chain (the docs module notarizes a document's file): one
 * digest, anchored as `notary/anchor` would anchor it (root = its leaf hash, so `pujiang
 * notary` tooling finds it), with the caller's owner, type and reference, and the calling
 * module as its tag. A digest anchored before is not an error here: the first anchoring
 * stands, and its record is the answer (`existing: true`).
 */
export const localAnchor = defineExport(
  "Anchors one document digest for a module of this chain, or answers the digest's existing anchor",
  Type.Object({
    digest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    algorithm: Type.Union(DOCUMENT_DIGESTS.map((d) => Type.Literal(d))),
    owner: Type.String({ maxLength: NOTARY_LIMITS.owner }),
    docType: Type.String({ maxLength: NOTARY_LIMITS.docType }),
    ref: Type.String({ maxLength: NOTARY_LIMITS.ref }),
  }),
  (ctx, args) => {
    if (ctx.sender === undefined || ctx.txHash === undefined)
      throw moduleError('NOTARY_NOT_AUTHORIZED', 'an anchor comes in a transaction');
    const root = singleDigestRoot(ctx.chainHash, {
      algorithm: args.algorithm,
      digest: hexToBytes(args.digest),
    });
    const rootHex = bytesToHex(root);
    const existing = ctx.get(anchorKey(rootHex));
    if (existing === undefined)
      anchorFor(
        ctx,
        { sender: ctx.sender, txHash: ctx.txHash },
        {
          root,
          count: 1,
          algorithm: args.algorithm,
          owner: args.owner,
          docType: args.docType,
          tags: [ctx.caller],
          ref: args.ref,
        },
      );
    const record = decode(AnchorRecord, existing ?? ctx.get(anchorKey(rootHex))!);
    return {
      root: rootHex,
      height: String(record.height),
      txHash: bytesToHex(record.txHash),
      existing: existing !== undefined,
    };
  },
);

/**
 * Whether a document digest is anchored, as `notary/anchor` (or `anchorFor`) anchors one
 * digest: a module of this chain checks that a presented file was notarized.
 */
export const anchoredExport = defineExport(
  "Whether one document digest is anchored, with its anchor's height (null if not)",
  Type.Object({
    digest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    algorithm: Type.Union(DOCUMENT_DIGESTS.map((d) => Type.Literal(d))),
  }),
  (ctx, args) => {
    const root = bytesToHex(
      singleDigestRoot(ctx.chainHash, { algorithm: args.algorithm, digest: hexToBytes(args.digest) }),
    );
    const bytes = ctx.get(anchorKey(root));
    if (bytes === undefined) return null;
    const record = decode(AnchorRecord, bytes);
    return { root, height: String(record.height), time: String(record.time) };
  },
);
