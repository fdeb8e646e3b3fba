import { hash } from '@pujiang/crypto';
import { DOCS_CONTEXT_URL, VC_V2_CONTEXT } from '@pujiang/module-did';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { DOCUMENT_NUMBER, type DocumentType, isDocumentType } from './formats.js';

/**
 * The credential a document is: a W3C VC 2.0 of the issuing agency, `type`
 * [VerifiableCredential, <document type>], whose subject (typed `DocumentSubject`, so the
 * docs context gives the issuer's claims a vocabulary) carries the document's number, the
 * claims and the attached file's digest as Subresource Integrity (`sha256-<base64>`).
 * Browser-safe: no Node modules.
 */
export const SUBJECT_TYPE = 'DocumentSubject';
/** Subject fields the module writes itself: claims may not use them. */
const RESERVED = new Set(['id', 'type', 'documentNumber', 'document']);

export interface AttachedFile {
  /** SHA-256 of the file. */
  readonly digest: Uint8Array;
  readonly mediaType?: string;
  readonly name?: string;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** `sha256-<base64>` of a SHA-256 digest (W3C SRI, as VC 2.0's `digestSRI`). */
export const digestSri = (digest: Uint8Array): string => `sha256-${toBase64(digest)}`;

/** The SHA-256 digest an SRI string names (hex), or undefined when it is not `sha256-` of 32 bytes. */
export function sriDigestHex(sri: unknown): string | undefined {
  if (typeof sri !== 'string' || !/^sha256-[A-Za-z0-9+/]{43}=$/.test(sri)) return undefined;
  const bytes = Uint8Array.from(atob(sri.slice('sha256-'.length)), (c) => c.charCodeAt(0));
  return bytes.length === 32 ? bytesToHex(bytes) : undefined;
}

export const fileDigest = (file: Uint8Array): Uint8Array => hash('sha256', file);

export interface DocumentCredentialInput {
  readonly issuer: string;
  readonly type: DocumentType;
  readonly subject: string;
  readonly number: string;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly file?: AttachedFile;
  readonly validFrom?: Date;
  readonly validUntil?: Date;
  /** The credential's id (default `urn:pujiang:docs:<document id>` is set by the caller). */
  readonly id?: string;
}

const xmlDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The unsigned credential of a document. */
export function documentCredential(p: DocumentCredentialInput): Record<string, unknown> {
  if (!isDocumentType(p.type)) throw invalidArgument('type is a document type', 'type');
  if (typeof p.number !== 'string' || !DOCUMENT_NUMBER.test(p.number))
    throw invalidArgument('number is 1-64 of A-Z a-z 0-9 . _ / : -', 'number');
  const claims = p.claims ?? {};
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw invalidArgument('claims must be an object', 'claims');
  for (const k of Object.keys(claims))
    if (RESERVED.has(k) || k.startsWith('@')) throw invalidArgument(`claims may not set ${k}`, `claims.${k}`);
  return {
    '@context': [VC_V2_CONTEXT, DOCS_CONTEXT_URL],
    ...(p.id ? { id: p.id } : {}),
    type: ['VerifiableCredential', p.type],
    issuer: p.issuer,
    validFrom: xmlDate(p.validFrom ?? new Date()),
    ...(p.validUntil ? { validUntil: xmlDate(p.validUntil) } : {}),
    credentialSubject: {
      id: p.subject,
      type: SUBJECT_TYPE,
      documentNumber: p.number,
      ...claims,
      ...(p.file
        ? {
            document: {
              digestSRI: digestSri(p.file.digest),
              ...(p.file.mediaType ? { mediaType: p.file.mediaType } : {}),
              ...(p.file.name ? { name: p.file.name } : {}),
            },
          }
        : {}),
    },
  };
}

/** What a credential says about its document (undefined fields: it does not say). */
export interface DocumentClaims {
  readonly type?: DocumentType;
  readonly issuer?: string;
  readonly subject?: string;
  readonly number?: string;
  /** SHA-256 of the file the credential names (hex); null: it names none; undefined: malformed. */
  readonly fileDigest?: string | null;
}

/** Reads the document fields of a credential without trusting it (verification checks them). */
export function documentClaims(credential: unknown): DocumentClaims {
  if (typeof credential !== 'object' || credential === null) return {};
  const c = credential as Record<string, unknown>;
  const types = (Array.isArray(c.type) ? c.type : [c.type]).filter(isDocumentType);
  const issuer =
    typeof c.issuer === 'string'
      ? c.issuer
      : typeof (c.issuer as { id?: unknown } | null)?.id === 'string'
        ? ((c.issuer as { id: string }).id as string)
        : undefined;
  const s = (Array.isArray(c.credentialSubject) ? undefined : c.credentialSubject) as
    | Record<string, unknown>
    | undefined;
  const document = s?.document as Record<string, unknown> | undefined;
  const fileDigest =
    document === undefined
      ? null
      : typeof document === 'object'
        ? sriDigestHex(document?.digestSRI)
        : undefined;
  return {
    ...(types.length === 1 ? { type: types[0]! } : {}),
    ...(issuer ? { issuer } : {}),
    ...(typeof s?.id === 'string' ? { subject: s.id } : {}),
    ...(typeof s?.documentNumber === 'string' ? { number: s.documentNumber } : {}),
    ...(fileDigest === undefined ? {} : { fileDigest }),
  };
}
