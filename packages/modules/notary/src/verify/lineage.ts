import { decode } from '@pujiang/codec';
import { sdkError } from '@pujiang/module-kit';
import type { ProvenQueryResponse } from '@pujiang/protocol';
import { bytesToHex, equalBytes, invalidArgument, stableStringify } from '@pujiang/types';
import {
  type CertifiedHeader,
  objectParameter,
  type TrustParameters,
  trustOf,
  VerificationError,
  verifyHeader,
  verifyProvenQuery,
} from '@pujiang/verify';
import { type LineageProof, lineageProofProblem } from '../documents.js';
import {
  AssetRecord,
  assetRecordToJson,
  assetStateKey,
  eventStateKey,
  LineageEvent,
  type LineageEventJson,
  type LineageJson,
  lineageEventHash,
  lineageEventToJson,
} from '../formats.js';

export interface VerifiedLineage {
  readonly height: number;
  readonly asset: LineageJson['asset'];
  /** Every event, with its hash (the next one's `prev`), in order from `created`. */
  readonly events: (LineageEventJson & { hash: string })[];
}

const ZERO: Uint8Array = new Uint8Array(32);

/**
 * Checks an asset's lineage, proven by `notary/lineage` answers (pages of up to 1,000 events,
 * in order) against one certified header: the asset record and every one of its events are
 * proven state, each event sits at its sequence number and links to the hash of the one
 * before (the first to zero), the last is the asset's head, and each page's answer is exactly
 * what was proven. So a forged, reordered or missing event fails (`lineage-link`,
 * `missing-read` or `result-mismatch`).
 */
export function verifyLineage(
  pages: ProvenQueryResponse | readonly ProvenQueryResponse[],
  header: CertifiedHeader,
  asset: string,
): VerifiedLineage {
  if (typeof asset !== 'string' || asset === '') throw invalidArgument('asset must be an asset id', 'asset');
  const responses = Array.isArray(pages) ? pages : [objectParameter(pages as ProvenQueryResponse, 'pages')];
  if (responses.length === 0) throw new VerificationError('missing-read', 'no lineage answer to check', {});
  const assetKey = assetStateKey(asset);
  const reads = new Map<string, Uint8Array | undefined>();
  for (const response of responses)
    for (const [key, value] of verifyProvenQuery(response, header, { requiredKeys: [assetKey] }).reads)
      reads.set(key, value);
  const recordBytes = reads.get(bytesToHex(assetKey));
  let assetJson: LineageJson['asset'] = null;
  const all: LineageEventJson[] = [];
  const events: VerifiedLineage['events'] = [];
  if (recordBytes !== undefined) {
    const record = decode(AssetRecord, recordBytes);
    assetJson = assetRecordToJson(record);
    let prev: Uint8Array = ZERO;
    for (let seq = 0; seq < record.count; seq++) {
      const key = eventStateKey(asset, seq);
      if (!reads.has(bytesToHex(key)))
        throw new VerificationError('missing-read', `event ${seq} of ${record.count} is not proven`, { seq });
      const bytes = reads.get(bytesToHex(key));
      if (bytes === undefined)
        throw new VerificationError('lineage-link', `event ${seq} of ${record.count} is absent`, { seq });
      const event = decode(LineageEvent, bytes);
      if (event.seq !== seq || event.asset !== asset)
        throw new VerificationError(
          'lineage-link',
          `event ${seq} is stored as ${event.asset} #${event.seq}`,
          {
            seq,
          },
        );
      if (!equalBytes(event.prev, prev))
        throw new VerificationError('lineage-link', `event ${seq} does not link to the event before it`, {
          seq,
        });
      prev = lineageEventHash(header.chainHash, event);
      const json = lineageEventToJson(event);
      all.push(json);
      events.push({ ...json, hash: bytesToHex(prev) });
    }
    if (!equalBytes(prev, record.head))
      throw new VerificationError('lineage-link', "the last event is not the asset's head", {
        count: record.count,
      });
  }
  // Each page answers the next slice of the proven lineage, exactly.
  let offset = 0;
  for (const response of responses) {
    const answered = (response.result as { events?: unknown } | null)?.events;
    const size = Array.isArray(answered) ? answered.length : 0;
    const expected: LineageJson = { asset: assetJson, events: all.slice(offset, offset + size) };
    if (stableStringify(response.result) !== stableStringify(expected))
      throw new VerificationError('result-mismatch', 'an answer is not the proven lineage', {
        asset,
        offset,
      });
    offset += size;
  }
  if (offset !== all.length)
    throw new VerificationError('result-mismatch', 'the answers do not hold every event', {
      answered: offset,
      events: all.length,
    });
  return { height: responses[0]!.height, asset: assetJson, events };
}

/** Parses a lineage proof (object or JSON text): one that is not is `SDK_DOCUMENT_MALFORMED`. */
export function parseLineageProof(input: unknown): LineageProof {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw sdkError('SDK_DOCUMENT_MALFORMED', 'the lineage proof is not JSON');
    }
  }
  const bad = lineageProofProblem(value);
  if (bad !== undefined)
    throw sdkError('SDK_DOCUMENT_MALFORMED', `not a version 1 lineage proof (field ${bad})`, { field: bad });
  return value as LineageProof;
}

/** Verifies a `LineageProof` document offline against pinned validators (see `verifyLineage`). */
export function verifyLineageProof(parameters: { proof: unknown; trust: TrustParameters }): VerifiedLineage {
  objectParameter(parameters, 'parameters');
  const proof = parseLineageProof(parameters.proof);
  const trust = trustOf(parameters.trust);
  if (proof.chainId !== trust.chainId || proof.chainHash !== trust.chainHash)
    throw new VerificationError('chain-id', `the proof is for chain ${proof.chainId}, not ${trust.chainId}`, {
      expected: trust.chainId,
      actual: proof.chainId,
    });
  const header = verifyHeader({ ...trust, header: proof.header, certificate: proof.certificate });
  return verifyLineage(proof.pages, header, proof.asset);
}
