import { invalidArgument, moduleError } from '@pujiang/module-kit';
import { FRAGMENT, isDid, splitDidUrl } from './did-syntax.js';
import {
  DID_LIMITS,
  type DocumentParts,
  METHOD_TYPES,
  type MethodType,
  RELATIONSHIPS,
  type Relationship,
  type ServiceParts,
  type VerificationMethodParts,
} from './formats.js';
import {
  ALGORITHMS,
  checkDidKey,
  checkKey,
  type DidKey,
  fromJwk,
  fromMultibase,
  toJwk,
  toMultibase,
} from './keys.js';

/** A DID document as JSON (W3C DID 1.0), as the module renders it. */
export interface DidDocument {
  '@context': string[];
  id: string;
  controller?: string[];
  verificationMethod?: VerificationMethodJson[];
  authentication?: string[];
  assertionMethod?: string[];
  keyAgreement?: string[];
  capabilityInvocation?: string[];
  capabilityDelegation?: string[];
  service?: { id: string; type: string; serviceEndpoint: string }[];
}

export interface VerificationMethodJson {
  id: string;
  type: MethodType;
  controller: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: Record<string, string>;
}

export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
export const JWK_CONTEXT = 'https://w3id.org/security/jwk/v1';

const bad = (message: string, details: Record<string, unknown> = {}) =>
  moduleError('DID_BAD_DOCUMENT', message, details);

const SERVICE_TYPE = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

function checkEndpoint(endpoint: string): void {
  if (endpoint.startsWith('did:') && isDid(splitDidUrl(endpoint).did)) return;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw bad('a service endpoint must be an https: URL or a DID URL', { endpoint });
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '')
    throw bad('a service endpoint must be an https: URL (without credentials) or a DID URL', { endpoint });
}

/**
 * Throws `DID_BAD_DOCUMENT` (or `DID_BAD_KEY`) unless the parts make a well-formed document:
 * fragments unique and well-formed, every relationship naming one of its methods, keys valid
 * for their algorithm, X25519 only for key agreement and signing keys only elsewhere,
 * controllers DIDs, service endpoints https: or DID URLs.
 */
export function checkDocument(parts: DocumentParts): void {
  if (
    typeof parts !== 'object' ||
    parts === null ||
    !Array.isArray(parts.controllers) ||
    !Array.isArray(parts.methods)
  )
    throw bad('document parts are { controllers, methods, ... } lists');
  const fragments = new Set<string>();
  const claim = (fragment: string, what: string) => {
    if (!FRAGMENT.test(fragment)) throw bad(`${what} fragment must be 1-64 of [A-Za-z0-9._-]`, { fragment });
    if (fragments.has(fragment)) throw bad(`fragment #${fragment} is used twice`, { fragment });
    fragments.add(fragment);
  };
  if (new Set(parts.controllers).size !== parts.controllers.length) throw bad('a controller is listed twice');
  for (const controller of parts.controllers)
    if (!isDid(controller)) throw bad('a controller must be a DID', { controller });
  const methods = new Map<string, VerificationMethodParts>();
  for (const method of parts.methods) {
    claim(method.fragment, 'a verification method');
    if (method.controller !== '' && !isDid(method.controller))
      throw bad('a verification method controller must be a DID', { fragment: method.fragment });
    checkKey(method.algorithm, method.key);
    methods.set(method.fragment, method);
  }
  for (const relationship of RELATIONSHIPS) {
    const refs = parts[relationship];
    if (new Set(refs).size !== refs.length)
      throw bad(`${relationship} names a method twice`, { relationship });
    for (const fragment of refs) {
      const method = methods.get(fragment);
      if (!method)
        throw bad(`${relationship} names #${fragment}, which is not a method of the document`, { fragment });
      const agreement = ALGORITHMS[method.algorithm].agreement;
      if (agreement !== (relationship === 'keyAgreement'))
        throw bad(
          relationship === 'keyAgreement'
            ? 'keyAgreement takes X25519 keys only'
            : `${relationship} takes signing keys only, not ${method.algorithm}`,
          { relationship, fragment },
        );
    }
  }
  for (const service of parts.services) {
    claim(service.fragment, 'a service');
    if (!SERVICE_TYPE.test(service.type))
      throw bad('a service type must be a word of up to 64 characters', { type: service.type });
    checkEndpoint(service.endpoint);
  }
}

