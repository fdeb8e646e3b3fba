// DIDs from an application: create, update, deactivate, resolve (verified or not), anchor.
import {
  type ChainClient,
  encodePayload,
  heightArgument,
  listArgument,
  objectArgument,
  type QueryProvenOptions,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  sdkError,
  stringArgument,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import { hexToBytes, isPujiangError } from '@pujiang/types';
import { didOf, parsePujiangDid } from '../did-syntax.js';
import { checkDocument, type DidDocument, partsFromDocument } from '../document.js';
import {
  AnchorIssuance,
  CreateDid,
  DeactivateDid,
  DID_MODULE,
  type DocumentParts,
  UpdateDid,
} from '../formats.js';
import type { DidState, ResolveOptions } from '../resolution.js';
import { ResolveQuery } from '../schemas.js';
import { didStateFromReads } from '../verify/index.js';

export type DidSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

/** A document as the module's parts, or as DID document JSON (methods referenced by `#fragment`). */
export type DocumentInput = DocumentParts | DidDocument | Record<string, unknown>;

function partsOf(document: DocumentInput, did?: string): DocumentParts {
  objectArgument(document, 'document');
  const parts =
    'methods' in document && Array.isArray(document.methods)
      ? (document as DocumentParts)
      : partsFromDocument(document, did);
  try {
    checkDocument(parts);
  } catch (error) {
    if (isPujiangError(error))
      throw sdkError('SDK_INVALID_ARGUMENT', error.message, { cause: error.code, ...error.details });
    throw error;
  }
  return parts;
}

function pujiangDid(did: string) {
  const parsed = parsePujiangDid(stringArgument(did, 'did'));
  if (!parsed)
    throw sdkError('SDK_INVALID_ARGUMENT', `${did} is not a did:pujiang DID`, { parameter: 'did' });
  return parsed;
}

function optionsParams(
  did: string,
  options: ResolveOptions,
): { did: string; versionId?: number; versionTime?: string } {
  objectArgument(options, 'options');
  if (options.versionId !== undefined) heightArgument(options.versionId, 'versionId');
  return {
    did,
    ...(options.versionId === undefined ? {} : { versionId: options.versionId }),
    ...(options.versionTime === undefined ? {} : { versionTime: String(options.versionTime) }),
  };
}

/** Creates a DID (`did/create`); the DID is known once the transaction is signed. */
export async function createDid(
  client: ChainClient,
  p: DidSendParameters & { document: DocumentInput },
): Promise<SendTransactionReturnType & { did: string }> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(CreateDid, { document: partsOf(p.document) });
  const sent = await client.sendTransaction({ ...p, module: DID_MODULE, type: 'create', payload });
  return { ...sent, did: didOf(sent.built.tx.body.chainId, hexToBytes(sent.hash)) };
}

/** The version a change must name: the caller's, or the current one from the node. */
async function versionOf(client: ChainClient, did: string, version: number | undefined): Promise<number> {
  if (version !== undefined) return heightArgument(version, 'version');
  const state = await resolveDid(client, did);
  if (!state) throw sdkError('SDK_INVALID_ARGUMENT', `${did} was not found`, { parameter: 'did' });
  return state.versionId;
}

/** Replaces a DID's document (`did/update`), naming the version it replaces (default: the current one). */
export async function updateDid(
  client: ChainClient,
  p: DidSendParameters & { did: string; document: DocumentInput; version?: number },
): Promise<SendTransactionReturnType> {
  pujiangDid(objectArgument(p, 'parameters').did);
  const document = partsOf(p.document, p.did);
  const version = await versionOf(client, p.did, p.version);
  const payload = encodePayload(UpdateDid, { did: p.did, version, document });
  return client.sendTransaction({ ...p, module: DID_MODULE, type: 'update', payload });
}

/** Deactivates a DID for good (`did/deactivate`). */
export async function deactivateDid(
  client: ChainClient,
  p: DidSendParameters & { did: string; version?: number },
): Promise<SendTransactionReturnType> {
  pujiangDid(objectArgument(p, 'parameters').did);
  const version = await versionOf(client, p.did, p.version);
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'deactivate',
    payload: encodePayload(DeactivateDid, { did: p.did, version }),
  });
}

/** Records when credential proofs existed (`did/anchor`): digests of their `proofValue`s, up to 256. */
export function anchorIssuance(
  client: ChainClient,
  p: DidSendParameters & { digests: readonly Uint8Array[] },
): Promise<SendTransactionReturnType> {
  const digests = listArgument(objectArgument(p, 'parameters').digests, 'digests');
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'anchor',
    payload: encodePayload(AnchorIssuance, { digests }),
  });
}

/** A DID's state as the node says (unverified); undefined when it does not exist. */
export async function resolveDid(
  client: ChainClient,
  did: string,
  options: ResolveOptions = {},
): Promise<DidState | undefined> {
  pujiangDid(did);
  const { result } = await queryTyped(client, ResolveQuery, optionsParams(did, options));
  return (result.state as DidState | null) ?? undefined;
}

/** What `resolveDidVerified` needs: the SDK's `LightClient` has it. */
export type { VerifiedQuerier } from '@pujiang/module-kit';

/**
 * A DID's state rebuilt from state proven under a certified header (undefined: proven
 * absent). The node is trusted for nothing but availability.
 */
export async function resolveDidVerified(
  light: VerifiedQuerier,
  did: string,
  options: ResolveOptions & QueryProvenOptions = {},
): Promise<DidState | undefined> {
  pujiangDid(did);
  const { versionId, versionTime, atHeight, ...request } = objectArgument(options, 'options');
  const resolve: ResolveOptions = {
    ...(versionId === undefined ? {} : { versionId }),
    ...(versionTime === undefined ? {} : { versionTime }),
    ...(atHeight === undefined ? {} : { atHeight }),
  };
  const params = Object.fromEntries(
    Object.entries(optionsParams(did, resolve)).map(([k, v]) => [k, String(v)]),
  );
  const verified = await light.verifiedQuery(DID_MODULE, 'resolve', params, [], request);
  return didStateFromReads(verified, did, resolve);
}
