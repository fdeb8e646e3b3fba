import type { PeersResponse, PujiangClient, StatusResponse } from '@pujiang/sdk';
import { isPujiangError } from '@pujiang/types';
import { parseSamples, type Sample } from './prometheus-text.js';

/**
 * What one poll of one node returns: its status, its peers and the metric families the
 * monitor watches, or why it could not be reached. A node that answers nothing is data too
 * (an unreachable validator is a liveness signal).
 */
export interface NodeObservation {
  readonly url: string;
  readonly reachable: boolean;
  readonly error?: string;
  readonly status?: StatusResponse;
  readonly peers?: PeersResponse;
  readonly samples?: readonly Sample[];
}

/** The families of the node's `/metrics` the monitor reads (API abuse, refusals, offences). */
export const WATCHED_FAMILIES = [
  'pujiang_api_requests_total',
  'pujiang_txs_refused_total',
  'pujiang_peer_offences_total',
] as const;

export function describeError(error: unknown): string {
  if (isPujiangError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export async function observeNode(
  client: PujiangClient,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<NodeObservation> {
  const url = client.url;
  try {
    const status = await client.getStatus();
    // A node of another version may not have /v1/peers yet: its other signals still count.
    const [peers, metrics] = await Promise.all([
      client.getPeers().catch(() => undefined),
      fetchText(fetchImpl, `${url}/metrics`, timeoutMs).catch(() => undefined),
    ]);
    return {
      url,
      reachable: true,
      status,
      ...(peers ? { peers } : {}),
      ...(metrics === undefined ? {} : { samples: parseSamples(metrics, WATCHED_FAMILIES) }),
    };
  } catch (error) {
    return { url, reachable: false, error: describeError(error) };
  }
}

async function fetchText(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<string> {
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** A validator of the next height as `/v1/validators` names it. */
export interface ValidatorInfo {
  readonly index: number;
  readonly name: string;
  readonly address: string;
  readonly suite: string;
  readonly publicKey: string;
  readonly power: number;
}

/** A committed height and which validators' precommits its certificate carries. */
export interface SignedHeight {
  readonly height: number;
  readonly time: number;
  readonly signers: readonly string[];
  readonly validators: readonly string[];
}

/** The headers from `from` to `to` (inclusive) with their certificates' signers, by address. */
export async function signedHeights(
  client: PujiangClient,
  from: number,
  to: number,
): Promise<SignedHeight[]> {
  const out: SignedHeight[] = [];
  const sets = new Map<number, ValidatorInfo[]>();
  for (let h = from; h <= to; h++) {
    const [header, set] = await Promise.all([client.getHeader(h), validatorSet(client, h, sets)]);
    const signers = new Set(header.certificate.precommits.map((p) => p.validator));
    out.push({
      height: h,
      time: Number(header.header.time),
      signers: set.filter((v) => signers.has(v.index)).map((v) => v.address),
      validators: set.map((v) => v.address),
    });
  }
  return out;
}

async function validatorSet(
  client: PujiangClient,
  height: number,
  cache: Map<number, ValidatorInfo[]>,
): Promise<ValidatorInfo[]> {
  const cached = cache.get(height);
  if (cached) return cached;
  const set = (await client.getValidators(height)).validators.map((v, index) => ({
    index,
    name: v.name ?? `validator ${index}`,
    address: v.address,
    suite: v.suite,
    publicKey: v.publicKey,
    power: v.power,
  }));
  cache.set(height, set);
  return set;
}

export async function nextValidators(client: PujiangClient): Promise<ValidatorInfo[]> {
  return validatorSet(client, (await client.getStatus()).height + 1, new Map());
}
