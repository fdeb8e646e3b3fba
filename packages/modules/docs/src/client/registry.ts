import {
  type ChainClient,
  encodePayload,
  hashArgument,
  objectArgument,
  parseAddress,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, invalidArgument } from '@pujiang/types';
import {
  AmendDocument,
  DOCS_MODULE,
  DOCUMENT_NUMBER,
  type DocumentType,
  documentId,
  isDocumentType,
  RegisterDocument,
  SETTABLE_STATUSES,
  SetDocumentStatus,
  type SettableStatus,
  SurrenderDocument,
  TRANSFERABLE_TYPES,
  TransferDocument,
  ZERO_DIGEST,
} from '../formats.js';
import type { DocumentJson, HolderEntryJson } from '../records.js';
import { DocumentQuery, HoldersQuery, MAX_HOLDERS_PAGE } from '../schemas.js';

/**
 * The registry from an application: register a document, change its status, amend it,
 * transfer and surrender a transferable one, read its record. Every call checks its
 * arguments first (`SDK_INVALID_ARGUMENT` naming the parameter).
 */
export type DocsSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]{1,240}$/;

export function didArgument(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || !DID.test(value))
    throw invalidArgument(`${parameter} is a DID`, parameter);
  return value;
}
export function typeArgument(value: unknown): DocumentType {
  if (!isDocumentType(value)) throw invalidArgument('type is a document type', 'type');
  return value;
}
export function numberArgument(value: unknown): string {
  if (typeof value !== 'string' || !DOCUMENT_NUMBER.test(value))
    throw invalidArgument('number is 1-64 of A-Z a-z 0-9 . _ / : -', 'number');
  return value;
}
/** 32 bytes, as bytes or 64 hex digits. */
function digestArgument(value: unknown, parameter: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== 32) throw invalidArgument(`${parameter} is 32 bytes`, parameter);
    return value;
  }
  return hexToBytes(hashArgument(value, parameter));
}
const send = (client: ChainClient, p: DocsSendParameters, type: string, payload: Uint8Array) =>
  client.sendTransaction({ ...p, module: DOCS_MODULE, type, payload });

/** `docs/register`: the document's id is returned with the transaction (it is derived, not chosen). */
export async function registerDocument(
  client: ChainClient,
  p: DocsSendParameters & {
    type: DocumentType;
    issuer: string;
    subject?: string;
    number: string;
    /** SHA-256 of the attached file (bytes or hex), if there is one. */
    fileDigest?: Uint8Array | string;
    /** The did module's `proofDigest` of the credential (bytes or hex). */
    credentialDigest: Uint8Array | string;
    /** The first holder's address (transferable documents). */
    holder?: string;
  },
): Promise<SendTransactionReturnType & { id: string }> {
  objectArgument(p, 'parameters');
  const docType = typeArgument(p.type);
  const issuer = didArgument(p.issuer, 'issuer');
  const subject = p.subject === undefined || p.subject === '' ? '' : didArgument(p.subject, 'subject');
  const number = numberArgument(p.number);
  const fileDigest = p.fileDigest === undefined ? ZERO_DIGEST : digestArgument(p.fileDigest, 'fileDigest');
  const credentialDigest = digestArgument(p.credentialDigest, 'credentialDigest');
  const transferable = TRANSFERABLE_TYPES.includes(docType);
  if (transferable !== (p.holder !== undefined))
    throw invalidArgument(
      transferable ? `a ${docType} needs its first holder` : `a ${docType} has no holder`,
      'holder',
    );
  const holder = p.holder === undefined ? [] : [parseAddress(p.holder, 'holder')];
  const {
    type: _t,
    issuer: _i,
    subject: _s,
    number: _n,
    fileDigest: _f,
    credentialDigest: _c,
    holder: _h,
    ...rest
  } = p;
  const payload = encodePayload(RegisterDocument, {
    docType,
    issuer,
    subject,
    number,
    fileDigest,
    credentialDigest,
    transferable,
    holder,
  });
  const sent = await send(client, rest, 'register', payload);
  return { ...sent, id: bytesToHex(documentId(issuer, docType, number)) };
}

/** `docs/setStatus`: the issuer suspends, reinstates or revokes (for good) a document. */
export function setDocumentStatus(
  client: ChainClient,
  p: DocsSendParameters & { id: string; status: SettableStatus },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const id = digestArgument(p.id, 'id');
  if (!(SETTABLE_STATUSES as readonly unknown[]).includes(p.status))
    throw invalidArgument(`status is one of ${SETTABLE_STATUSES.join(', ')}`, 'status');
  const { id: _i, status, ...rest } = p;
  return send(client, rest, 'setStatus', encodePayload(SetDocumentStatus, { id, status }));
}

/** `docs/amend`: the issuer supersedes `id` by `newId` (registered before, same type). */
export function amendDocument(
  client: ChainClient,
  p: DocsSendParameters & { id: string; newId: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const id = digestArgument(p.id, 'id');
  const newId = digestArgument(p.newId, 'newId');
  const { id: _i, newId: _n, ...rest } = p;
  return send(client, rest, 'amend', encodePayload(AmendDocument, { id, newId }));
}

/** `docs/transfer`: the current holder (the key) moves the document to `to`, a member's address. */
export function transferDocument(
  client: ChainClient,
  p: DocsSendParameters & { id: string; to: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const id = digestArgument(p.id, 'id');
  const to = parseAddress(p.to, 'to');
  const { id: _i, to: _t, ...rest } = p;
  return send(client, rest, 'transfer', encodePayload(TransferDocument, { id, to }));
}

/** `docs/surrender`: the current holder surrenders the document; nothing can be done with it after. */
export function surrenderDocument(
  client: ChainClient,
  p: DocsSendParameters & { id: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const id = digestArgument(p.id, 'id');
  const { id: _i, ...rest } = p;
  return send(client, rest, 'surrender', encodePayload(SurrenderDocument, { id }));
}

/** The registry's record as the node says (unproven; `verifyDocument` proves what it uses). */
export async function getDocument(client: ChainClient, id: string): Promise<DocumentJson | null> {
  const hex = hashArgument(id, 'id');
  return (await queryTyped(client, DocumentQuery, { id: hex })).result.document;
}

/** A transferable document's holders in order, as the node says (a page from `from`). */
export async function getDocumentHolders(
  client: ChainClient,
  p: { id: string; from?: number; limit?: number },
): Promise<{ holders: HolderEntryJson[]; total: number }> {
  objectArgument(p, 'parameters');
  const id = hashArgument(p.id, 'id');
  if (p.from !== undefined && (!Number.isSafeInteger(p.from) || p.from < 0))
    throw invalidArgument('from is a whole number', 'from');
  if (p.limit !== undefined && (!Number.isSafeInteger(p.limit) || p.limit < 1 || p.limit > MAX_HOLDERS_PAGE))
    throw invalidArgument(`limit is 1 to ${MAX_HOLDERS_PAGE}`, 'limit');
  return (
    await queryTyped(client, HoldersQuery, {
      id,
      ...(p.from === undefined ? {} : { from: p.from }),
      ...(p.limit === undefined ? {} : { limit: p.limit }),
    })
  ).result;
}