/** The document's JSON: the same parts always render the same JSON, key for key. */
export function renderDocument(did: string, parts: DocumentParts): DidDocument {
  if (typeof did !== 'string' || !isDid(did)) throw invalidArgument('did must be a DID', 'did');
  checkDocument(parts);
  const ref = (fragment: string) => `${did}#${fragment}`;
  const jwk = parts.methods.some((m) => m.type === 'JsonWebKey');
  const document: DidDocument = {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT, ...(jwk ? [JWK_CONTEXT] : [])],
    id: did,
  };
  if (parts.controllers.length > 0) document.controller = [...parts.controllers];
  if (parts.methods.length > 0)
    document.verificationMethod = parts.methods.map((m) => {
      const key: DidKey = { algorithm: m.algorithm, bytes: m.key };
      return {
        id: ref(m.fragment),
        type: m.type,
        controller: m.controller || did,
        ...(m.type === 'Multikey' ? { publicKeyMultibase: toMultibase(key) } : { publicKeyJwk: toJwk(key) }),
      };
    });
  for (const relationship of RELATIONSHIPS)
    if (parts[relationship].length > 0) document[relationship] = parts[relationship].map(ref);
  if (parts.services.length > 0)
    document.service = parts.services.map((s) => ({
      id: ref(s.fragment),
      type: s.type,
      serviceEndpoint: s.endpoint,
    }));
  return document;
}

/** The fragment of a method or service id given as `#frag` or as a URL of `did`. */
function fragmentOf(id: unknown, did: string | undefined, what: string): string {
  if (typeof id !== 'string') throw bad(`${what} id must be a string`);
  if (id.startsWith('#')) return id.slice(1);
  const { did: base, fragment } = splitDidUrl(id);
  if (fragment === undefined || (did !== undefined && base !== did))
    throw bad(`${what} id must be #fragment or a URL of the DID itself`, { id });
  return fragment;
}

/**
 * Reads a DID document written as JSON (by hand, or resolved) into the parts the module
 * stores. Relationships must reference methods (`#frag` or full DID URLs), not embed them.
 */
export function partsFromDocument(json: unknown, did?: string): DocumentParts {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw bad('a DID document must be an object');
  const doc = json as Record<string, unknown>;
  const arrayOf = (name: string, max: number): unknown[] => {
    const v = doc[name];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    if (list.length > max) throw bad(`${name} has more than ${max} entries`);
    return list;
  };
  const controllers = arrayOf('controller', DID_LIMITS.controllers).map((c) => {
    if (typeof c !== 'string') throw bad('controller must be DIDs');
    return c;
  });
  const methods: VerificationMethodParts[] = arrayOf('verificationMethod', DID_LIMITS.methods).map((m) => {
    if (typeof m !== 'object' || m === null) throw bad('a verification method must be an object');
    const v = m as Record<string, unknown>;
    if (!METHOD_TYPES.includes(v.type as MethodType))
      throw bad('a verification method type must be Multikey or JsonWebKey', { type: String(v.type) });
    const key =
      v.type === 'Multikey' ? fromMultibase(v.publicKeyMultibase as string) : fromJwk(v.publicKeyJwk);
    const controller = v.controller === undefined || v.controller === did ? '' : v.controller;
    if (typeof controller !== 'string') throw bad('a verification method controller must be a DID');
    return {
      fragment: fragmentOf(v.id, did, 'a verification method'),
      type: v.type as MethodType,
      controller,
      algorithm: key.algorithm,
      key: key.bytes,
    };
  });
  const references = (name: Relationship): string[] =>
    arrayOf(name, DID_LIMITS.references).map((r) => {
      if (typeof r !== 'string')
        throw bad(`${name} must reference methods, not embed them`, { relationship: name });
      return fragmentOf(r, did, name);
    });
  const services: ServiceParts[] = arrayOf('service', DID_LIMITS.services).map((s) => {
    if (typeof s !== 'object' || s === null) throw bad('a service must be an object');
    const v = s as Record<string, unknown>;
    if (typeof v.type !== 'string' || typeof v.serviceEndpoint !== 'string')
      throw bad('a service needs a type and a serviceEndpoint string');
    return { fragment: fragmentOf(v.id, did, 'a service'), type: v.type, endpoint: v.serviceEndpoint };
  });
  const parts: DocumentParts = {
    controllers,
    methods,
    authentication: references('authentication'),
    assertionMethod: references('assertionMethod'),
    keyAgreement: references('keyAgreement'),
    capabilityInvocation: references('capabilityInvocation'),
    capabilityDelegation: references('capabilityDelegation'),
    services,
  };
  checkDocument(parts);
  return parts;
}

/** Parts for a document with one signing key used for every purpose (the common case: a new DID for one key). */
export function singleKeyDocument(key: DidKey, fragment = 'key-1'): DocumentParts {
  checkDidKey(key);
  const refs = [fragment];
  return {
    controllers: [],
    methods: [{ fragment, type: 'Multikey', controller: '', algorithm: key.algorithm, key: key.bytes }],
    authentication: refs,
    assertionMethod: refs,
    keyAgreement: [],
    capabilityInvocation: refs,
    capabilityDelegation: [],
    services: [],
  };
}
