import { invalidArgument } from '@pujiang/types';
import type { AccreditationJson } from '../accreditation-formats.js';
import { didMethodOf, parsePujiangDid, splitDidUrl } from '../did-syntax.js';
import type { DidDocument } from '../document.js';
import { fromJwk, fromMultibase, toMultibase } from '../keys.js';
import type { StatusEntryState } from '../status-formats.js';
import { CredentialError } from './errors.js';

/** Finds DID documents for verification; undefined when the DID does not exist. */
export interface DidResolver {
  resolve(did: string, options?: { atHeight?: bigint }): Promise<DidDocument | undefined>;
}

/** The time and block a credential proof's digest was first anchored (did/issuance). */
export interface IssuanceRecord {
  readonly height: bigint;
  readonly time: bigint;
}

/** What verification asks of the chain for did:pujiang issuers (the SDK answers with proofs; the node from its state). */
export interface ChainLookup {
  resolve(did: string, options?: { atHeight?: bigint }): Promise<DidDocument | undefined>;
  issuance(digestHex: string): Promise<IssuanceRecord | undefined>;
  /** One entry of a status list kept on the chain. */
  statusEntry?(list: string, index: number): Promise<StatusEntryState | undefined>;
  /** A DID's accreditations, and the roots the consortium recognises. */
  accreditationsOf?(subject: string): Promise<readonly AccreditationJson[]>;
  trustRoots?(): Promise<readonly { readonly jurisdiction: string; readonly root: string }[]>;
}

/** did:key documents already made: decoding and checking the key (a curve point) is most of the cost. */
const didKeyCache = new Map<string, DidDocument>();
const DID_KEY_CACHE_SIZE = 1024;

/** A did:key DID's document (the key is the identifier): resolved offline. */
export function didKeyDocument(did: string): DidDocument {
  if (typeof did !== 'string' || !did.startsWith('did:key:'))
    throw invalidArgument('did must be a did:key DID', 'did');
  const cached = didKeyCache.get(did);
  if (cached) return structuredClone(cached);
  const document = makeDidKeyDocument(did);
  if (didKeyCache.size >= DID_KEY_CACHE_SIZE) didKeyCache.delete(didKeyCache.keys().next().value!);
  didKeyCache.set(did, document);
  return structuredClone(document);
}

function makeDidKeyDocument(did: string): DidDocument {
  const multibase = did.slice('did:key:'.length);
  const key = fromMultibase(multibase);
  const id = `${did}#${multibase}`;
  const agreement = key.algorithm === 'X25519';
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: toMultibase(key) }],
    ...(agreement
      ? { keyAgreement: [id] }
      : {
          authentication: [id],
          assertionMethod: [id],
          capabilityInvocation: [id],
          capabilityDelegation: [id],
        }),
  };
}

/** did:web's document URL (W3C did:web): `did:web:example.com:user` is `https://example.com/user/did.json`. */
export function didWebUrl(did: string): string {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  if (!host || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) throw new Error(`${did} names no host`);
  return path.length === 0
    ? `https://${host}/.well-known/did.json`
    : `https://${host}/${path.join('/')}/did.json`;
}

/**
 * A resolver for did:key (offline), did:web (through `fetchJson`, which the caller supplies:
 * nothing here reaches the network by itself) and did:pujiang (through `chain`).
 */
export function didResolver(o: {
  chain?: Pick<ChainLookup, 'resolve'>;
  fetchJson?: (url: string) => Promise<unknown>;
}): DidResolver {
  return {
    async resolve(did, options) {
      const method = didMethodOf(did);
      if (method === 'key') return didKeyDocument(did);
      if (method === 'pujiang' && parsePujiangDid(did) && o.chain) return o.chain.resolve(did, options);
      if (method === 'web' && o.fetchJson) {
        const document = (await o.fetchJson(didWebUrl(did))) as DidDocument;
        if (document?.id !== did)
          throw new Error(`the did:web document names ${String(document?.id)}, not ${did}`);
        return document;
      }
      throw new CredentialError(
        'VC_UNRESOLVABLE',
        'verificationMethod',
        `cannot resolve ${did}: no resolver for did:${method}`,
        { did },
      );
    },
  };
}

/** A DID document's verification method `url`, as Multikey (a JsonWebKey method is the same key). */
export function methodOf(document: DidDocument, url: string): Record<string, unknown> | undefined {
  const { did, fragment } = splitDidUrl(url);
  const method = document.verificationMethod?.find(
    (m) => m.id === url || m.id === `#${fragment}` || m.id === `${did}#${fragment}`,
  );
  if (!method) return undefined;
  const key =
    method.publicKeyMultibase !== undefined
      ? fromMultibase(method.publicKeyMultibase)
      : fromJwk(method.publicKeyJwk);
  return {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: url,
    type: 'Multikey',
    controller: method.controller,
    publicKeyMultibase: toMultibase(key),
  };
}
