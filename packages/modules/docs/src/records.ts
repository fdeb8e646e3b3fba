import { decode } from '@pujiang/codec';
import { bytesToHex } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import { DocumentRecord, documentKey, fileKey, HolderEntry, holderKey, ZERO_DIGEST } from './formats.js';
import { type DocumentSchema, type HolderEntrySchema, MAX_HOLDERS_PAGE } from './schemas.js';

/**
 * Reading the registry, the same way on the chain (queries over state) and in a client that
 * trusts no node (over reads proven under a certified header): answers are rebuilt by this
 * one code from the reads alone.
 */
export type DocsRead = (key: string) => Uint8Array | undefined;
export type DocumentJson = Static<typeof DocumentSchema>;
export type HolderEntryJson = Static<typeof HolderEntrySchema>;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export function readDocument(read: DocsRead, idHex: string): DocumentRecord | undefined {
  const bytes = read(documentKey(idHex));
  return bytes ? decode(DocumentRecord, bytes) : undefined;
}

export function documentJson(idHex: string, r: DocumentRecord): DocumentJson {
  return {
    id: idHex,
    type: r.docType,
    issuer: r.issuer,
    subject: r.subject,
    number: r.number,
    fileDigest: same(r.fileDigest, ZERO_DIGEST) ? null : bytesToHex(r.fileDigest),
    credentialDigest: bytesToHex(r.credentialDigest),
    transferable: r.transferable,
    status: r.status,
    supersededBy: r.supersededBy[0] ? bytesToHex(r.supersededBy[0]) : null,
    holder: r.holder[0] ? bytesToHex(r.holder[0]) : null,
    holders: r.holders,
    anchorRoot: r.anchorRoot[0] ? bytesToHex(r.anchorRoot[0]) : null,
    registrant: bytesToHex(r.registrant),
    height: String(r.height),
    time: String(r.time),
    txHash: bytesToHex(r.txHash),
    statusHeight: String(r.statusHeight),
  };
}

/** The document as JSON, or null. */
export function documentAnswer(read: DocsRead, idHex: string): DocumentJson | null {
  const r = readDocument(read, idHex);
  return r ? documentJson(idHex, r) : null;
}

/** The document of `issuer` a file digest backs, or null (files are indexed per issuer). */
export function byFileAnswer(read: DocsRead, issuer: string, digestHex: string): DocumentJson | null {
  const id = read(fileKey(issuer, digestHex));
  return id ? documentAnswer(read, bytesToHex(id)) : null;
}

/** A page of the holder history (entries `from` to `from + limit - 1` that exist) and its total. */
export function holdersAnswer(
  read: DocsRead,
  idHex: string,
  from = 0,
  limit = MAX_HOLDERS_PAGE,
): { holders: HolderEntryJson[]; total: number } {
  const r = readDocument(read, idHex);
  if (!r) return { holders: [], total: 0 };
  const holders: HolderEntryJson[] = [];
  for (let seq = from; seq < Math.min(r.holders, from + Math.min(limit, MAX_HOLDERS_PAGE)); seq++) {
    const bytes = read(holderKey(idHex, seq));
    if (!bytes) continue;
    const e = decode(HolderEntry, bytes);
    holders.push({
      seq,
      holder: bytesToHex(e.holder),
      height: String(e.height),
      time: String(e.time),
      txHash: bytesToHex(e.txHash),
    });
  }
  return { holders, total: r.holders };
}
