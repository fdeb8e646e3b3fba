// Credentials from an application: verification that trusts no node, status lists, accreditation.
import { decode } from '@pujiang/codec';
import {
  type ChainClient,
  dateArgument,
  encodePayload,
  listArgument,
  objectArgument,
  type SendTransactionReturnType,
  sdkError,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, invalidArgument } from '@pujiang/types';
import {
  Accredit,
  type AccreditationJson,
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
import { parsePujiangDid } from '../did-syntax.js';
import type { DidDocument } from '../document.js';
import { DID_MODULE, IssuanceAnchor, issuedKey, issuedStateKey } from '../formats.js';
import {
  CreateStatusList,
  MIN_STATUS_LIST_BITS,
  readStatusEntry,
  SetStatus,
  STATUS_LIST_ID,
  type StatusEntryState,
  type StatusPurpose,
  statusListStateKey,
} from '../status-formats.js';

import { type DidSendParameters, resolveDidVerified } from './dids.js';

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
  objectArgument(light, 'light');
  objectArgument(options, 'options');
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
 * The chain as one node answers it, trusted (no proofs): for a service that runs beside its
 * own organization's node (an agency's data service), where the latest state matters more
 * than independence from the node: a revocation counts from the block it lands in.
 */
export function trustedChainLookup(client: ChainClient): ChainLookup {
  objectArgument(client, 'client');
  const query = async (name: string, params: Record<string, string>) =>
    (await client.query(DID_MODULE, name, params)).result as Record<string, unknown>;
  // Only DIDs of the node's own chain resolve here (another namespace does not exist on it).
  let chainId: Promise<string> | undefined;
  return {
    resolve: async (did, o) => {
      chainId ??= client.getStatus().then((st) => st.chainId);
      if (parsePujiangDid(did)?.namespace !== (await chainId)) return undefined;
      const { state } = (await query('resolve', {
        did,
        ...(o?.atHeight === undefined ? {} : { atHeight: String(o.atHeight) }),
      })) as { state: { deactivated: boolean; document: DidDocument } | null };
      return state && !state.deactivated ? state.document : undefined;
    },
    issuance: async (digest) => {
      const { anchor } = (await query('issuance', { digest })) as {
        anchor: { height: string; time: string } | null;
      };
      return anchor ? { height: BigInt(anchor.height), time: BigInt(anchor.time) } : undefined;
    },
    statusEntry: async (list, index) =>
      ((await query('statusEntry', { list, index: String(index) })) as { entry: StatusEntryState | null })
        .entry ?? undefined,
    accreditationsOf: async (subject) =>
      ((await query('accreditations', { subject })) as { accreditations: AccreditationJson[] })
        .accreditations,
    trustRoots: async () =>
      ((await query('trustRoots', {})) as { roots: { jurisdiction: string; root: string }[] }).roots,
  };
}

/** Verifies a credential against one node's answers, trusted (see `trustedChainLookup`). */
export function verifyCredentialWithNode(
  client: ChainClient,
  credential: unknown,
  options: { now?: Date; contexts?: ReadonlyMap<string, object> } = {},
): Promise<VerificationReport> {
  objectArgument(options, 'options');
  objectArgument(credential as object, 'credential');
  const chain = trustedChainLookup(client);
  return verifyCredential(credential, {
    contexts: options.contexts ?? BUNDLED_CONTEXTS,
    resolver: didResolver({ chain }),
    chain,
    ...(options.now ? { now: options.now } : {}),
  });
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
  objectArgument(options, 'options');
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
  if (typeof objectArgument(p, 'parameters').list !== 'string' || !STATUS_LIST_ID.test(p.list))
    throw sdkError('SDK_INVALID_ARGUMENT', 'a list id is 1-64 of [a-z0-9-]', { parameter: 'list' });
  const payload = encodePayload(CreateStatusList, {
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
  const entries = objectArgument(objectArgument(p, 'parameters').credential, 'credential').credentialStatus;
  if (typeof p.value !== 'boolean') throw invalidArgument('value must be true or false', 'value');
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
      { parameter: 'credential', lists: [...byList.keys()] },
    );
  const [[list, updates]] = [...byList] as [[string, { index: number; value: boolean }[]]];
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'setStatus',
    payload: encodePayload(SetStatus, { list, updates }),
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
  const payload = encodePayload(Accredit, {
    accreditor: objectArgument(p, 'parameters').accreditor,
    subject: p.subject,
    role: p.role,
    credentialTypes: listArgument(p.credentialTypes, 'credentialTypes'),
    jurisdictions: listArgument(p.jurisdictions, 'jurisdictions'),
    validFrom: BigInt(p.validFrom === undefined ? 0 : dateArgument(p.validFrom, 'validFrom').getTime()),
    validUntil: p.validUntil === undefined ? 0n : BigInt(dateArgument(p.validUntil, 'validUntil').getTime()),
  });
  return client.sendTransaction({ ...p, module: DID_MODULE, type: 'accredit', payload });
}

/** Withdraws an accreditation (its id: the hash of the transaction that made it). */
export function withdrawAccreditation(
  client: ChainClient,
  p: DidSendParameters & { id: string },
): Promise<SendTransactionReturnType> {
  if (typeof objectArgument(p, 'parameters').id !== 'string' || !/^[0-9a-f]{64}$/.test(p.id))
    throw sdkError('SDK_INVALID_ARGUMENT', 'id is a transaction hash', { parameter: 'id' });
  return client.sendTransaction({
    ...p,
    module: DID_MODULE,
    type: 'withdrawAccreditation',
    payload: encodePayload(WithdrawAccreditation, { id: hexToBytes(p.id) }),
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
      value: encodePayload(
        TrustRoots,
        listArgument(roots, 'roots').map((r, i) => ({ ...objectArgument(r, `roots[${i}]`) })),
      ),
    },
  };
}
