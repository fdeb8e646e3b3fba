import {
  type ChainClient,
  encodePayload,
  firstProblem,
  heightArgument,
  invalidArgument,
  listArgument,
  objectArgument,
  type RequestOptions,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  sdkError,
  searchTyped,
  stringArgument,
} from '@pujiang/module-kit';
import { hexToBytes } from '@pujiang/types';
import { LINEAGE_PROOF_FORMAT, type LineageProof } from '../documents.js';
import {
  type AnchorRecordJson,
  type AssetRecordJson,
  CreateAsset,
  type LineageJson,
  NOTARY_MODULE,
  RecordEvent,
} from '../formats.js';
import { AnchorSearch, AssetSearch, LineageQuery } from '../schemas.js';

export type NotarySendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

const digests = (list: readonly (Uint8Array | string)[] | undefined, field: string): Uint8Array[] =>
  (list === undefined ? [] : listArgument(list, field)).map((d, i) => {
    const bytes = typeof d === 'string' ? (/^[0-9a-fA-F]{64}$/.test(d) ? hexToBytes(d) : undefined) : d;
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32)
      throw sdkError('SDK_INVALID_ARGUMENT', `${field}[${i}] is not a 32-byte digest`, {
        parameter: `${field}[${i}]`,
        index: i,
      });
    return bytes;
  });

/** Registers a data asset owned by the sender; its lineage starts with a `created` event. */
export function createAsset(
  client: ChainClient,
  p: NotarySendParameters & {
    asset: string;
    assetType: string;
    action?: string;
    outputs?: readonly (Uint8Array | string)[];
  },
): Promise<SendTransactionReturnType> {
  const payload = encodePayload(CreateAsset, {
    asset: objectArgument(p, 'parameters').asset,
    assetType: p.assetType,
    action: p.action ?? '',
    outputs: digests(p.outputs, 'outputs'),
  });
  return client.sendTransaction({ ...p, module: NOTARY_MODULE, type: 'createAsset', payload });
}

/**
 * Appends an event to an asset's lineage. `prev` is the asset's current head (the hash of its
 * last event, from `getLineage` or the asset query); when omitted it is read from the node.
 */
export async function recordLineageEvent(
  client: ChainClient,
  p: NotarySendParameters & {
    asset: string;
    eventType: string;
    action?: string;
    inputs?: readonly (Uint8Array | string)[];
    outputs?: readonly (Uint8Array | string)[];
    /** The new owner (`transferred`) or the party (`shared`, `unshared`), an address. */
    to?: string;
    prev?: string;
  },
): Promise<SendTransactionReturnType> {
  stringArgument(objectArgument(p, 'parameters').asset, 'asset');
  let prev = p.prev;
  if (prev === undefined) {
    const { result } = await client.query(NOTARY_MODULE, 'asset', { asset: p.asset });
    const head = (result as { asset?: { head?: unknown } | null })?.asset?.head;
    if (typeof head !== 'string')
      throw sdkError('SDK_INVALID_ARGUMENT', `no asset ${p.asset}`, { asset: p.asset });
    prev = head;
  }
  if (typeof prev !== 'string' || !/^[0-9a-f]{64}$/.test(prev))
    throw invalidArgument('prev is a 32-byte hash (hex)', 'prev');
  if (p.to !== undefined && (typeof p.to !== 'string' || !/^[0-9a-f]{42}$/.test(p.to)))
    throw invalidArgument('to is an address (42 lowercase hex digits)', 'to');
  const payload = encodePayload(RecordEvent, {
    asset: p.asset,
    eventType: p.eventType,
    action: p.action ?? '',
    inputs: digests(p.inputs, 'inputs'),
    outputs: digests(p.outputs, 'outputs'),
    to: p.to === undefined ? [] : [hexToBytes(p.to)],
    prev: hexToBytes(prev),
  });
  return client.sendTransaction({ ...p, module: NOTARY_MODULE, type: 'recordEvent', payload });
}

