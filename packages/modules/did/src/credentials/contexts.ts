import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as didContext from 'did-context';

/**
 * Every JSON-LD context a credential, presentation or DID document may use, bundled: nothing
 * is fetched at run time, and a context URL not here is refused (`VC_UNKNOWN_CONTEXT`). The
 * contexts come from the packages their authors maintain; the JWK context, which has no such
 * package, is written out below from its published definition.
 */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const JWK_CONTEXT_URL = 'https://w3id.org/security/jwk/v1';
export const STATUS_LIST_CONTEXT = 'https://www.w3.org/ns/credentials/status/v1';

const SEC = 'https://w3id.org/security#';
const JWK_CONTEXT = {
  '@context': {
    '@protected': true,
    id: '@id',
    type: '@type',
    JsonWebKey: {
      '@id': `${SEC}JsonWebKey`,
      '@context': {
        '@protected': true,
        id: '@id',
        type: '@type',
        controller: { '@id': `${SEC}controller`, '@type': '@id' },
        expires: { '@id': `${SEC}expiration`, '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' },
        revoked: { '@id': `${SEC}revoked`, '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' },
        publicKeyJwk: { '@id': `${SEC}publicKeyJwk`, '@type': '@json' },
      },
    },
  },
};

/**
 * Pujiang's electronic documents and licences (the docs module, docs/documents.md): the
 * document types, `documentNumber`, the attached `document` (its `digestSRI`, `mediaType`
 * and `name` are VC 2.0 terms) and, for a subject typed `DocumentSubject`, the issuer's
 * claims under the docs claims vocabulary (scoped to the subject, so a stray term anywhere
 * else is still refused in safe mode).
 */
export const DOCS_CONTEXT_URL = 'https://pujiang.dev/contexts/docs/v1';
const DOCS = 'https://pujiang.dev/ns/docs#';
const DOCS_CONTEXT = {
  '@context': {
    '@protected': true,
    CertificateOfOrigin: `${DOCS}CertificateOfOrigin`,
    BillOfLading: `${DOCS}BillOfLading`,
    CustomsDeclaration: `${DOCS}CustomsDeclaration`,
    TaxClearanceCertificate: `${DOCS}TaxClearanceCertificate`,
    ForeignExchangeRegistration: `${DOCS}ForeignExchangeRegistration`,
    BusinessLicence: `${DOCS}BusinessLicence`,
    documentNumber: `${DOCS}documentNumber`,
    document: `${DOCS}document`,
    DocumentSubject: {
      '@id': `${DOCS}DocumentSubject`,
      '@context': { '@propagate': true, '@vocab': `${DOCS}claims/` },
    },
  },
};

/**
 * Pujiang's trusted data sharing (the data module, docs/data-sharing.md): the subject's
 * `DataSharingConsent` to a requester (the credential subject's `id`) for a `dataset` and a
 * `purpose`.
 */
export const DATA_CONTEXT_URL = 'https://pujiang.dev/contexts/data/v1';
const DATA = 'https://pujiang.dev/ns/data#';
const DATA_CONTEXT = {
  '@context': {
    '@protected': true,
    DataSharingConsent: `${DATA}DataSharingConsent`,
    dataset: `${DATA}dataset`,
    purpose: `${DATA}purpose`,
  },
};

const bundled = new Map<string, object>([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...statusListContext.contexts,
  ...didContext.contexts,
  [JWK_CONTEXT_URL, JWK_CONTEXT],
  [DOCS_CONTEXT_URL, DOCS_CONTEXT],
  [DATA_CONTEXT_URL, DATA_CONTEXT],
]);

/** Adds contexts (a deployment's own credential types); the bundled ones cannot be replaced. */
export function contextRegistry(extra: ReadonlyMap<string, object> = new Map()): ReadonlyMap<string, object> {
  const all = new Map(bundled);
  for (const [url, context] of extra) if (!all.has(url)) all.set(url, context);
  return all;
}

export const BUNDLED_CONTEXTS: ReadonlyMap<string, object> = bundled;
