// `@pujiang/module-did/client`: DIDs from an application (the SDK re-exports it, with the
// formats an application needs to write documents).

export { BUNDLED_CONTEXTS, contextRegistry } from '../credentials/contexts.js';
export type { JsonObject } from '../credentials/data-model.js';
export { CredentialError } from '../credentials/errors.js';
export { issueCredential } from '../credentials/issue.js';
export { documentLoader } from '../credentials/loader.js';
export { presentCredentials, verifyPresentation } from '../credentials/presentations.js';
export type { ChainLookup, DidResolver } from '../credentials/resolvers.js';
export { didKeyDocument, didResolver } from '../credentials/resolvers.js';
export type { JwsKey } from '../credentials/sd-jwt.js';
export {
  issueSdJwtVc,
  presentSdJwtVc,
  publicJwk,
  sdJwtDigest,
  verifySdJwtVc,
} from '../credentials/sd-jwt.js';
export type { IssuerKey } from '../credentials/signers.js';
export type { VerificationReport } from '../credentials/verify.js';
export { proofDigest, verifyCredential } from '../credentials/verify.js';
export { didOf, parsePujiangDid } from '../did-syntax.js';
export type { DidDocument } from '../document.js';
export { partsFromDocument, renderDocument, singleKeyDocument } from '../document.js';
export type { DidKey } from '../keys.js';
export { didKeyOfChainKey, fromJwk, fromMultibase, toJwk, toMultibase } from '../keys.js';
export type { DidState, ResolveOptions } from '../resolution.js';

import { decode, encode } from '@pujiang/codec';
import {
  type ChainClient,
  type QueryProvenOptions,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  sdkError,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import {
  Accredit,
  type AccreditationRole,
  readAccreditations,
  readTrustRoots,
  TRUST_ROOTS_PARAM,
  TrustRoots,
  trustRootsStateKey,
  WithdrawAccreditation,
} from '../accreditation-formats.js';
import { BUNDLED_CONTEXTS } from '../credentials/contexts.js';
import { type ChainLookup, didResolver } from '../credentials/resolvers.js';
import { type VerificationReport, verifyCredential } from '../credentials/verify.js';
import { didOf, parsePujiangDid } from '../did-syntax.js';
import { checkDocument, type DidDocument, partsFromDocument } from '../document.js';
import {
  AnchorIssuance,
  CreateDid,
  DeactivateDid,
  DID_MODULE,
  type DocumentParts,
  IssuanceAnchor,
  issuedKey,
  issuedStateKey,
  UpdateDid,
} from '../formats.js';
import type { DidState, ResolveOptions } from '../resolution.js';
import { ResolveQuery } from '../schemas.js';
import {
  CreateStatusList,
  MIN_STATUS_LIST_BITS,
  readStatusEntry,
  SetStatus,
  STATUS_LIST_ID,
  type StatusPurpose,
  statusListStateKey,
} from '../status-formats.js';
import { didStateFromReads } from '../verify/index.js';

export type DidSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

/** A document as the module's parts, or as DID document JSON (methods referenced by `#fragment`). */
export type DocumentInput = DocumentParts | DidDocument | Record<string, unknown>;

function partsOf(document: DocumentInput, did?: string): DocumentParts {
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
  const parsed = parsePujiangDid(did);
  if (!parsed)
    throw sdkError('SDK_INVALID_ARGUMENT', `${did} is not a did:pujiang DID`, { parameter: 'did' });
  return parsed;
}

function optionsParams(
  did: string,
  options: ResolveOptions,
): { did: string; versionId?: number; versionTime?: string } {
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
  const payload = encode(CreateDid, { document: partsOf(p.document) });
  const sent = await client.sendTransaction({ ...p, module: DID_MODULE, type: 'create', payload });
  return { ...sent, did: didOf(sent.built.tx.body.chainId, hexToBytes(sent.hash)) };
}

/** The version a change must name: the caller's, or the current one from the node. */
async function versionOf(client: ChainClient, did: string, version: number | undefined): Promise<number> {
  if (version !== undefined) return version;
  const state = await resolveDid(client, did);
  if (!state) throw sdkError('SDK_INVALID_ARGUMENT', `${did} was not found`, { parameter: 'did' });
  return state.versionId;
}

/** Replaces a DID's document (`did/update`), naming the version it replaces (default: the current one). */
export async function updateDid(
  client: ChainClient,
  p: DidSendParameters & { did: string; document: DocumentInput; version?: number },
): Promise<SendTransactionReturnType> {
  pujiangDid(p.did);
  const version = await versionOf(client, p.did, p.version);
  const payload = encode(UpdateDid, { did: p.did, version, document: partsOf(p.document, p.did) });
  return client.sendTransaction({ ...p, module: DID_MODULE, type: 'update', payload });
}

/** Deactivates a DID for good (`did/deactivate`). */
export async function deactivateDid(
  client: ChainClient,
  p: DidSendParameters & { did: string; version?: number },
): Promise<SendTransactionReturnType> {
  pujiangDid(p.did);
  const version = await versionOf(client, p.did, p.version);
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'deactivate',
    payload: encode(DeactivateDid, { did: p.did, version }),
  });
}

