import { decode } from '@pujiang/codec';
import { AnchorRecord as AnchorCodec, anchorRecordToJson, anchorStateKey } from '@pujiang/module-notary';
import type { Genesis, LightClient } from '@pujiang/sdk/browser';
import {
  type DocumentDigest,
  digestDocument,
  NotaryBatch,
  type VerifiedLineage,
  verifyLineage,
  verifyNotaryReceipt,
} from '@pujiang/sdk/verify';
import { bytesToHex } from '@pujiang/types';
import { provenQuery, verifiedLatestHeader } from './proven-query.js';

export const RECEIPT_FORMAT = 'pujiang-notary-receipt';

/** What the page says of a file and its receipt. */
export type ReceiptCheck =
  | {
      readonly state: 'valid';
      readonly digest: string;
      readonly height: number;
      readonly time: string;
      readonly txHash: string;
      readonly root: string;
      readonly owner: string;
      readonly docType: string;
    }
  | { readonly state: 'pending'; readonly digest: string }
  /** The file is not the one the receipt is for: its digest differs. */
  | { readonly state: 'changed'; readonly digest: string; readonly expected: string }
  /** The receipt does not verify against the pinned genesis (the failed check named). */
  | { readonly state: 'invalid'; readonly error: unknown };

/** A file parsed as a notary receipt, or undefined when it is not one (then it is a document). */
export function asReceipt(text: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    return json && typeof json === 'object' && (json as { format?: unknown }).format === RECEIPT_FORMAT
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a document against its receipt entirely in the browser: the digest recomputed from
 * the content, then the receipt's Merkle path, transaction, inclusion and result proven
 * under headers certified by the pinned genesis's validators.
 */
export function checkReceipt(
  genesis: Genesis,
  receipt: Record<string, unknown>,
  content: Uint8Array,
): ReceiptCheck {
  const document = receipt.document as { algorithm?: unknown; digest?: unknown } | undefined;
  const algorithm = document?.algorithm === 'sm3' ? 'sm3' : 'sha256';
  const digest = bytesToHex(digestDocument(algorithm, content));
  if (typeof document?.digest === 'string' && document.digest.toLowerCase() !== digest)
    return { state: 'changed', digest, expected: document.digest.toLowerCase() };
  try {
    const verified = verifyNotaryReceipt({ receipt, trust: { genesis }, content });
    if (verified.status === 'pending') return { state: 'pending', digest };
    return {
      state: 'valid',
      digest,
      height: verified.height,
      time: verified.time,
      txHash: verified.txHash,
      root: verified.root,
      owner: verified.owner,
      docType: verified.docType,
    };
  } catch (error) {
    return { state: 'invalid', error };
  }
}

export interface AnchorRecord {
  readonly root: string;
  readonly height: string;
  readonly time: string;
  readonly txHash: string;
  readonly owner: string;
  readonly docType: string;
  readonly count: number;
}

/**
 * The on-chain anchor of a root, or of a digest anchored alone (its single-leaf root), by a
 * proven `notary/anchor` query: the record is decoded from the proven read of the anchor's
 * key (present or proven absent); the node's answer is not used.
 */
export async function findAnchor(
  light: LightClient,
  chainHash: Genesis['chainHash'],
  hex: string,
  algorithm: DocumentDigest,
): Promise<{ anchor: AnchorRecord | null; root: string; height: number }> {
  const value = hex.trim().toLowerCase();
  const candidates = [value, bytesToHex(new NotaryBatch(chainHash, [{ algorithm, digest: value }]).root)];
  let last: { anchor: AnchorRecord | null; root: string; height: number } | undefined;
  for (const root of candidates) {
    const key = anchorStateKey(root);
    const verified = await provenQuery(light, 'notary', 'anchor', { root }, [key]);
    // What is shown is decoded from the proven read of the anchor's own key (present, or
    // proven absent), never taken from the node's answer.
    const bytes = verified.reads.get(bytesToHex(key));
    const anchor = bytes === undefined ? null : anchorRecordToJson(decode(AnchorCodec, bytes));
    if (anchor && anchor.root.toLowerCase() !== root)
      throw new Error('the proven anchor record is for another root');
    last = { anchor, root, height: verified.height };
    if (anchor) return last;
  }
  return last!;
}

/** An asset's whole lineage, every page proven against one certified header. */
export async function provenLineage(light: LightClient, asset: string): Promise<VerifiedLineage> {
  const header = await verifiedLatestHeader(light);
  const first = await light.client.queryProven('notary', 'lineage', { asset }, { height: header.height });
  const pages = [first];
  const total = (first.result as { asset: { count: number } | null }).asset?.count ?? 0;
  let have = (first.result as { events: unknown[] }).events.length;
  while (have < total) {
    const page = await light.client.queryProven(
      'notary',
      'lineage',
      { asset, from: String(have) },
      { height: first.height },
    );
    const n = (page.result as { events: unknown[] }).events.length;
    if (n === 0) break;
    pages.push(page);
    have += n;
  }
  return verifyLineage(pages, header, asset);
}
