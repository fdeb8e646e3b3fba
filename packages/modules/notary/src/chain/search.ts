import { decode } from '@pujiang/codec';
import type { SearchIndexUpdate, SearchScan, Static } from '@pujiang/module-kit';
import { defineSearch, moduleError } from '@pujiang/module-kit';
import type { ChainEvent } from '@pujiang/protocol';
import {
  AnchorRecord,
  AssetRecord,
  anchorKey,
  anchorRecordToJson,
  assetKey,
  assetRecordToJson,
} from '../formats.js';
import { AnchorSearch, AssetSearch, type SearchParams as SearchParamsSchema } from '../schemas.js';

/**
 * The notary's search index: anchors and assets by owner, by type and by time (of anchoring
 * or creation). Keys are `<index>/<value>/<time>/<id>` with the value URI-encoded (no `/`)
 * and the time as 16 digits, so a key range is a time range; a transfer moves an asset's
 * owner entry. Hits are read from the latest state; clients prove them with proven queries.
 */
const time16 = (ms: bigint | string) => String(ms).padStart(16, '0');
const seg = encodeURIComponent;

export function notarySearchIndex(event: ChainEvent, at: { time: bigint }): SearchIndexUpdate {
  const a = event.attributes;
  const t = time16(at.time);
  switch (event.type) {
    case 'anchored':
      return {
        put: [
          `anchors-by-owner/${seg(a.owner!)}/${t}/${a.root}`,
          `anchors-by-type/${seg(a.docType!)}/${t}/${a.root}`,
          `anchors-by-time/${t}/${a.root}`,
        ],
      };
    case 'assetCreated':
      return {
        put: [
          `assets-by-owner/${seg(a.owner!)}/${t}/${a.asset}`,
          `assets-by-type/${seg(a.assetType!)}/${t}/${a.asset}`,
          `assets-by-time/${t}/${a.asset}`,
        ],
      };
    case 'assetTransferred': {
      const created = time16(a.createdTime!);
      return {
        delete: [`assets-by-owner/${seg(a.from!)}/${created}/${a.asset}`],
        put: [`assets-by-owner/${seg(a.to!)}/${created}/${a.asset}`],
      };
    }
    default:
      return {};
  }
}

export const SEARCH_PAGE = 100;
const MAX_SCANNED = 10_000;

type SearchParams = Static<typeof SearchParamsSchema>;
/**
 * Scans the narrowest index the parameters allow (owner, else type, else time) over the
 * time range, filters by type after an owner scan, and returns a cursor (`next`) for the rest.
 */
function search<T>(
  family: 'anchors' | 'assets',
  scan: SearchScan,
  params: SearchParams,
  load: (id: string) => { record: T; type: string } | undefined,
): { results: T[]; next: string | null } {
  const p = {
    ...params,
    from: BigInt(params.from ?? 0),
    to: BigInt(params.to ?? '9999999999999999'),
    limit: params.limit ?? SEARCH_PAGE,
  };
  const prefix =
    p.owner !== undefined
      ? `${family}-by-owner/${seg(p.owner)}/`
      : p.type !== undefined
        ? `${family}-by-type/${seg(p.type)}/`
        : `${family}-by-time/`;
  const start = `${prefix}${time16(p.from)}`;
  const end = `${prefix}${time16(p.to)}~`; // '~' sorts after '/' and every id character
  if (p.after !== undefined && !p.after.startsWith(prefix))
    throw moduleError('NOTARY_BAD_SEARCH', 'after is the next of an answer to the same search', {
      name: 'after',
    });
  let cursor = p.after !== undefined && p.after > start ? `${p.after} ` : start;
  const results: T[] = [];
  // Filtering by type after an owner scan may skip keys: one request scans at most
  // MAX_SCANNED keys (on the node's main thread) and hands back a cursor for the rest.
  let scanned = 0;
  for (;;) {
    const keys = scan(cursor, end, p.limit);
    for (const key of keys) {
      cursor = `${key} `; // the next key: ids and segments hold no character below '!'
      scanned++;
      // After the prefix: 16 digits of time, '/', the id (which may itself hold '/').
      const hit = load(key.slice(prefix.length + 17));
      if (hit !== undefined && (p.owner === undefined || p.type === undefined || hit.type === p.type))
        results.push(hit.record);
      if (results.length === p.limit || scanned >= MAX_SCANNED) return { results, next: key };
    }
    if (keys.length < p.limit) return { results, next: null };
  }
}

/** `GET /v1/search/notary/anchors?owner=&type=&from=&to=&limit=&after=` */
export const searchAnchors = defineSearch({
  ...AnchorSearch,
  run: (scan, read, params) =>
    search('anchors', scan, params, (root) => {
      const bytes = read(anchorKey(root));
      if (!bytes) return undefined;
      const record = anchorRecordToJson(decode(AnchorRecord, bytes));
      return { record, type: record.docType };
    }),
});

/** `GET /v1/search/notary/assets?owner=&type=&from=&to=&limit=&after=` */
export const searchAssets = defineSearch({
  ...AssetSearch,
  run: (scan, read, params) =>
    search('assets', scan, params, (asset) => {
      const bytes = read(assetKey(asset));
      if (!bytes) return undefined;
      const record = assetRecordToJson(decode(AssetRecord, bytes));
      return { record, type: record.assetType };
    }),
});