/** Records when credential proofs existed (`did/anchor`): digests of their `proofValue`s, up to 256. */
export function anchorIssuance(
  client: ChainClient,
  p: DidSendParameters & { digests: readonly Uint8Array[] },
): Promise<SendTransactionReturnType> {
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'anchor',
    payload: encode(AnchorIssuance, { digests: [...p.digests] }),
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
  const { versionId, versionTime, atHeight, ...request } = options;
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

/** Module-relative reads answered only from proven ones (a key the node did not prove fails). */
function provenRead(verified: { readonly reads: ReadonlyMap<string, Uint8Array | undefined> }) {
  return (key: string) => {
    const stateKey = bytesToHex(moduleKey(DID_MODULE, key));
    if (!verified.reads.has(stateKey))
      throw sdkError('SDK_VERIFICATION_FAILED', 'the node did not prove a read the answer depends on', {
        key: stateKey,
      });
    return verified.reads.get(stateKey);
  };
}

/** How stale the chain a verifier sees may be (the latest certified header's age) before it refuses. */
export const MAX_HEADER_AGE_MS = 10 * 60_000;

/**
 * The chain as a verifier that trusts no node sees it: DID versions, issuance anchors, status
 * bits, accreditations and recognised roots rebuilt from state proven under one certified
 * header, pinned at the first lookup (so a node cannot answer one question from one height and
 * the next from another), which must be recent (`maxAgeMs`), and whose chain id names the
 * DIDs it resolves (another namespace does not exist here).
 */
export function verifiedChainLookup(
  light: VerifiedQuerier,
  options: { maxAgeMs?: number } = {},
): ChainLookup {
  let pinned: Promise<{ height: number; chainId: string }> | undefined;
  const pin = () => {
    pinned ??= light.getVerifiedLatestHeader().then((h) => {
      const age = Date.now() - Number(h.header.time);
      if (age > (options.maxAgeMs ?? MAX_HEADER_AGE_MS))
        throw sdkError(
          'SDK_VERIFICATION_FAILED',
          `the latest certified header is ${Math.round(age / 1000)} s old`,
          {
            check: 'freshness',
            height: h.height,
          },
        );
      return { height: h.height, chainId: h.header.chainId };
    });
    return pinned;
  };
  const query = async (name: string, params: Record<string, string>, required: Uint8Array[] = []) => {
    const { height } = await pin();
    return provenRead(await light.verifiedQuery(DID_MODULE, name, params, required, { height }));
  };
  return {
    resolve: async (did, o) => {
      const { height, chainId } = await pin();
      if (parsePujiangDid(did)?.namespace !== chainId) return undefined;
      const state = await resolveDidVerified(light, did, {
        ...(o?.atHeight === undefined ? {} : { atHeight: o.atHeight }),
        height,
      });
      return state && !state.deactivated ? state.document : undefined;
    },
    issuance: async (digest) => {
      const bytes = (await query('issuance', { digest }, [issuedStateKey(digest)]))(issuedKey(digest));
      if (!bytes) return undefined;
      const record = decode(IssuanceAnchor, bytes);
      return { height: record.height, time: record.time };
    },
    statusEntry: async (list, index) =>
      readStatusEntry(
        await query('statusEntry', { list, index: String(index) }, [statusListStateKey(list)]),
        list,
        index,
      ),
    accreditationsOf: async (subject) =>
      readAccreditations(await query('accreditations', { subject }), subject),
    trustRoots: async () => readTrustRoots(await query('trustRoots', {}, [trustRootsStateKey()])),
  };
}

/**
 * Verifies a credential against the chain without trusting the node: did:pujiang issuers'
 * documents and anchors come from proven state (did:key resolves offline; did:web through
 * `fetchJson`, if given). The report names each check.
 */
export function verifyCredentialVerified(
  light: VerifiedQuerier,
  credential: unknown,
  options: {
    fetchJson?: (url: string) => Promise<unknown>;
    now?: Date;
    contexts?: ReadonlyMap<string, object>;
  } = {},
): Promise<VerificationReport> {
  const chain = verifiedChainLookup(light);
  return verifyCredential(credential, {
    contexts: options.contexts ?? BUNDLED_CONTEXTS,
    resolver: didResolver({ chain, ...(options.fetchJson ? { fetchJson: options.fetchJson } : {}) }),
    chain,
    ...(options.now ? { now: options.now } : {}),
  });
}

/** Creates a status list owned by `issuer` (`did/createStatusList`): the sender must control the issuer's DID. */
export function createStatusList(
  client: ChainClient,
  p: DidSendParameters & { list: string; issuer: string; purpose: StatusPurpose; size?: number },
): Promise<SendTransactionReturnType> {
  if (!STATUS_LIST_ID.test(p.list))
    throw sdkError('SDK_INVALID_ARGUMENT', 'a list id is 1-64 of [a-z0-9-]', { parameter: 'list' });
  const payload = encode(CreateStatusList, {
    list: p.list,
    issuer: p.issuer,
    purpose: p.purpose,
    size: p.size ?? MIN_STATUS_LIST_BITS,
  });
  return client.sendTransaction({ ...p, module: DID_MODULE, type: 'createStatusList', payload });
}

/**
 * Sets the status bits a credential's `credentialStatus` entries name (of lists on this
 * chain), with a key that controls the issuer's DID: `true` revokes or suspends, `false`
 * reinstates.
 */
export function setCredentialStatus(
  client: ChainClient,
  p: DidSendParameters & {
    credential: { credentialStatus?: unknown };
    value: boolean;
    purpose?: StatusPurpose;
  },
): Promise<SendTransactionReturnType> {
  const entries = p.credential.credentialStatus;
  const byList = new Map<string, { index: number; value: boolean }[]>();
  for (const e of (Array.isArray(entries) ? entries : entries === undefined ? [] : [entries]) as Record<
    string,
    unknown
  >[]) {
    if (p.purpose !== undefined && e.statusPurpose !== p.purpose) continue;
    const list = /\/credentials\/status\/([a-z0-9][a-z0-9-]{0,63})$/.exec(
      String(e.statusListCredential),
    )?.[1];
    const index = /^(0|[1-9][0-9]{0,8})$/.test(String(e.statusListIndex))
      ? Number(e.statusListIndex)
      : undefined;
    if (!list || index === undefined) continue;
    byList.set(list, [...(byList.get(list) ?? []), { index, value: p.value }]);
  }
  if (byList.size !== 1)
    throw sdkError(
      'SDK_INVALID_ARGUMENT',
      'the credential must name exactly one status list of this chain for that purpose',
      {
        lists: [...byList.keys()],
      },
    );
  const [[list, updates]] = [...byList] as [[string, { index: number; value: boolean }[]]];
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'setStatus',
    payload: encode(SetStatus, { list, updates }),
  });
}

