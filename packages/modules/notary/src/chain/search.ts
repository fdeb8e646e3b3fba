import { decode } from '@pujiang/codec';
import type { SearchIndexUpdate, SearchScan, StateRead } from '@pujiang/module-kit';
import { moduleError } from '@pujiang/module-kit';
import type { ChainEvent } from '@pujiang/protocol';
import {
  AnchorRecord,
  AssetRecord,
  anchorKey,
  anchorRecordToJson,
  assetKey,
  assetRecordToJson,
} from '../formats.js';

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
const MAX_SEARCH_PAGE = 1000;
const MAX_SCANNED = 10_000;

interface SearchParams {
  owner?: string;
  type?: string;
  from: bigint;
  to: bigint;
  limit: number;
  after?: string;
}

function parseSearch(params: unknown): SearchParams {
  const p = (params ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(p))
    if (!['owner', 'type', 'from', 'to', 'limit', 'after'].includes(name))
      throw moduleError('NOTARY_BAD_SEARCH', `unknown search parameter ${name}`, { name });
  const text = (name: string) => {
    const v = p[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > 256)
      throw moduleError('NOTARY_BAD_SEARCH', `${name} must be 1-256 characters`, { name });
    return v;
  };
  const ms = (name: string, fallback: bigint) => {
    const v = text(name);
    if (v === undefined) return fallback;
    if (!/^[0-9]{1,16}$/.test(v))
      throw moduleError('NOTARY_BAD_SEARCH', `${name} is a time in milliseconds since the epoch`, { name });
    return BigInt(v);
  };
  const limitText = text('limit');
  const limit = limitText === undefined ? SEARCH_PAGE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_PAGE)
    throw moduleError('NOTARY_BAD_SEARCH', `limit must be 1-${MAX_SEARCH_PAGE}`, { name: 'limit' });
  const owner = text('owner');
  const type = text('type');
  const after = text('after');
  return {
    ...(owner === undefined ? {} : { owner }),
    ...(type === undefined ? {} : { type }),
    from: ms('from', 0n),
    to: ms('to', 10n ** 16n - 1n),
    limit,
    ...(after === undefined ? {} : { after }),
  };
}

/**
 * Scans the narrowest index the parameters allow (owner, else type, else time) over the
 * time range, filters by type after an owner scan, and returns a cursor (`next`) for the rest.
 */
function search<T>(
  family: 'anchors' | 'assets',
  scan: SearchScan,
  params: unknown,
  load: (id: string) => { record: T; type: string } | undefined,
): { results: T[]; next: string | null } {
  const p = parseSearch(params);
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
export function searchAnchors(scan: SearchScan, read: StateRead, params: unknown) {
  return search('anchors', scan, params, (root) => {
    const bytes = read(anchorKey(root));
    if (!bytes) return undefined;
    const record = anchorRecordToJson(decode(AnchorRecord, bytes));
    return { record, type: record.docType };
  });
}

/** `GET /v1/search/notary/assets?owner=&type=&from=&to=&limit=&after=` */
export function searchAssets(scan: SearchScan, read: StateRead, params: unknown) {
  return search('assets', scan, params, (asset) => {
    const bytes = read(assetKey(asset));
    if (!bytes) return undefined;
    const record = assetRecordToJson(decode(AssetRecord, bytes));
    return { record, type: record.assetType };
  });
}
