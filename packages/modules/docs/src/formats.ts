import { bool, fixedBytes, type Infer, list, literals, string, struct, u32, u64 } from '@pujiang/codec';
import { ADDRESS_LENGTH, hash } from '@pujiang/crypto';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';

/**
 * The `docs` module's formats: electronic documents and licences. The credential itself
 * (a W3C VC signed by the issuing agency) stays with its holder; the chain keeps the
 * registry: who issued which document number of which type, the digests of its file and of
 * its credential's proof, its status, and for a transferable document (an electronic bill
 * of lading) its one holder and the history of holders.
 */
export const DOCS_MODULE = 'docs';

/** The document types (credential `type` terms of the docs context). */
export const DOCUMENT_TYPES = [
  'CertificateOfOrigin',
  'BillOfLading',
  'CustomsDeclaration',
  'TaxClearanceCertificate',
  'ForeignExchangeRegistration',
  'BusinessLicence',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Types whose documents are transferable records (MLETR): exactly one holder, transferred by signed transactions. */
export const TRANSFERABLE_TYPES: readonly DocumentType[] = ['BillOfLading'];

export const isDocumentType = (t: unknown): t is DocumentType =>
  typeof t === 'string' && (DOCUMENT_TYPES as readonly string[]).includes(t);

/** Statuses: `active` and `suspended` can change; `revoked`, `superseded` and `surrendered` are final. */
export const DOCUMENT_STATUSES = ['active', 'suspended', 'revoked', 'superseded', 'surrendered'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
/** What the issuer may set with `docs/setStatus` (supersession is `docs/amend`, surrender the holder's). */
export const SETTABLE_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** A document's own number (a B/L number, a licence number). */
export const DOCUMENT_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}$/;
export const DOCS_LIMITS = { did: 256, number: 64 } as const;
export const ZERO_DIGEST = new Uint8Array(32);

const Address = fixedBytes(ADDRESS_LENGTH);
const Digest = fixedBytes(32);
const Did = string({ max: DOCS_LIMITS.did });

/** `docs/register`: records a document the sender issues for `issuer` (a DID it acts for). */
export const RegisterDocument = struct('RegisterDocument', {
  docType: literals('DocumentType', DOCUMENT_TYPES),
  issuer: Did,
  /** The subject's DID, or empty. */
  subject: Did,
  number: string({ max: DOCS_LIMITS.number }),
  /** SHA-256 of the attached file, or zeros when there is none. */
  fileDigest: Digest,
  /** SHA-256 of the credential proof's `proofValue` (the did module's `proofDigest`). */
  credentialDigest: Digest,
  transferable: bool,
  /** The first holder (transferable documents only). */
  holder: list(Address, { max: 1 }),
});
export type RegisterDocument = Infer<typeof RegisterDocument>;

export const SetDocumentStatus = struct('SetDocumentStatus', {
  id: Digest,
  status: literals('SettableStatus', SETTABLE_STATUSES),
});
export type SetDocumentStatus = Infer<typeof SetDocumentStatus>;

/** `docs/amend`: `id` is superseded by `newId`, registered before by the same issuer. */
export const AmendDocument = struct('AmendDocument', { id: Digest, newId: Digest });
export type AmendDocument = Infer<typeof AmendDocument>;

export const TransferDocument = struct('TransferDocument', { id: Digest, to: Address });
export type TransferDocument = Infer<typeof TransferDocument>;

export const SurrenderDocument = struct('SurrenderDocument', { id: Digest });
export type SurrenderDocument = Infer<typeof SurrenderDocument>;

/** The registry's record of a document. */
export const DocumentRecord = struct('DocumentRecord', {
  docType: literals('DocumentType', DOCUMENT_TYPES),
  issuer: Did,
  subject: Did,
  number: string({ max: DOCS_LIMITS.number }),
  fileDigest: Digest,
  credentialDigest: Digest,
  transferable: bool,
  status: literals('DocumentStatus', DOCUMENT_STATUSES),
  /** The document that superseded this one (status `superseded`). */
  supersededBy: list(Digest, { max: 1 }),
  /** The current holder (transferable documents); after a surrender, the one who surrendered. */
  holder: list(Address, { max: 1 }),
  /** Entries in the holder history (the first holder is entry 0). */
  holders: u32,
  /** The notary anchor of the file (its root), when there is a file. */
  anchorRoot: list(Digest, { max: 1 }),
  registrant: Address,
  height: u64,
  time: u64,
  txHash: Digest,
  /** When the status last changed. */
  statusHeight: u64,
});
export type DocumentRecord = Infer<typeof DocumentRecord>;

/** One holding of a transferable document: who held it from which block, by which transaction. */
export const HolderEntry = struct('HolderEntry', {
  holder: Address,
  height: u64,
  time: u64,
  txHash: Digest,
});
export type HolderEntry = Infer<typeof HolderEntry>;

export const documentKey = (idHex: string): string => `doc/${idHex}`;
/**
 * A file's index entry is per issuer: `file/<issuer tag>/<digest>`. One issuer's file backs one
 * of its documents; another member registering the same digest first (under its own DID) blocks
 * nothing of this issuer's.
 */
export const fileKey = (issuer: string, digestHex: string): string =>
  `file/${issuerTag(issuer)}/${digestHex}`;
export const holderKey = (idHex: string, seq: number): string => `holder/${idHex}/${seq}`;
/** The issuer's tag in state keys: SHA-256("pujiang/docs/issuer\0" issuer), hex (a DID's own characters vary). */
export const issuerTag = (issuer: string): string =>
  bytesToHex(hash('sha256', utf8ToBytes(`pujiang/docs/issuer\0${issuer}`)));
export const documentStateKey = (idHex: string): Uint8Array => moduleKey(DOCS_MODULE, documentKey(idHex));

/**
 * A document's id: SHA-256("pujiang/docs/v1\0" issuer "\0" type "\0" number). One issuer's
 * number of one type is one document (registering it again is `DOCS_DUPLICATE`), and a
 * verifier finds the record from the credential alone.
 */
export function documentId(issuer: string, docType: string, number: string): Uint8Array {
  return hash('sha256', utf8ToBytes(`pujiang/docs/v1\0${issuer}\0${docType}\0${number}`));
}
export const documentIdHex = (issuer: string, docType: string, number: string): string =>
  bytesToHex(documentId(issuer, docType, number));