/** Fetches an asset's whole lineage with proofs (at the latest header, or `height`) as a `LineageProof`. */
export async function getLineageProof(
  client: ChainClient,
  asset: string,
  options: RequestOptions & {
    height?: number /** Events per page (1-1,000, default 1,000). */;
    pageSize?: number;
  } = {},
): Promise<LineageProof> {
  stringArgument(asset, 'asset');
  const { pageSize, ...request } = objectArgument(options, 'options');
  if (pageSize !== undefined && !(heightArgument(pageSize, 'pageSize') >= 1 && pageSize <= 1000))
    throw invalidArgument('pageSize must be from 1 to 1,000', 'pageSize');
  const limit = pageSize === undefined ? {} : { limit: String(pageSize) };
  const status = await client.getStatus(request);
  const first = await client.queryProven(NOTARY_MODULE, 'lineage', { asset, ...limit }, request);
  const pages = [first];
  const count = lineagePage(first.result).asset?.count ?? 0;
  let fetched = lineagePage(first.result).events.length;
  while (fetched < count && fetched > 0) {
    const page = await client.queryProven(
      NOTARY_MODULE,
      'lineage',
      { asset, from: String(fetched), ...limit },
      { ...request, height: first.height },
    );
    const events = lineagePage(page.result).events.length;
    if (events === 0) break; // the verifier will say what is missing
    pages.push(page);
    fetched += events;
  }
  const { header, certificate } = await client.getHeader(first.height, request);
  return {
    format: LINEAGE_PROOF_FORMAT,
    version: 1,
    chainId: status.chainId,
    chainHash: status.chainHash,
    asset,
    header,
    certificate,
    pages,
  };
}

export interface NotarySearchParameters {
  owner?: string;
  type?: string;
  /** Time range of anchoring or creation, ms since the epoch (inclusive). */
  from?: number | bigint;
  to?: number | bigint;
  limit?: number;
  /** The previous page's `next`. */
  after?: string;
}

/** Node-side search (not proven: prove a hit with `getLineageProof` or a proven anchor query). */
export async function searchNotary(
  client: ChainClient,
  what: 'anchors',
  p?: NotarySearchParameters,
  options?: RequestOptions,
): Promise<{ height: number; results: AnchorRecordJson[]; next: string | null }>;
export async function searchNotary(
  client: ChainClient,
  what: 'assets',
  p?: NotarySearchParameters,
  options?: RequestOptions,
): Promise<{ height: number; results: AssetRecordJson[]; next: string | null }>;
export async function searchNotary(
  client: ChainClient,
  what: 'assets' | 'anchors',
  p: NotarySearchParameters = {},
  options?: RequestOptions,
): Promise<{ height: number; results: (AnchorRecordJson | AssetRecordJson)[]; next: string | null }> {
  if (what !== 'anchors' && what !== 'assets')
    throw invalidArgument("what must be 'anchors' or 'assets'", 'what');
  objectArgument(p, 'parameters');
  const params = {
    ...(p.owner === undefined ? {} : { owner: p.owner }),
    ...(p.type === undefined ? {} : { type: p.type }),
    ...(p.from === undefined ? {} : { from: String(p.from) }),
    ...(p.to === undefined ? {} : { to: String(p.to) }),
    ...(p.limit === undefined ? {} : { limit: p.limit }),
    ...(p.after === undefined ? {} : { after: p.after }),
  };
  // The answer is checked against the search's result schema (SDK_BAD_RESPONSE otherwise).
  const { height, result } =
    what === 'anchors'
      ? await searchTyped(client, AnchorSearch, params, options)
      : await searchTyped(client, AssetSearch, params, options);
  return { height, results: result.results, next: result.next };
}

/** A proven lineage page's result, checked against the query's schema (the proofs are checked by the verifier). */
function lineagePage(result: unknown): LineageJson {
  const problem = firstProblem(LineageQuery.result, result);
  if (problem)
    throw sdkError('SDK_BAD_RESPONSE', `notary/lineage: malformed result at ${problem.path}`, {
      field: problem.path,
      problem: problem.message,
    });
  return result as LineageJson;
}
