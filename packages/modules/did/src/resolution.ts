import { decode } from '@pujiang/codec';
import { Type } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { type DidDocument, renderDocument } from './document.js';
import { DidHead, DidVersion, headKey, versionKey } from './formats.js';

/** Reads module-relative state keys (a query's `read`, or proven reads on the client). */
export type DidRead = (key: string) => Uint8Array | undefined;

export interface ResolveOptions {
  /** Resolve this version (1 is the created document). */
  readonly versionId?: number;
  /** Resolve the version in force at this time (ms since the epoch). */
  readonly versionTime?: bigint;
  /** Resolve the version in force after block `atHeight` (what a verifier dating a proof by its anchor asks). */
  readonly atHeight?: bigint;
}

/** What `did/resolve` answers: the chosen version of the document, with its metadata (times in ms). */
export const DidStateSchema = Type.Object({
  did: Type.String(),
  versionId: Type.Integer({ minimum: 1 }),
  /** The version's block and transaction. */
  height: Type.String({ pattern: '^[0-9]{1,20}$' }),
  txHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  created: Type.String({ pattern: '^[0-9]{1,20}$' }),
  /** When this version was written, for versions after the first. */
  updated: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })),
  /** The DID is deactivated (now, whichever version was asked for). */
  deactivated: Type.Boolean(),
  nextVersionId: Type.Optional(Type.Integer({ minimum: 2 })),
  nextUpdate: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })),
  registrar: Type.String(),
  document: Type.Unsafe<DidDocument>(Type.Object({ id: Type.String() }, { additionalProperties: true })),
});
export interface DidState {
  did: string;
  versionId: number;
  height: string;
  txHash: string;
  created: string;
  updated?: string;
  deactivated: boolean;
  nextVersionId?: number;
  nextUpdate?: string;
  registrar: string;
  document: DidDocument;
}

const readVersion = (read: DidRead, uniqueId: string, version: number): DidVersion => {
  const bytes = read(versionKey(uniqueId, version));
  if (!bytes) throw new Error(`version ${version} of ${uniqueId} is missing`);
  return decode(DidVersion, bytes);
};

/** The last version for which `inForce(version)` holds, by binary search (versions are in block order); 0 if none. */
function lastVersionWhere(
  read: DidRead,
  uniqueId: string,
  latest: number,
  inForce: (v: DidVersion) => boolean,
): number {
  let lo = 0;
  let hi = latest;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (inForce(readVersion(read, uniqueId, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The state of `did` (whose unique id is `uniqueId`) as `options` asks, from the module's
 * state: undefined when there is no such DID, version or time. A pure function of the
 * reads, so a client rebuilds the same answer from proven reads.
 */
export function resolveDidState(
  read: DidRead,
  did: string,
  uniqueId: string,
  options: ResolveOptions = {},
): DidState | undefined {
  const headBytes = read(headKey(uniqueId));
  if (!headBytes) return undefined;
  const head = decode(DidHead, headBytes);
  let chosen = head.version;
  if (options.versionId !== undefined) {
    if (options.versionId < 1 || options.versionId > head.version) return undefined;
    chosen = options.versionId;
  } else if (options.versionTime !== undefined) {
    // By whole seconds, the precision of the metadata's XML datetimes: asking for the
    // `created` or `updated` a resolver reported finds that version.
    const second = options.versionTime / 1000n;
    chosen = lastVersionWhere(read, uniqueId, head.version, (v) => v.time / 1000n <= second);
    if (chosen === 0) return undefined;
  } else if (options.atHeight !== undefined) {
    const height = options.atHeight;
    chosen = lastVersionWhere(read, uniqueId, head.version, (v) => v.height <= height);
    if (chosen === 0) return undefined;
  }
  const version = readVersion(read, uniqueId, chosen);
  const created = chosen === 1 ? version : readVersion(read, uniqueId, 1);
  const next = chosen < head.version ? readVersion(read, uniqueId, chosen + 1) : undefined;
  return {
    did,
    versionId: chosen,
    height: String(version.height),
    txHash: bytesToHex(version.txHash),
    created: String(created.time),
    ...(chosen > 1 ? { updated: String(version.time) } : {}),
    deactivated: head.deactivated,
    ...(next ? { nextVersionId: next.version, nextUpdate: String(next.time) } : {}),
    registrar: head.registrar,
    document: renderDocument(did, version.document),
  };
}

/** Milliseconds since the epoch as an XML datetime in UTC, to the second (DID Resolution's form). */
export function xmlDateTime(ms: string): string {
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}Z`;
}

export const RESOLUTION_MEDIA_TYPE = 'application/ld+json;profile="https://w3id.org/did-resolution"';
export const DID_LD_JSON = 'application/did+ld+json';
export const DID_JSON = 'application/did+json';

/** A DID Resolution result (W3C DID Resolution) for a resolved state. */
export function resolutionResult(state: DidState, contentType = DID_LD_JSON, proof?: unknown) {
  const { document } = state;
  return {
    '@context': 'https://w3id.org/did-resolution/v1',
    didDocument: contentType === DID_JSON ? withoutContext(document) : document,
    didDocumentMetadata: {
      created: xmlDateTime(state.created),
      ...(state.updated ? { updated: xmlDateTime(state.updated) } : {}),
      versionId: String(state.versionId),
      ...(state.nextVersionId ? { nextVersionId: String(state.nextVersionId) } : {}),
      ...(state.nextUpdate ? { nextUpdate: xmlDateTime(state.nextUpdate) } : {}),
      deactivated: state.deactivated,
    },
    didResolutionMetadata: { contentType, ...(proof === undefined ? {} : { proof }) },
  };
}

function withoutContext(document: DidDocument): Omit<DidDocument, '@context'> {
  const { '@context': _context, ...rest } = document;
  return rest;
}

/** A DID Resolution error result. */
export function resolutionError(error: string, message: string) {
  return {
    '@context': 'https://w3id.org/did-resolution/v1',
    didDocument: null,
    didDocumentMetadata: {},
    didResolutionMetadata: { error, errorMessage: message },
  };
}