/** Accredits `subject` for credential types and jurisdictions (`did/accredit`), as `accreditor` (a DID the key controls). */
export function accredit(
  client: ChainClient,
  p: DidSendParameters & {
    accreditor: string;
    subject: string;
    role: AccreditationRole;
    credentialTypes: readonly string[];
    jurisdictions: readonly string[];
    validFrom?: Date;
    validUntil?: Date;
  },
): Promise<SendTransactionReturnType> {
  const payload = encode(Accredit, {
    accreditor: p.accreditor,
    subject: p.subject,
    role: p.role,
    credentialTypes: [...p.credentialTypes],
    jurisdictions: [...p.jurisdictions],
    validFrom: BigInt((p.validFrom ?? new Date(0)).getTime()),
    validUntil: p.validUntil ? BigInt(p.validUntil.getTime()) : 0n,
  });
  return client.sendTransaction({ ...p, module: DID_MODULE, type: 'accredit', payload });
}

/** Withdraws an accreditation (its id: the hash of the transaction that made it). */
export function withdrawAccreditation(
  client: ChainClient,
  p: DidSendParameters & { id: string },
): Promise<SendTransactionReturnType> {
  if (!/^[0-9a-f]{64}$/.test(p.id))
    throw sdkError('SDK_INVALID_ARGUMENT', 'id is a transaction hash', { parameter: 'id' });
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'withdrawAccreditation',
    payload: encode(WithdrawAccreditation, { id: hexToBytes(p.id) }),
  });
}

/**
 * The governance action that recognises these jurisdictions' root authorities (it replaces the
 * whole list: withdrawing one is proposing the list without it). Submit it with governance's
 * `submitProposal`.
 */
export function trustRootsAction(roots: readonly { jurisdiction: string; root: string }[]) {
  return {
    type: 'setModuleParam' as const,
    value: {
      module: DID_MODULE,
      name: TRUST_ROOTS_PARAM,
      value: encode(
        TrustRoots,
        roots.map((r) => ({ ...r })),
      ),
    },
  };
}
